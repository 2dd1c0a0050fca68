import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockClient, type Answer } from '../../test/mockClient';
import { renderRoute } from '../../test/renderRoute';
import { MembersPage } from './MembersPage';

const everything = ['audit_log:read', 'members:read', 'members:write', 'roles:read', 'roles:write', 'secrets:write'];
const admin = {
  id: 'r1',
  name: 'Admin',
  description: 'Every permission',
  builtInRole: 'ADMIN',
  permissions: everything,
};
const auditors = { id: 'r2', name: 'Auditors', description: '', builtInRole: null, permissions: ['audit_log:read'] };
const ada = {
  user: { id: 'u1', email: 'ada@example.com', name: 'Ada Lovelace' },
  status: 'ACTIVE',
  joinedAt: '2025-01-01T00:00:00Z',
  roles: [admin],
  provisionedByScim: false,
  scimRoleGrants: [],
};
const invitation = {
  id: 'i1',
  email: 'grace@example.com',
  roles: [auditors],
  createdAt: '2025-01-02T00:00:00Z',
  expiresAt: '2099-01-09T00:00:00Z',
};
const allPermissions = everything;

const viewer = {
  id: 'r3',
  name: 'Viewer',
  description: 'Reads everything',
  builtInRole: 'VIEWER',
  permissions: ['audit_log:read'],
};
const sam = {
  user: { id: 'u2', email: 'sam@example.com', name: 'Sam' },
  status: 'ACTIVE',
  joinedAt: '2025-01-03T00:00:00Z',
  roles: [auditors],
  provisionedByScim: true,
  scimRoleGrants: [{ roleId: 'r2', groups: ['Helpdesk'] }],
};

function renderMembers(
  mutations: Record<string, (variables: Record<string, unknown>) => Answer> = {},
  permissions = allPermissions,
  members: ReadonlyArray<object> = [ada],
) {
  const mock = mockClient({
    MembersPage: ({ withRoles }) => ({
      data: { members, invitations: [invitation], ...(withRoles ? { roles: [admin, auditors, viewer] } : {}) },
    }),
    ...mutations,
  });
  renderRoute(MembersPage, { url: '/settings/members', client: mock.client, permissions });
  return mock;
}

describe('Members', () => {
  it('lists members with their roles and status, and the pending invitations', async () => {
    renderMembers();
    const members = await screen.findByRole('table', { name: 'Members' });
    const row = within(members).getByRole('row', { name: /Ada Lovelace/ });
    expect(row).toHaveTextContent('ada@example.com');
    expect(within(row).getByRole('list', { name: 'Roles of ada@example.com' })).toHaveTextContent('Admin');
    expect(row).toHaveTextContent('Active');
    const invitations = screen.getByRole('table', { name: 'Pending invitations' });
    expect(within(invitations).getByRole('row', { name: /grace@example.com/ })).toHaveTextContent('Auditors');
  });

  it('invites an email address with roles granted on joining', async () => {
    const { calls } = renderMembers({
      InviteMember: () => ({ data: { inviteMember: { invitation: { id: 'i2', email: 'alan@example.com' } } } }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Invite member' }));
    const dialog = screen.getByRole('dialog', { name: 'Invite member' });
    await userEvent.type(within(dialog).getByLabelText('Email'), 'alan@example.com');
    expect(within(dialog).getByRole('checkbox', { name: /Viewer/ })).toBeChecked();
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Auditors' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Send invitation' }));
    await screen.findByText('Invitation sent to alan@example.com.');
    expect(calls('InviteMember')).toEqual([{ input: { email: 'alan@example.com', roleIds: ['r2', 'r3'] } }]);
    expect(calls('MembersPage').length).toBeGreaterThan(1);
  });

  it('explains that the last administrator cannot be removed', async () => {
    renderMembers({
      RemoveMember: () => ({
        errors: [
          {
            message: "the organization's last administrator cannot lose the Admin role",
            extensions: { code: 'CONFLICT' },
          },
        ],
      }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Remove ada@example.com' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove ada@example.com?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove member' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'ada@example.com is the organization’s last administrator and cannot be removed',
    );
  });

  it('assigns and unassigns roles, then shows the members as the server has them', async () => {
    const { calls } = renderMembers({
      AssignRole: () => ({ data: { assignRole: { role: { id: 'r2' } } } }),
      UnassignRole: () => ({ data: { unassignRole: { role: { id: 'r1' } } } }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Edit roles of ada@example.com' }));
    const dialog = screen.getByRole('dialog', { name: 'Roles of ada@example.com' });
    expect(within(dialog).getByRole('checkbox', { name: /Admin/ })).toBeChecked();
    await userEvent.click(within(dialog).getByRole('checkbox', { name: /Auditors/ }));
    await userEvent.click(within(dialog).getByRole('checkbox', { name: /Admin/ }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save roles' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(calls('AssignRole')).toEqual([{ input: { roleId: 'r2', userId: 'u1' } }]);
    expect(calls('UnassignRole')).toEqual([{ input: { roleId: 'r1', userId: 'u1' } }]);
    expect(calls('MembersPage').length).toBeGreaterThan(1);
  });

  it('marks members the identity provider provisioned, and warns before taking a role its group gave', async () => {
    renderMembers({}, allPermissions, [ada, sam]);
    const row = await screen.findByRole('row', { name: /Sam/ });
    expect(row).toHaveTextContent('Provisioned by SCIM');
    const roles = within(row).getByRole('list', { name: 'Roles of sam@example.com' });
    expect(roles).toHaveTextContent('Auditors · from SCIM');
    expect(screen.getByRole('row', { name: /Ada Lovelace/ })).not.toHaveTextContent('Provisioned by SCIM');

    await userEvent.click(screen.getByRole('button', { name: 'Edit roles of sam@example.com' }));
    const dialog = screen.getByRole('dialog', { name: 'Roles of sam@example.com' });
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('checkbox', { name: /Auditors/ }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent(
      'The identity provider granted sam@example.com this role through the SCIM group “Helpdesk”, ' +
        'and will grant it again',
    );
  });

  it('does not offer to grant a role holding permissions the viewer lacks', async () => {
    renderMembers({}, ['members:read', 'members:write', 'roles:read', 'audit_log:read']);
    await userEvent.click(await screen.findByRole('button', { name: 'Invite member' }));
    const dialog = screen.getByRole('dialog', { name: 'Invite member' });
    expect(within(dialog).getByRole('checkbox', { name: /Admin/ })).toBeDisabled();
    expect(within(dialog).getByText('(it holds permissions you do not)')).toBeInTheDocument();
    expect(within(dialog).getByRole('checkbox', { name: 'Auditors' })).toBeEnabled();
  });

  it('withdraws a pending invitation after confirmation, then lists what the server has', async () => {
    const { calls } = renderMembers({
      WithdrawInvitation: () => ({ data: { withdrawInvitation: { withdrawnInvitationId: 'i1' } } }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Withdraw grace@example.com' }));
    const dialog = screen.getByRole('dialog', { name: 'Withdraw the invitation to grace@example.com?' });
    expect(dialog).toHaveTextContent('stops working at once');
    expect(calls('WithdrawInvitation')).toEqual([]);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Withdraw invitation' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(calls('WithdrawInvitation')).toEqual([{ input: { id: 'i1' } }]);
    expect(calls('MembersPage').length).toBeGreaterThan(1);
  });

  it('offers no changes to a viewer who may only read members', async () => {
    const { calls } = renderMembers({}, ['members:read']);
    await screen.findByRole('table', { name: 'Members' });
    expect(screen.queryByRole('button', { name: 'Invite member' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Remove/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Edit roles/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Withdraw/ })).not.toBeInTheDocument();
    expect(calls('MembersPage')).toEqual([{ withRoles: false }]);
  });
});
