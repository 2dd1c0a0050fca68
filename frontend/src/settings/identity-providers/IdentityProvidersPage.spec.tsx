import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockClient, type Answer } from '../../test/mockClient';
import { renderRoute } from '../../test/renderRoute';
import { IdentityProvidersPage } from './IdentityProvidersPage';

const okta = {
  id: 'p1',
  name: 'Okta',
  issuer: 'https://acme.okta.com',
  clientId: 'client-1',
  hasClientSecret: true,
  scopes: ['openid', 'email', 'profile'],
  callbackUrl: 'https://orgtrail.example.com/auth/oidc/callback',
  testUrl: '/auth/oidc/p1/test',
  organizations: [] as Array<{ id: string; name: string }>,
};

function renderProviders(mutations: Record<string, (variables: Record<string, unknown>) => Answer> = {}) {
  const mock = mockClient({
    IdentityProvidersPage: () => ({ data: { organization: { id: 'o1' }, oidcProviders: [okta] } }),
    RedirectUriNote: () => ({ data: { oidcRedirectUri: okta.callbackUrl } }),
    ...mutations,
  });
  renderRoute(IdentityProvidersPage, {
    url: '/settings/identity-providers',
    client: mock.client,
    permissions: ['identity_providers:read', 'identity_providers:write'],
  });
  return mock;
}

describe('Identity Providers', () => {
  it('shows each provider with its redirect URI and whether it is linked here, never its secret', async () => {
    renderProviders();
    const card = await screen.findByRole('listitem', { name: /Okta/ });
    expect(card).toHaveTextContent('Not linked to this organization');
    expect(card).toHaveTextContent('https://orgtrail.example.com/auth/oidc/callback');
    expect(card).toHaveTextContent('Stored (never shown)');
    expect(within(card).getByRole('button', { name: 'Copy the redirect URI of Okta' })).toBeInTheDocument();
  });

  it('links a provider to this organization', async () => {
    const { calls } = renderProviders({
      AddOidcProviderToOrganization: () => ({ data: { addOidcProviderToOrganization: { oidcProvider: { id: 'p1' } } } }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Link Okta to this organization' }));
    await waitFor(() => expect(calls('AddOidcProviderToOrganization')).toEqual([{ input: { providerId: 'p1' } }]));
    await waitFor(() => expect(calls('IdentityProvidersPage').length).toBeGreaterThan(1));
  });

  it('adds a provider and links it, with the server’s check of the issuer next to the field', async () => {
    let attempts = 0;
    const { calls } = renderProviders({
      CreateOidcProvider: () =>
        attempts++ === 0
          ? {
              errors: [
                {
                  message: 'the issuer’s discovery document could not be fetched',
                  extensions: { code: 'BAD_USER_INPUT', field: 'issuer' },
                },
              ],
            }
          : { data: { createOidcProvider: { oidcProvider: { id: 'p2' } } } },
      LinkNewOidcProvider: () => ({ data: { addOidcProviderToOrganization: { oidcProvider: { id: 'p2' } } } }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Add identity provider' }));
    const dialog = screen.getByRole('dialog', { name: 'Add identity provider' });
    await userEvent.type(within(dialog).getByLabelText('Name'), 'Google');
    await userEvent.type(within(dialog).getByLabelText('Issuer URL'), 'https://accounts.google.com');
    await userEvent.type(within(dialog).getByLabelText('Client ID'), 'abc');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add identity provider' }));
    await waitFor(() =>
      expect(within(dialog).getByLabelText('Issuer URL')).toHaveAccessibleDescription(
        /The issuer’s discovery document could not be fetched/,
      ),
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add identity provider' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(calls('CreateOidcProvider')[1]).toEqual({
      input: {
        name: 'Google',
        issuer: 'https://accounts.google.com',
        clientId: 'abc',
        scopes: ['openid', 'email', 'profile'],
      },
    });
    expect(calls('LinkNewOidcProvider')).toEqual([{ input: { providerId: 'p2' } }]);
  });

  it('shows the redirect URI to register before the provider is added', async () => {
    renderProviders();
    await userEvent.click(await screen.findByRole('button', { name: 'Add identity provider' }));
    const dialog = screen.getByRole('dialog', { name: 'Add identity provider' });
    const redirect = await within(dialog).findByRole('group', { name: 'Redirect URI' });
    expect(redirect).toHaveTextContent('https://orgtrail.example.com/auth/oidc/callback');
    expect(within(redirect).getByRole('button', { name: 'Copy the redirect URI' })).toBeInTheDocument();
  });

  it('refuses an issuer that is not https before asking the server', async () => {
    const { calls } = renderProviders();
    await userEvent.click(await screen.findByRole('button', { name: 'Add identity provider' }));
    const dialog = screen.getByRole('dialog', { name: 'Add identity provider' });
    await userEvent.type(within(dialog).getByLabelText('Name'), 'Plain');
    await userEvent.type(within(dialog).getByLabelText('Issuer URL'), 'http://idp.example.com');
    await userEvent.type(within(dialog).getByLabelText('Client ID'), 'abc');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add identity provider' }));
    // The form checks its rules asynchronously, after the click has returned.
    await waitFor(() => expect(within(dialog).getByLabelText('Issuer URL')).toHaveAccessibleDescription(/https:\/\//));
    expect(calls('CreateOidcProvider')).toEqual([]);
  });
});
