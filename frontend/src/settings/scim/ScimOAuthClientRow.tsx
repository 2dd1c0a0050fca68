import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { errorMessage } from '../../graphql/errors';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { CopyButton } from '../../ui/CopyButton';
import { RelativeTime } from '../../ui/RelativeTime';
import { scimStatusLabels } from './scimStatus';

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
  const [, revoke] = useMutation(RevokeScimOAuthClientMutation);
  const [revoking, setRevoking] = useState(false);

  async function confirmRevoke() {
    const result = await revoke({ input: { id: client.id } });
    if (result.error) return errorMessage(result.error);
    onChanged();
    return null;
  }

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
            <button type="button" className="button-secondary" onClick={() => setRevoking(true)}>
              Revoke <span className="visually-hidden">{client.name}</span>
            </button>
          </div>
        )}
        {revoking && (
          <ConfirmDialog
            title={`Revoke OAuth client ${client.name}?`}
            confirmLabel="Revoke client"
            onConfirm={confirmRevoke}
            onClose={() => setRevoking(false)}
          >
            <p>Its access tokens stop working at once.</p>
          </ConfirmDialog>
        )}
      </td>
    </tr>
  );
}
