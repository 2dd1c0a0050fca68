import { useState } from 'react';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { useConfirmedMutation } from '../../graphql/useConfirmedMutation';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { CopyButton } from '../../ui/CopyButton';
import { RelativeTime } from '../../ui/RelativeTime';
import { RowActionButton } from '../../ui/RowActionButton';
import { scimStatusLabels } from './scimStatus';
import { changeMessage } from '../../ui/changeMessage';

export const ScimOAuthClientRow_ScimOAuthClientFragment = graphql(`
  fragment ScimOAuthClientRow_ScimOAuthClient on ScimOAuthClient {
    id
    name
    clientId
    status
    createdAt
    lastUsedAt
  }
`);

const RevokeScimOAuthClientMutation = graphql(`
  mutation RevokeScimOAuthClient($input: RevokeScimOAuthClientInput!) {
    revokeScimOAuthClient(input: $input) {
      scimOAuthClient {
        id
        status
      }
    }
  }
`);

interface ScimOAuthClientRowProps {
  client: FragmentType<typeof ScimOAuthClientRow_ScimOAuthClientFragment>;
  canWrite: boolean;
  onChanged: () => void;
}

/** ScimOAuthClientRow is one SCIM OAuth client with its client ID (its secret is never shown again), and revoke. */
export function ScimOAuthClientRow({ client: clientRef, canWrite, onChanged }: ScimOAuthClientRowProps) {
  const client = getFragmentData(ScimOAuthClientRow_ScimOAuthClientFragment, clientRef);
  const revoke = useConfirmedMutation(
    RevokeScimOAuthClientMutation,
    onChanged,
    changeMessage('OAuth client', client.name, 'revoked'),
  );
  const [revoking, setRevoking] = useState(false);

  return (
    <tr>
      <th scope="row">{client.name}</th>
      <td className="break">
        <code>{client.clientId}</code> <CopyButton value={client.clientId} label={`Copy the client ID of ${client.name}`} />
      </td>
      <td>{scimStatusLabels[client.status]}</td>
      <td>
        <RelativeTime iso={client.createdAt} />
      </td>
      <td>{client.lastUsedAt ? <RelativeTime iso={client.lastUsedAt} /> : 'Never'}</td>
      <td>
        {canWrite && client.status === 'ACTIVE' && (
          <div className="row-actions">
            <RowActionButton label="Revoke" target={client.name} onClick={() => setRevoking(true)} />
          </div>
        )}
        {revoking && (
          <ConfirmDialog
            title={`Revoke OAuth client ${client.name}?`}
            confirmLabel="Revoke client"
            onConfirm={() => revoke({ input: { id: client.id } })}
            onClose={() => setRevoking(false)}
          >
            <p>Its access tokens stop working at once.</p>
          </ConfirmDialog>
        )}
      </td>
    </tr>
  );
}
