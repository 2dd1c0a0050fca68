import { useState } from 'react';
import type { CombinedError } from 'urql';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { errorMessage } from '../../graphql/errors';
import { Dialog } from '../../ui/Dialog';
import { useToast } from '../../ui/toast';
import { notHeld, usePermissions } from '../../viewer/permissions';

export const RoleChecklistDialog_RoleFragment = graphql(`
  fragment RoleChecklistDialog_Role on Role {
    id
    name
    description
    builtInRole
    permissions
  }
`);

/** RoleChange gives or takes one role; it resolves to the error when the server refused. */
export type RoleChange = (roleId: string) => Promise<CombinedError | undefined>;

interface RoleChecklistDialogProps {
  title: string;
  /** heldRoleIds are the roles held now. */
  heldRoleIds: ReadonlyArray<string>;
  roles: ReadonlyArray<FragmentType<typeof RoleChecklistDialog_RoleFragment>>;
  give: RoleChange;
  take: RoleChange;
  /** saved is the toast once every change went through, e.g. “Roles of “bob@acme.test” saved.”. */
  saved: string;
  /**
   * takeWarnings warn, by role id, what taking a held role will not undo
   * (an identity provider that grants it again); shown once it is unticked.
   */
  takeWarnings?: ReadonlyMap<string, string>;
  onClose: () => void;
  /** onChanged runs after any role was given or taken, even when a later one failed. */
  onChanged: () => void;
}

/**
 * RoleChecklistDialog is a checklist of the organization's roles: each
 * ticked role not yet held is given, each held role unticked is taken, one
 * at a time, stopping at the first refusal (such as the last administrator
 * losing the Admin role), which it shows. A role holding permissions the
 * viewer lacks cannot be given (the server refuses it too), only taken.
 */
export function RoleChecklistDialog({
  title,
  heldRoleIds,
  roles: roleRefs,
  give,
  take,
  saved,
  takeWarnings,
  onClose,
  onChanged,
}: RoleChecklistDialogProps) {
  const roles = getFragmentData(RoleChecklistDialog_RoleFragment, roleRefs);
  const held = usePermissions();
  const toast = useToast();
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(heldRoleIds));
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
    const given = roles.filter((r) => chosen.has(r.id) && !heldRoleIds.includes(r.id));
    const taken = roles.filter((r) => !chosen.has(r.id) && heldRoleIds.includes(r.id));
    const changes = [
      ...given.map((role) => ({ role, change: give, verb: 'give' })),
      ...taken.map((role) => ({ role, change: take, verb: 'take away' })),
    ];
    let changed = false;
    for (const { role, change, verb } of changes) {
      const error = await change(role.id);
      if (error) {
        setBusy(false);
        setFailure(`Could not ${verb} ${role.name}: ${errorMessage(error)}`);
        if (changed) onChanged();
        return;
      }
      changed = true;
    }
    setBusy(false);
    if (changed) {
      toast(saved);
      onChanged();
    }
    onClose();
  }

  return (
    <Dialog title={title} onClose={onClose}>
      <fieldset className="permissions">
        <legend>Roles</legend>
        {roles.map((role) => {
          const cannotGive = !heldRoleIds.includes(role.id) && notHeld(held, role.permissions).length > 0;
          const warning = takeWarnings?.get(role.id);
          return (
            <div key={role.id}>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={chosen.has(role.id)}
                  disabled={cannotGive}
                  onChange={(e) => toggle(role.id, e.target.checked)}
                />
                {role.name} {role.description && <span className="muted">{role.description}</span>}
                {cannotGive && <span className="muted">(it holds permissions you do not)</span>}
              </label>
              {warning && !chosen.has(role.id) && (
                <p role="alert" className="callout callout-warning">
                  {warning}
                </p>
              )}
            </div>
          );
        })}
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
