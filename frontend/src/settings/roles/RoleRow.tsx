import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { errorMessage } from '../../graphql/errors';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { RoleFormDialog, type RoleFormDialog_PermissionFragment } from './RoleFormDialog';

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
  const [, deleteRole] = useMutation(DeleteRoleMutation);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);

  async function confirmDelete() {
    const result = await deleteRole({ input: { id: role.id } });
    if (result.error) return errorMessage(result.error);
    onChanged();
    return null;
  }

  return (
    <tr>
      <th scope="row">
        {role.name} {role.builtIn && <span className="badge">Built-in</span>}
        {role.description && <div className="muted">{role.description}</div>}
      </th>
      <td>{role.builtIn ? 'Every permission' : role.permissions.map((p) => <code key={p}>{p} </code>)}</td>
      <td>
        {canWrite && !role.builtIn && (
          <div className="row-actions">
            <button type="button" className="button-secondary" onClick={() => setEditing(true)}>
              Edit <span className="visually-hidden">{role.name}</span>
            </button>
            <button type="button" className="button-secondary" onClick={() => setDeleting(true)}>
              Delete <span className="visually-hidden">{role.name}</span>
            </button>
          </div>
        )}
        {editing && (
          <RoleFormDialog role={role} permissions={permissions} onClose={() => setEditing(false)} onSaved={onChanged} />
        )}
        {deleting && (
          <ConfirmDialog
            title={`Delete role ${role.name}?`}
            confirmLabel="Delete role"
            onConfirm={confirmDelete}
            onClose={() => setDeleting(false)}
          >
            <p>Members and service accounts holding this role lose its permissions.</p>
          </ConfirmDialog>
        )}
      </td>
    </tr>
  );
}
