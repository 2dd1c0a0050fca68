import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { QueryFailed } from '../../ui/QueryFailed';
import { useHasPermission } from '../../viewer/permissions';
import { InvitationsTable } from './InvitationsTable';
import { InviteMemberDialog } from './InviteMemberDialog';
import { MemberRow } from './MemberRow';

const MembersPageQuery = graphql(`
  query MembersPage($withRoles: Boolean!) {
    members {
      user {
        id
      }
      ...MemberRow_Member
    }
    invitations {
      ...InvitationsTable_Invitation
    }
    roles @include(if: $withRoles) {
      ...RoleChecklistDialog_Role
    }
  }
`);

/** MembersPage is the Settings › Members tab: the people of the organization, their roles, and invitations. */
export function MembersPage() {
  const canWrite = useHasPermission('members:write');
  const canReadRoles = useHasPermission('roles:read');
  const canAssignRoles = useHasPermission('roles:write') && canReadRoles;
  const [{ data, error }, reexecute] = useQuery({
    query: MembersPageQuery,
    variables: { withRoles: canReadRoles },
    // A tab opened again shows what it had at once, then what the server has now.
    requestPolicy: 'cache-and-network',
  });
  const [inviting, setInviting] = useState(false);
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  const roles = data?.roles ?? [];

  return (
    <section aria-labelledby="members-heading">
      <header className="page-header">
        <div>
          <h2 id="members-heading">Members</h2>
          <p className="muted">The people of the organization. Their roles decide what they may do.</p>
        </div>
        {canWrite && data && (
          <button type="button" onClick={() => setInviting(true)}>
            Invite member
          </button>
        )}
      </header>
      {data ? (
        <div className="stack">
          <div className="table-scroll">
            <table aria-label="Members">
              <thead>
                <tr>
                  <th scope="col">Member</th>
                  <th scope="col">Roles</th>
                  <th scope="col">Status</th>
                  <th scope="col">Joined</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.members.map((member) => (
                  <MemberRow
                    key={member.user.id}
                    member={member}
                    roles={roles}
                    canRemove={canWrite}
                    canAssignRoles={canAssignRoles}
                    onChanged={refetch}
                  />
                ))}
              </tbody>
            </table>
          </div>
          <InvitationsTable invitations={data.invitations} />
        </div>
      ) : error ? (
        <QueryFailed what="members" error={error} onRetry={refetch} />
      ) : (
        <p role="status">Loading…</p>
      )}
      {inviting && <InviteMemberDialog roles={roles} onClose={() => setInviting(false)} onInvited={refetch} />}
    </section>
  );
}
