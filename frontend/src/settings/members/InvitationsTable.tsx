import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { RelativeTime } from '../../ui/RelativeTime';

export const InvitationsTable_InvitationFragment = graphql(`
  fragment InvitationsTable_Invitation on Invitation {
    id
    email
    roles {
      id
      name
    }
    createdAt
    expiresAt
  }
`);

interface InvitationsTableProps {
  invitations: ReadonlyArray<FragmentType<typeof InvitationsTable_InvitationFragment>>;
}

/** InvitationsTable lists the invitations not yet accepted. */
export function InvitationsTable({ invitations: invitationRefs }: InvitationsTableProps) {
  const invitations = getFragmentData(InvitationsTable_InvitationFragment, invitationRefs);
  return (
    <section aria-labelledby="invitations-heading" className="stack">
      <h3 id="invitations-heading">Pending invitations</h3>
      {invitations.length === 0 ? (
        <p className="muted">No pending invitations.</p>
      ) : (
        <div className="table-scroll">
          <table aria-label="Pending invitations">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Roles on joining</th>
                <th scope="col">Sent</th>
                <th scope="col">Expires</th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((invitation) => (
                <tr key={invitation.id}>
                  <th scope="row">{invitation.email}</th>
                  <td>{invitation.roles.map((r) => r.name).join(', ') || <span className="muted">No roles</span>}</td>
                  <td>
                    <RelativeTime iso={invitation.createdAt} />
                  </td>
                  <td>
                    <RelativeTime iso={invitation.expiresAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
