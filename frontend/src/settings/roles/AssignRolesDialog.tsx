import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { errorMessage } from '../../graphql/errors';
import { Dialog } from '../../ui/Dialog';

export const AssignRolesDialog_RoleFragment = graphql(`
  fragment AssignRolesDialog_Role on Role {
    id
    name
    description
  }
`);

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
  roles: ReadonlyArray<FragmentType<typeof AssignRolesDialog_RoleFragment>>;
  onClose: () => void;
  /** onChanged runs after any role was assigned or unassigned, even when a later one failed. */
  onChanged: () => void;
}

/**
 * AssignRolesDialog assigns and unassigns roles of a member or a service
 * account: each ticked role not yet held is assigned, each held role
 * unticked is unassigned, one at a time, stopping at the first refusal
 * (such as the last administrator losing the Admin role).
 */
export function AssignRolesDialog({
  holder,
  holderName,
  assignedRoleIds,
  roles: roleRefs,
  onClose,
  onChanged,
}: AssignRolesDialogProps) {
  const roles = getFragmentData(AssignRolesDialog_RoleFragment, roleRefs);
  const [, assignRole] = useMutation(AssignRoleMutation);
  const [, unassignRole] = useMutation(UnassignRoleMutation);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(assignedRoleIds));
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  function toggle(roleId: string, on: boolean) {
    setChosen((previous) => {
      const next = new Set(previous);
      if (on) next.add(roleId);
      else next.delete(roleId);
      return next;
    });
  }

  async function save() {
    setBusy(true);
    setFailure(null);
    const added = roles.filter((r) => chosen.has(r.id) && !assignedRoleIds.includes(r.id));
    const removed = roles.filter((r) => !chosen.has(r.id) && assignedRoleIds.includes(r.id));
    let changed = false;
    for (const role of added) {
      const result = await assignRole({ input: { roleId: role.id, ...holder } });
      if (result.error) return stop(`Could not assign ${role.name}: ${errorMessage(result.error)}`, changed);
      changed = true;
    }
    for (const role of removed) {
      const result = await unassignRole({ input: { roleId: role.id, ...holder } });
      if (result.error) return stop(`Could not unassign ${role.name}: ${errorMessage(result.error)}`, changed);
      changed = true;
    }
    setBusy(false);
    if (changed) onChanged();
    onClose();
  }

  function stop(message: string, changed: boolean) {
    setBusy(false);
    setFailure(message);
    if (changed) onChanged();
  }

  return (
    <Dialog title={`Roles of ${holderName}`} onClose={onClose}>
      <fieldset className="permissions">
        <legend>Roles</legend>
        {roles.map((role) => (
          <label key={role.id} className="checkbox">
            <input type="checkbox" checked={chosen.has(role.id)} onChange={(e) => toggle(role.id, e.target.checked)} />
            {role.name} {role.description && <span className="muted">{role.description}</span>}
          </label>
        ))}
      </fieldset>
      {failure && (
        <p role="alert" className="field-error">
          {failure}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button-secondary" onClick={onClose}>
          Cancel
        </button>
        <button type="button" disabled={busy} onClick={save}>
          Save roles
        </button>
      </div>
    </Dialog>
  );
}
