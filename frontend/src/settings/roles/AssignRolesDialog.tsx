import { useMutation } from 'urql';
import { graphql, type FragmentType } from '../../gql';
import { changeMessage } from '../../ui/changeMessage';
import { RoleChecklistDialog, type RoleChecklistDialog_RoleFragment } from './RoleChecklistDialog';

const AssignRoleMutation = graphql(`
  mutation AssignRole($input: AssignRoleInput!) {
    assignRole(input: $input) {
      role {
        id
      }
    }
  }
`);

const UnassignRoleMutation = graphql(`
  mutation UnassignRole($input: UnassignRoleInput!) {
    unassignRole(input: $input) {
      role {
        id
      }
    }
  }
`);

/** RoleHolder is who holds roles: a member (by user id) or a service account. */
export type RoleHolder = { userId: string } | { serviceAccountId: string };

interface AssignRolesDialogProps {
  holder: RoleHolder;
  /** holderName names the member or service account in the title, e.g. an email. */
  holderName: string;
  /** assignedRoleIds are the roles the holder has now. */
  assignedRoleIds: ReadonlyArray<string>;
  roles: ReadonlyArray<FragmentType<typeof RoleChecklistDialog_RoleFragment>>;
  /** takeWarnings warn, by role id, what taking a role will not undo (see RoleChecklistDialog). */
  takeWarnings?: ReadonlyMap<string, string>;
  onClose: () => void;
  /** onChanged runs after any role was assigned or unassigned, even when a later one failed. */
  onChanged: () => void;
}

/** AssignRolesDialog assigns and unassigns roles of a member or a service account. */
export function AssignRolesDialog({
  holder,
  holderName,
  assignedRoleIds,
  roles,
  takeWarnings,
  onClose,
  onChanged,
}: AssignRolesDialogProps) {
  const [, assignRole] = useMutation(AssignRoleMutation);
  const [, unassignRole] = useMutation(UnassignRoleMutation);
  return (
    <RoleChecklistDialog
      title={`Roles of ${holderName}`}
      heldRoleIds={assignedRoleIds}
      roles={roles}
      give={async (roleId) => (await assignRole({ input: { roleId, ...holder } })).error}
      take={async (roleId) => (await unassignRole({ input: { roleId, ...holder } })).error}
      saved={changeMessage('Roles of', holderName, 'saved')}
      takeWarnings={takeWarnings}
      onClose={onClose}
      onChanged={onChanged}
    />
  );
}
