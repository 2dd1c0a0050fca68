import { useState } from 'react';
import { graphql } from '../../gql';
import { useTabQuery } from '../../graphql/useTabQuery';
import { ListTable } from '../../ui/ListTable';
import { PageSection } from '../../ui/PageSection';
import { QueryContent } from '../../ui/QueryContent';
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
  const [{ data, error }, refetch] = useTabQuery({ query: MembersPageQuery, variables: { withRoles: canReadRoles } });
  const [inviting, setInviting] = useState(false);
  const roles = data?.roles ?? [];

  return (
    <PageSection
      headingId="members-heading"
      title="Members"
      description="The people of the organization. Their roles decide what they may do."
      action={
        canWrite &&
        data && (
          <button type="button" onClick={() => setInviting(true)}>
            Invite member
          </button>
        )
      }
    >
      <QueryContent data={data} error={error} what="members" onRetry={refetch}>
        {(data) => (
          <div className="stack">
            <ListTable label="Members" columns={['Member', 'Roles', 'Status', 'Joined']} items={data.members}>
              {(member) => (
                <MemberRow
                  key={member.user.id}
                  member={member}
                  roles={roles}
                  canRemove={canWrite}
                  canAssignRoles={canAssignRoles}
                  onChanged={refetch}
                />
              )}
            </ListTable>
            <InvitationsTable invitations={data.invitations} canWithdraw={canWrite} onChanged={refetch} />
          </div>
        )}
      </QueryContent>
      {inviting && <InviteMemberDialog roles={roles} onClose={() => setInviting(false)} onInvited={refetch} />}
    </PageSection>
  );
}
