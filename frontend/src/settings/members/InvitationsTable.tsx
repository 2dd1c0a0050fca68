import { useState } from 'react';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import type { InvitationsTable_InvitationFragment as Invitation } from '../../gql/graphql';
import { useConfirmedMutation } from '../../graphql/useConfirmedMutation';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ListTable } from '../../ui/ListTable';
import { RelativeTime } from '../../ui/RelativeTime';
import { RowActionButton } from '../../ui/RowActionButton';
import { changeMessage } from '../../ui/changeMessage';

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

const WithdrawInvitationMutation = graphql(`
  mutation WithdrawInvitation($input: WithdrawInvitationInput!) {
    withdrawInvitation(input: $input) {
      withdrawnInvitationId
    }
  }
`);

interface InvitationsTableProps {
  invitations: ReadonlyArray<FragmentType<typeof InvitationsTable_InvitationFragment>>;
  /** canWithdraw shows the Withdraw action (members:write). */
  canWithdraw: boolean;
  onChanged: () => void;
}

/** InvitationsTable lists the invitations not yet accepted, each of which an admin may withdraw. */
export function InvitationsTable({ invitations: invitationRefs, canWithdraw, onChanged }: InvitationsTableProps) {
  const invitations = getFragmentData(InvitationsTable_InvitationFragment, invitationRefs);
  return (
    <section aria-labelledby="invitations-heading" className="stack">
      <h3 id="invitations-heading">Pending invitations</h3>
      <ListTable
        label="Pending invitations"
        columns={['Email', 'Roles on joining', 'Sent', 'Expires']}
        actionsColumn={canWithdraw}
        items={invitations}
        empty={<p className="muted">No pending invitations.</p>}
      >
        {(invitation) => (
          <InvitationRow key={invitation.id} invitation={invitation} canWithdraw={canWithdraw} onChanged={onChanged} />
        )}
      </ListTable>
    </section>
  );
}

interface InvitationRowProps {
  invitation: Invitation;
  canWithdraw: boolean;
  onChanged: () => void;
}

function InvitationRow({ invitation, canWithdraw, onChanged }: InvitationRowProps) {
  const withdraw = useConfirmedMutation(
    WithdrawInvitationMutation,
    onChanged,
    changeMessage('Invitation to', invitation.email, 'withdrawn'),
  );
  const [confirming, setConfirming] = useState(false);
  return (
    <tr>
      <th scope="row">{invitation.email}</th>
      <td>{invitation.roles.map((r) => r.name).join(', ') || <span className="muted">No roles</span>}</td>
      <td>
        <RelativeTime iso={invitation.createdAt} />
      </td>
      <td>
        <RelativeTime iso={invitation.expiresAt} />
      </td>
      {canWithdraw && (
        <td>
          <div className="row-actions">
            <RowActionButton label="Withdraw" target={invitation.email} onClick={() => setConfirming(true)} />
          </div>
          {confirming && (
            <ConfirmDialog
              title={`Withdraw the invitation to ${invitation.email}?`}
              confirmLabel="Withdraw invitation"
              onConfirm={() => withdraw({ input: { id: invitation.id } })}
              onClose={() => setConfirming(false)}
            >
              <p>The link in their email stops working at once. You can invite them again later.</p>
            </ConfirmDialog>
          )}
        </td>
      )}
    </tr>
  );
}
