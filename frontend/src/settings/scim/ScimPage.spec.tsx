import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockClient, type Answer } from '../../test/mockClient';
import { renderRoute } from '../../test/renderRoute';
import { ScimPage } from './ScimPage';

const okta = {
  id: 't1',
  name: 'Okta',
  prefix: 'abcd',
  status: 'ACTIVE',
  createdAt: '2025-01-01T00:00:00Z',
  expiresAt: null,
  lastUsedAt: null,
};
const engineering = {
  id: 'g1',
  displayName: 'Engineering',
  externalId: null,
  memberCount: 3,
  roles: [{ id: 'r2', name: 'Auditors' }],
};

function renderScim(mutations: Record<string, (variables: Record<string, unknown>) => Answer> = {}) {
  let tokens = [okta];
  const mock = mockClient({
    ScimPage: () => ({
      data: {
        scimBaseUrl: 'https://orgtrail.example.com/scim/v2',
        scimTokenUrl: 'https://orgtrail.example.com/oauth/token',
        scimTokens: tokens,
        scimOAuthClients: [],
        scimGroups: [engineering],
        roles: [
          { id: 'r1', name: 'Admin', description: '' },
          { id: 'r2', name: 'Auditors', description: '' },
        ],
      },
    }),
    RevokeScimToken: () => {
      tokens = [{ ...okta, status: 'REVOKED' }];
      return { data: { revokeScimToken: { scimToken: { id: 't1', status: 'REVOKED' } } } };
    },
    ...mutations,
  });
  renderRoute(ScimPage, {
    url: '/settings/scim',
    client: mock.client,
    permissions: ['scim:read', 'scim:write', 'roles:read', 'roles:write'],
  });
  return mock;
}

describe('SCIM', () => {
  it('shows the SCIM base URL to paste into the identity provider, with a copy button', async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderScim();
    expect(await screen.findByText('https://orgtrail.example.com/scim/v2')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Copy the SCIM base URL' }));
    expect(writeText).toHaveBeenCalledWith('https://orgtrail.example.com/scim/v2');
    expect(screen.getByText('No OAuth clients yet.')).toBeInTheDocument();
    expect(screen.getByRole('row', { name: /Engineering/ })).toHaveTextContent('Auditors');
  });

  it('creates a token and shows it once', async () => {
    const { calls } = renderScim({
      CreateScimToken: () => ({ data: { createScimToken: { scimToken: { id: 't2' }, token: 'otscim_new_token' } } }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Create SCIM token' }));
    const dialog = screen.getByRole('dialog', { name: 'Create SCIM token' });
    await userEvent.type(within(dialog).getByLabelText('Name'), 'Entra');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create SCIM token' }));
    expect(await within(dialog).findByLabelText('SCIM token')).toHaveTextContent('otscim_new_token');
    expect(calls('CreateScimToken')).toEqual([{ input: { name: 'Entra', expiresAt: null } }]);
  });

  it('creates an OAuth client and shows its secret once, with the token URL', async () => {
    renderScim({
      CreateScimOAuthClient: () => ({
        data: {
          createScimOAuthClient: {
            scimOAuthClient: { id: 'c1', clientId: 'scim-client-1' },
            clientSecret: 'shh-secret',
            tokenUrl: 'https://orgtrail.example.com/oauth/token',
          },
        },
      }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Create OAuth client' }));
    const dialog = screen.getByRole('dialog', { name: 'Create OAuth client' });
    await userEvent.type(within(dialog).getByLabelText('Name'), 'Okta OAuth');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create OAuth client' }));
    expect(await within(dialog).findByLabelText('client secret')).toHaveTextContent('shh-secret');
    expect(dialog).toHaveTextContent('scim-client-1');
    expect(dialog).toHaveTextContent('https://orgtrail.example.com/oauth/token');
  });

  it('revokes a token after confirmation', async () => {
    const { calls } = renderScim();
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke Okta' }));
    const dialog = screen.getByRole('dialog', { name: 'Revoke SCIM token Okta?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke token' }));
    expect(await screen.findByRole('row', { name: /Okta.*Revoked/ })).toBeInTheDocument();
    expect(calls('RevokeScimToken')).toEqual([{ input: { id: 't1' } }]);
  });
});
