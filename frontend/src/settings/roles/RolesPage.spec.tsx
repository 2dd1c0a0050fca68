import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockClient, type Answer } from '../../test/mockClient';
import { renderRoute } from '../../test/renderRoute';
import { RolesPage } from './RolesPage';

const permissions = [
  { name: 'audit_log:read', description: 'Read the audit log' },
  { name: 'roles:write', description: 'Change roles' },
];
const admin = {
  id: 'r1',
  name: 'Admin',
  description: 'Everything',
  builtIn: true,
  builtInRole: 'ADMIN',
  permissions: [],
};
const readers = {
  id: 'r2',
  name: 'Readers',
  description: '',
  builtIn: false,
  builtInRole: null,
  permissions: ['audit_log:read'],
};

function renderRoles(
  mutations: Record<string, (variables: Record<string, unknown>) => Answer>,
  held = ['audit_log:read', 'roles:read', 'roles:write'],
) {
  let roles = [admin, readers];
  const mock = mockClient({
    RolesPage: () => ({ data: { roles, permissions } }),
    DeleteRoleDialog: ({ id }) => ({ data: { role: { id, holders: [] } } }),
    ...mutations,
    DeleteRole: () => {
      roles = roles.filter((r) => r.id !== readers.id);
      return { data: { deleteRole: { deletedRoleId: readers.id } } };
    },
  });
  renderRoute(RolesPage, { url: '/settings/roles', client: mock.client, permissions: held });
  return mock;
}

describe('Roles & Permissions', () => {
  it('lists roles; the built-in Admin role cannot be edited or deleted', async () => {
    renderRoles({});
    const table = await screen.findByRole('table', { name: 'Roles' });
    expect(within(table).getByRole('row', { name: /Admin/ })).toHaveTextContent('Every permission');
    expect(within(table).queryByRole('button', { name: 'Delete Admin' })).not.toBeInTheDocument();
    expect(within(table).getByRole('button', { name: 'Delete Readers' })).toBeInTheDocument();
  });

  it('does not offer to add a permission the viewer does not hold', async () => {
    renderRoles({}, ['roles:read', 'roles:write']);
    await userEvent.click(await screen.findByRole('button', { name: 'Create role' }));
    const dialog = screen.getByRole('dialog', { name: 'Create role' });
    expect(within(dialog).getByRole('checkbox', { name: /audit_log:read/ })).toBeDisabled();
    expect(within(dialog).getByRole('checkbox', { name: /roles:write/ })).toBeEnabled();
  });

  it('creates a role with its permissions', async () => {
    const { calls } = renderRoles({ CreateRole: () => ({ data: { createRole: { role: { id: 'r3' } } } }) });
    await userEvent.click(await screen.findByRole('button', { name: 'Create role' }));
    const dialog = screen.getByRole('dialog', { name: 'Create role' });
    await userEvent.type(within(dialog).getByLabelText('Name'), 'Auditors');
    await userEvent.click(within(dialog).getByRole('checkbox', { name: /audit_log:read/ }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create role' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(calls('CreateRole')).toEqual([
      { input: { name: 'Auditors', description: '', permissions: ['audit_log:read'] } },
    ]);
    expect(calls('RolesPage').length).toBeGreaterThan(1);
  });

  it('shows the server’s objection next to the field it names', async () => {
    renderRoles({
      CreateRole: () => ({
        errors: [{ message: 'name must not contain control characters', extensions: { code: 'BAD_USER_INPUT', field: 'name' } }],
      }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Create role' }));
    const dialog = screen.getByRole('dialog', { name: 'Create role' });
    await userEvent.type(within(dialog).getByLabelText('Name'), 'Odd');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create role' }));
    await waitFor(() =>
      expect(within(dialog).getByLabelText('Name')).toHaveAccessibleDescription('Name must not contain control characters.'),
    );
  });

  it('says who holds a role, and how many, before deleting it', async () => {
    renderRoles({
      DeleteRoleDialog: ({ id }) => ({
        data: {
          role: {
            id,
            holders: [
              { kind: 'MEMBER', id: 'u1', name: 'ada@example.com' },
              { kind: 'MEMBER', id: 'u2', name: 'bob@example.com' },
              { kind: 'SERVICE_ACCOUNT', id: 's1', name: 'ci-bot' },
            ],
          },
        },
      }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Delete Readers' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete role Readers?' });
    const holders = await within(dialog).findByRole('list', { name: 'Holders of Readers' });
    expect(dialog).toHaveTextContent('2 members and 1 service account hold this role and will lose its permissions');
    expect(within(holders).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'ada@example.com member',
      'bob@example.com member',
      'ci-bot service account',
    ]);
  });

  it('shows the permissions of the built-in Viewer, which cannot be edited either', async () => {
    const viewer = { ...admin, id: 'r9', name: 'Viewer', builtInRole: 'VIEWER', permissions: ['audit_log:read'] };
    const mock = mockClient({ RolesPage: () => ({ data: { roles: [admin, viewer], permissions } }) });
    const held = ['roles:read', 'roles:write'];
    renderRoute(RolesPage, { url: '/settings/roles', client: mock.client, permissions: held });
    const row = await screen.findByRole('row', { name: /Viewer/ });
    expect(within(row).getByRole('list', { name: 'Permissions of Viewer' })).toHaveTextContent('audit_log:read');
    expect(within(row).queryByRole('button')).not.toBeInTheDocument();
  });

  it('deletes a role after confirmation and shows the list as the server has it', async () => {
    const { calls } = renderRoles({});
    await userEvent.click(await screen.findByRole('button', { name: 'Delete Readers' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete role Readers?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete role' }));
    await waitFor(() => expect(screen.queryByRole('row', { name: /Readers/ })).not.toBeInTheDocument());
    expect(calls('DeleteRole')).toEqual([{ input: { id: 'r2' } }]);
    await screen.findByText('Role “Readers” deleted.');
  });
});
