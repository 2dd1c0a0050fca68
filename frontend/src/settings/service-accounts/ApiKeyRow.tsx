import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import type { ApiKeyStatus } from '../../gql/graphql';
import { errorMessage } from '../../graphql/errors';
import { useConfirmedMutation } from '../../graphql/useConfirmedMutation';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Dialog } from '../../ui/Dialog';
import { DoneDialogAction } from '../../ui/DialogActions';
import { RelativeTime } from '../../ui/RelativeTime';
import { RowActionButton } from '../../ui/RowActionButton';
import { SecretOnce } from '../../ui/SecretOnce';
import { changeMessage } from '../../ui/changeMessage';
import { useToast } from '../../ui/toast';

export const ApiKeyRow_ApiKeyFragment = graphql(`
  fragment ApiKeyRow_ApiKey on ApiKey {
    id
    name
    prefix
    status
    createdAt
    expiresAt
    lastUsedAt
  }
`);

const RevokeApiKeyMutation = graphql(`
  mutation RevokeApiKey($input: RevokeApiKeyInput!) {
    revokeApiKey(input: $input) {
      apiKey {
        id
        status
      }
    }
  }
`);

const RotateApiKeyMutation = graphql(`
  mutation RotateApiKey($input: RotateApiKeyInput!) {
    rotateApiKey(input: $input) {
      key
    }
  }
`);

const statusLabels: Record<ApiKeyStatus, string> = { ACTIVE: 'Active', REVOKED: 'Revoked', EXPIRED: 'Expired' };

interface ApiKeyRowProps {
  apiKey: FragmentType<typeof ApiKeyRow_ApiKeyFragment>;
  canWrite: boolean;
  /** canRotate is false when the viewer does not hold everything the account holds. */
  canRotate: boolean;
  onChanged: () => void;
}

/** ApiKeyRow is one API key, shown by its first characters, with rotate and revoke. */
export function ApiKeyRow({ apiKey: keyRef, canWrite, canRotate, onChanged }: ApiKeyRowProps) {
  const apiKey = getFragmentData(ApiKeyRow_ApiKeyFragment, keyRef);
  const toast = useToast();
  const revokeApiKey = useConfirmedMutation(
    RevokeApiKeyMutation,
    onChanged,
    changeMessage('API key', apiKey.name, 'revoked'),
  );
  const [, rotateApiKey] = useMutation(RotateApiKeyMutation);
  const [confirming, setConfirming] = useState<'revoke' | 'rotate' | null>(null);
  const [newKey, setNewKey] = useState<string | null>(null);

  async function rotate() {
    const result = await rotateApiKey({ input: { id: apiKey.id } });
    if (result.error || !result.data) return result.error ? errorMessage(result.error) : 'No key came back.';
    setNewKey(result.data.rotateApiKey.key);
    toast(changeMessage('API key', apiKey.name, 'rotated'));
    return null;
  }

  function closeNewKey() {
    setNewKey(null);
    onChanged();
  }

  return (
    <tr>
      <th scope="row">{apiKey.name}</th>
      <td>
        <code>otsa_{apiKey.prefix}…</code>
      </td>
      <td>{statusLabels[apiKey.status]}</td>
      <td>
        <RelativeTime iso={apiKey.createdAt} />
      </td>
      <td>{apiKey.lastUsedAt ? <RelativeTime iso={apiKey.lastUsedAt} /> : 'Never'}</td>
      <td>{apiKey.expiresAt ? <RelativeTime iso={apiKey.expiresAt} /> : 'Never'}</td>
      <td>
        {canWrite && apiKey.status === 'ACTIVE' && (
          <div className="row-actions">
            {canRotate && (
              <RowActionButton label="Rotate" target={apiKey.name} onClick={() => setConfirming('rotate')} />
            )}
            <RowActionButton label="Revoke" target={apiKey.name} onClick={() => setConfirming('revoke')} />
          </div>
        )}
        {confirming === 'revoke' && (
          <ConfirmDialog
            title={`Revoke API key ${apiKey.name}?`}
            confirmLabel="Revoke key"
            onConfirm={() => revokeApiKey({ input: { id: apiKey.id } })}
            onClose={() => setConfirming(null)}
          >
            <p>Programs using this key are refused from now on.</p>
          </ConfirmDialog>
        )}
        {confirming === 'rotate' && (
          <ConfirmDialog
            title={`Rotate API key ${apiKey.name}?`}
            confirmLabel="Rotate key"
            onConfirm={rotate}
            onClose={() => setConfirming(null)}
          >
            <p>A new key replaces this one, which stops working at once.</p>
          </ConfirmDialog>
        )}
        {newKey && (
          <Dialog title="New API key" onClose={closeNewKey}>
            <SecretOnce label="API key" value={newKey} />
            <DoneDialogAction onDone={closeNewKey} />
          </Dialog>
        )}
      </td>
    </tr>
  );
}
