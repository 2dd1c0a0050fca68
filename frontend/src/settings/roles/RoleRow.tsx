import { useState } from 'react';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { RowActionButton } from '../../ui/RowActionButton';
import { DeleteRoleDialog } from './DeleteRoleDialog';
import { RoleFormDialog, type RoleFormDialog_PermissionFragment } from './RoleFormDialog';
import { PermissionList } from '../../ui/PermissionList';

export const RoleRow_RoleFragment = graphql(`
  fragment RoleRow_Role on Role {
    id
    name
    description
    builtIn
    builtInRole
    permissions
    ...RoleFormDialog_Role
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
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);

  return (
    <tr>
      <th scope="row">
        {role.name} {role.builtIn && <span className="badge">Built-in</span>}
        {role.description && <div className="muted">{role.description}</div>}
      </th>
      <td>
        {role.builtInRole === 'ADMIN' ? (
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
        {deleting && <DeleteRoleDialog role={role} onClose={() => setDeleting(false)} onDeleted={onChanged} />}
      </td>
    </tr>
  );
}
