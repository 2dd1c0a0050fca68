import { useState } from 'react';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { useConfirmedMutation } from '../../graphql/useConfirmedMutation';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { RowActionButton } from '../../ui/RowActionButton';
import { RoleFormDialog, type RoleFormDialog_PermissionFragment } from './RoleFormDialog';
import { PermissionList } from '../../ui/PermissionList';

export const RoleRow_RoleFragment = graphql(`
  fragment RoleRow_Role on Role {
    id
    name
    description
    builtIn
    permissions
    ...RoleFormDialog_Role
  }
`);

const DeleteRoleMutation = graphql(`
  mutation DeleteRole($input: DeleteRoleInput!) {
    deleteRole(input: $input) {
      deletedRoleId
    }
  }
`);

interface RoleRowProps {
  role: FragmentType<typeof RoleRow_RoleFragment>;
  permissions: ReadonlyArray<FragmentType<typeof RoleFormDialog_PermissionFragment>>;
  canWrite: boolean;
  onChanged: () => void;
}

/** RoleRow is one role with its permissions, and its edit and delete actions. */
export function RoleRow({ role: roleRef, permissions, canWrite, onChanged }: RoleRowProps) {
  const role = getFragmentData(RoleRow_RoleFragment, roleRef);
  const deleteRole = useConfirmedMutation(DeleteRoleMutation, onChanged);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);

  return (
    <tr>
      <th scope="row">
        {role.name} {role.builtIn && <span className="badge">Built-in</span>}
        {role.description && <div className="muted">{role.description}</div>}
      </th>
      <td>
        {role.builtIn ? (
          'Every permission'
        ) : (
          <PermissionList
            permissions={role.permissions}
            catalogSize={permissions.length}
            label={`Permissions of ${role.name}`}
          />
        )}
      </td>
      <td>
        {canWrite && !role.builtIn && (
          <div className="row-actions">
            <RowActionButton label="Edit" target={role.name} onClick={() => setEditing(true)} />
            <RowActionButton label="Delete" target={role.name} onClick={() => setDeleting(true)} />
          </div>
        )}
        {editing && (
          <RoleFormDialog role={role} permissions={permissions} onClose={() => setEditing(false)} onSaved={onChanged} />
        )}
        {deleting && (
          <ConfirmDialog
            title={`Delete role ${role.name}?`}
            confirmLabel="Delete role"
            onConfirm={() => deleteRole({ input: { id: role.id } })}
            onClose={() => setDeleting(false)}
          >
            <p>Members and service accounts holding this role lose its permissions.</p>
          </ConfirmDialog>
        )}
      </td>
    </tr>
  );
}
