import { useState } from 'react';
import { type CombinedError, useMutation } from 'urql';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import type { MembershipStatus } from '../../gql/graphql';
import { errorMessage, hasErrorCode } from '../../graphql/errors';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { RelativeTime } from '../../ui/RelativeTime';
import { RowActionButton } from '../../ui/RowActionButton';
import { changeMessage } from '../../ui/changeMessage';
import { useToast } from '../../ui/toast';
import { AssignRolesDialog } from '../roles/AssignRolesDialog';
import type { RoleChecklistDialog_RoleFragment } from '../roles/RoleChecklistDialog';

export const MemberRow_MemberFragment = graphql(`
  fragment MemberRow_Member on Member {
    user {
      id
      email
      name
    }
    status
    joinedAt
    roles {
      id
      name
    }
    provisionedByScim
    scimRoleGrants {
      roleId
      groups
    }
  }
`);

const RemoveMemberMutation = graphql(`
  mutation RemoveMember($input: RemoveMemberInput!) {
    removeMember(input: $input) {
      removedUserId
    }
  }
`);

const statusLabels: Record<MembershipStatus, string> = { ACTIVE: 'Active', DEACTIVATED: 'Deactivated' };

interface MemberRowProps {
  member: FragmentType<typeof MemberRow_MemberFragment>;
  /** roles are the organization's roles, to assign from (empty without roles:read). */
  roles: ReadonlyArray<FragmentType<typeof RoleChecklistDialog_RoleFragment>>;
  canRemove: boolean;
  canAssignRoles: boolean;
  onChanged: () => void;
}

/** removalFailure explains why a member could not be removed; the last administrator gets a way forward. */
function removalFailure(error: CombinedError, email: string): string {
  if (hasErrorCode(error, 'CONFLICT')) {
    return (
      `${email} is the organization’s last administrator and cannot be removed. ` +
      `Give another member the Admin role first. (${errorMessage(error)})`
    );
  }
  return errorMessage(error);
}

/** groupNames lists SCIM groups as a sentence: “A”, “A” and “B”, “A”, “B” and “C”. */
function groupNames(groups: ReadonlyArray<string>): string {
  const quoted = groups.map((g) => `“${g}”`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}` : (quoted[0] ?? '');
}

/**
 * scimTakeWarnings warn, for each role the identity provider gave the member
 * through SCIM groups, that taking it by hand does not last: the provider
 * gives it again when it next adds them to one of those groups.
 */
function scimTakeWarnings(email: string, grants: ReadonlyArray<{ roleId: string; groups: ReadonlyArray<string> }>) {
  return new Map(
    grants.map(({ roleId, groups }) => {
      const plural = groups.length > 1 ? 's' : '';
      const through = groups.length > 0 ? ` through the SCIM group${plural} ${groupNames(groups)}` : '';
      return [
        roleId,
        `The identity provider granted ${email} this role${through}, and will grant it again when it next ` +
          'updates their groups. To take it away for good, remove them from the group in the identity provider.',
      ];
    }),
  );
}

/** MemberRow is one member with their roles and status, and the actions on them. */
export function MemberRow({ member: memberRef, roles, canRemove, canAssignRoles, onChanged }: MemberRowProps) {
  const member = getFragmentData(MemberRow_MemberFragment, memberRef);
  const [, removeMember] = useMutation(RemoveMemberMutation);
  const toast = useToast();
  const [open, setOpen] = useState<'roles' | 'remove' | null>(null);
  const { email, name } = member.user;
  const scimRoles = new Set(member.scimRoleGrants.map((g) => g.roleId));

  async function confirmRemove() {
    const result = await removeMember({ input: { userId: member.user.id } });
    if (result.error) return removalFailure(result.error, email);
    toast(changeMessage('Member', email, 'removed'));
    onChanged();
    return null;
  }

  return (
    <tr>
      <th scope="row">
        {name || email}
        {member.provisionedByScim && (
          <>
            {' '}
            <span className="badge" title="The identity provider manages this member through SCIM">
              Provisioned by SCIM
            </span>
          </>
        )}
        {name && <div className="muted">{email}</div>}
      </th>
      <td>
        {member.roles.length > 0 ? (
          <ul className="badges" aria-label={`Roles of ${email}`}>
            {member.roles.map((r) => (
              <li key={r.id} className="badge">
                {r.name}
                {scimRoles.has(r.id) && <span className="muted"> · from SCIM</span>}
              </li>
            ))}
          </ul>
        ) : (
          <span className="muted">No roles</span>
        )}
      </td>
      <td>{statusLabels[member.status]}</td>
      <td>
        <RelativeTime iso={member.joinedAt} />
      </td>
      <td>
        <div className="row-actions">
          {canAssignRoles && (
            <RowActionButton label="Edit roles" target={`of ${email}`} onClick={() => setOpen('roles')} />
          )}
          {canRemove && (
            <RowActionButton label="Remove" target={email} onClick={() => setOpen('remove')} />
          )}
        </div>
        {open === 'roles' && (
          <AssignRolesDialog
            holder={{ userId: member.user.id }}
            holderName={email}
            assignedRoleIds={member.roles.map((r) => r.id)}
            roles={roles}
            takeWarnings={scimTakeWarnings(email, member.scimRoleGrants)}
            onClose={() => setOpen(null)}
            onChanged={onChanged}
          />
        )}
        {open === 'remove' && (
          <ConfirmDialog
            title={`Remove ${email}?`}
            confirmLabel="Remove member"
            onConfirm={confirmRemove}
            onClose={() => setOpen(null)}
          >
            <p>They lose their roles in this organization and are signed out of it at once.</p>
          </ConfirmDialog>
        )}
      </td>
    </tr>
  );
}
