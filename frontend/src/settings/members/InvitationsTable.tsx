import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { ListTable } from '../../ui/ListTable';
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
      <ListTable
        label="Pending invitations"
        columns={['Email', 'Roles on joining', 'Sent', 'Expires']}
        actionsColumn={false}
        items={invitations}
        empty={<p className="muted">No pending invitations.</p>}
      >
        {(invitation) => (
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
        )}
      </ListTable>
    </section>
  );
}
