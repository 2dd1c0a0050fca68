import { useState } from 'react';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { useConfirmedMutation } from '../../graphql/useConfirmedMutation';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { RelativeTime } from '../../ui/RelativeTime';
import { RowActionButton } from '../../ui/RowActionButton';
import { scimStatusLabels } from './scimStatus';
import { changeMessage } from '../../ui/changeMessage';

export const ScimTokenRow_ScimTokenFragment = graphql(`
  fragment ScimTokenRow_ScimToken on ScimToken {
    id
    name
    prefix
    status
    createdAt
    expiresAt
    lastUsedAt
  }
`);

const RevokeScimTokenMutation = graphql(`
  mutation RevokeScimToken($input: RevokeScimTokenInput!) {
    revokeScimToken(input: $input) {
      scimToken {
        id
        status
      }
    }
  }
`);

interface ScimTokenRowProps {
  token: FragmentType<typeof ScimTokenRow_ScimTokenFragment>;
  canWrite: boolean;
  onChanged: () => void;
}

/** ScimTokenRow is one SCIM bearer token, shown by its first characters, with revoke. */
export function ScimTokenRow({ token: tokenRef, canWrite, onChanged }: ScimTokenRowProps) {
  const token = getFragmentData(ScimTokenRow_ScimTokenFragment, tokenRef);
  const revoke = useConfirmedMutation(
    RevokeScimTokenMutation,
    onChanged,
    changeMessage('SCIM token', token.name, 'revoked'),
  );
  const [revoking, setRevoking] = useState(false);

  return (
    <tr>
      <th scope="row">{token.name}</th>
      <td>
        <code>otscim_{token.prefix}…</code>
      </td>
      <td>{scimStatusLabels[token.status]}</td>
      <td>
        <RelativeTime iso={token.createdAt} />
      </td>
      <td>{token.lastUsedAt ? <RelativeTime iso={token.lastUsedAt} /> : 'Never'}</td>
      <td>{token.expiresAt ? <RelativeTime iso={token.expiresAt} /> : 'Never'}</td>
      <td>
        {canWrite && token.status === 'ACTIVE' && (
          <div className="row-actions">
            <RowActionButton label="Revoke" target={token.name} onClick={() => setRevoking(true)} />
          </div>
        )}
        {revoking && (
          <ConfirmDialog
            title={`Revoke SCIM token ${token.name}?`}
            confirmLabel="Revoke token"
            onConfirm={() => revoke({ input: { id: token.id } })}
            onClose={() => setRevoking(false)}
          >
            <p>The identity provider using it can no longer provision users or groups with it.</p>
          </ConfirmDialog>
        )}
      </td>
    </tr>
  );
}
