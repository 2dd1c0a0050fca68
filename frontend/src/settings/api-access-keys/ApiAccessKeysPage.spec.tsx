import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockClient, type Answer } from '../../test/mockClient';
import { renderRoute } from '../../test/renderRoute';
import { ApiAccessKeysPage } from './ApiAccessKeysPage';

const permissions = [
  { name: 'audit_log:read', description: 'Read the audit log' },
  { name: 'secrets:write', description: 'Change secrets' },
];
const exporter = {
  id: 'k1',
  name: 'Exporter',
  prefix: 'abc12345',
  permissions: ['audit_log:read'],
  status: 'ACTIVE',
  createdAt: '2025-01-01T00:00:00Z',
  expiresAt: null,
  lastUsedAt: null,
  createdBy: { email: 'ada@example.com' },
};

function renderKeys(mutations: Record<string, (variables: Record<string, unknown>) => Answer> = {}) {
  let keys = [exporter];
  const mock = mockClient({
    ApiAccessKeysPage: () => ({ data: { apiAccessKeys: keys, permissions } }),
    DeleteApiAccessKey: () => {
      keys = [];
      return { data: { deleteApiAccessKey: { deletedApiAccessKeyId: 'k1' } } };
    },
    ...mutations,
  });
  renderRoute(ApiAccessKeysPage, {
    url: '/settings/api-access-keys',
    client: mock.client,
    permissions: ['api_access_keys:read', 'api_access_keys:write', 'audit_log:read'],
  });
  return mock;
}

describe('API Access Keys', () => {
  it('lists keys by their first characters, with their permissions', async () => {
    renderKeys();
    const row = within(await screen.findByRole('table', { name: 'API access keys' })).getByRole('row', { name: /Exporter/ });
    expect(row).toHaveTextContent('otak_abc12345…');
    expect(row).toHaveTextContent('audit_log:read');
    expect(row).toHaveTextContent('by ada@example.com');
  });

  it('creates a key with permissions the viewer holds and shows it once', async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { calls } = renderKeys({
      CreateApiAccessKey: () => ({ data: { createApiAccessKey: { apiAccessKey: { id: 'k2' }, key: 'ot_ak_new_secret' } } }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Create API access key' }));
    const dialog = screen.getByRole('dialog', { name: 'Create API access key' });
    expect(within(dialog).getByRole('checkbox', { name: /secrets:write/ })).toBeDisabled();
    await userEvent.type(within(dialog).getByLabelText('Name'), 'CI');
    await userEvent.click(within(dialog).getByRole('checkbox', { name: /audit_log:read/ }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create API access key' }));
    expect(await within(dialog).findByLabelText('API access key')).toHaveTextContent('ot_ak_new_secret');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Copy API access key' }));
    expect(writeText).toHaveBeenCalledWith('ot_ak_new_secret');
    expect(calls('CreateApiAccessKey')).toEqual([{ input: { name: 'CI', permissions: ['audit_log:read'], expiresAt: null } }]);
    expect(calls('ApiAccessKeysPage').length).toBeGreaterThan(1);
  });

  it('asks for at least one permission before creating', async () => {
    const { calls } = renderKeys();
    await userEvent.click(await screen.findByRole('button', { name: 'Create API access key' }));
    const dialog = screen.getByRole('dialog', { name: 'Create API access key' });
    await userEvent.type(within(dialog).getByLabelText('Name'), 'CI');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create API access key' }));
    expect(await within(dialog).findByText('Choose at least one permission')).toBeInTheDocument();
    expect(calls('CreateApiAccessKey')).toEqual([]);
  });

  it('renames a key without touching its expiry', async () => {
    const { calls } = renderKeys({
      UpdateApiAccessKey: () => ({ data: { updateApiAccessKey: { apiAccessKey: exporter } } }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Edit Exporter' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit API access key Exporter' });
    await userEvent.clear(within(dialog).getByLabelText('Name'));
    await userEvent.type(within(dialog).getByLabelText('Name'), 'Exporter 2');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save key' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(calls('UpdateApiAccessKey')).toEqual([
      { input: { id: 'k1', name: 'Exporter 2', permissions: ['audit_log:read'] } },
    ]);
  });

  it('deletes a key after confirmation', async () => {
    const { calls } = renderKeys();
    await userEvent.click(await screen.findByRole('button', { name: 'Delete Exporter' }));
    await userEvent.click(
      within(screen.getByRole('dialog', { name: 'Delete API access key Exporter?' })).getByRole('button', {
        name: 'Delete key',
      }),
    );
    expect(await screen.findByText('No API access keys yet.')).toBeInTheDocument();
    expect(calls('DeleteApiAccessKey')).toEqual([{ input: { id: 'k1' } }]);
  });
});
