import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import type { ApiAccessKeyStatus } from '../../gql/graphql';
import { errorMessage } from '../../graphql/errors';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { RelativeTime } from '../../ui/RelativeTime';
import { ApiAccessKeyFormDialog, type ApiAccessKeyFormDialog_PermissionFragment } from './ApiAccessKeyFormDialog';

export const ApiAccessKeyRow_ApiAccessKeyFragment = graphql(`
  fragment ApiAccessKeyRow_ApiAccessKey on ApiAccessKey {
    id
    name
    prefix
    permissions
    status
    createdAt
    expiresAt
    lastUsedAt
    createdBy {
      email
    }
    ...ApiAccessKeyFormDialog_ApiAccessKey
  }
`);

const DeleteApiAccessKeyMutation = graphql(`
  mutation DeleteApiAccessKey($input: DeleteApiAccessKeyInput!) {
    deleteApiAccessKey(input: $input) {
      deletedApiAccessKeyId
    }
  }
`);

const statusLabels: Record<ApiAccessKeyStatus, string> = { ACTIVE: 'Active', EXPIRED: 'Expired' };

interface ApiAccessKeyRowProps {
  apiAccessKey: FragmentType<typeof ApiAccessKeyRow_ApiAccessKeyFragment>;
  permissions: ReadonlyArray<FragmentType<typeof ApiAccessKeyFormDialog_PermissionFragment>>;
  canWrite: boolean;
  onChanged: () => void;
}

/** ApiAccessKeyRow is one API access key, shown by its first characters, with edit and delete. */
export function ApiAccessKeyRow({ apiAccessKey: keyRef, permissions, canWrite, onChanged }: ApiAccessKeyRowProps) {
  const key = getFragmentData(ApiAccessKeyRow_ApiAccessKeyFragment, keyRef);
  const [, deleteKey] = useMutation(DeleteApiAccessKeyMutation);
  const [open, setOpen] = useState<'edit' | 'delete' | null>(null);

  async function confirmDelete() {
    const result = await deleteKey({ input: { id: key.id } });
    if (result.error) return errorMessage(result.error);
    onChanged();
    return null;
  }

  return (
    <tr>
      <th scope="row">
        {key.name}
        {key.createdBy && <div className="muted">by {key.createdBy.email}</div>}
      </th>
      <td>
        <code>{key.prefix}…</code>
      </td>
      <td>
        {key.permissions.map((p) => (
          <code key={p}>{p} </code>
        ))}
      </td>
      <td>{statusLabels[key.status]}</td>
      <td>
        <RelativeTime iso={key.createdAt} />
      </td>
      <td>{key.lastUsedAt ? <RelativeTime iso={key.lastUsedAt} /> : 'Never'}</td>
      <td>{key.expiresAt ? <RelativeTime iso={key.expiresAt} /> : 'Never'}</td>
      <td>
        {canWrite && (
          <div className="row-actions">
            <button type="button" className="button-secondary" onClick={() => setOpen('edit')}>
              Edit <span className="visually-hidden">{key.name}</span>
            </button>
            <button type="button" className="button-secondary" onClick={() => setOpen('delete')}>
              Delete <span className="visually-hidden">{key.name}</span>
            </button>
          </div>
        )}
        {open === 'edit' && (
          <ApiAccessKeyFormDialog
            apiAccessKey={key}
            permissions={permissions}
            onClose={() => setOpen(null)}
            onSaved={onChanged}
          />
        )}
        {open === 'delete' && (
          <ConfirmDialog
            title={`Delete API access key ${key.name}?`}
            confirmLabel="Delete key"
            onConfirm={confirmDelete}
            onClose={() => setOpen(null)}
          >
            <p>API clients using this key are refused from their next request on.</p>
          </ConfirmDialog>
        )}
      </td>
    </tr>
  );
}
