import { useState } from 'react';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import type { ApiAccessKeyStatus } from '../../gql/graphql';
import { useConfirmedMutation } from '../../graphql/useConfirmedMutation';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { PermissionList } from '../../ui/PermissionList';
import { RelativeTime } from '../../ui/RelativeTime';
import { RowActionButton } from '../../ui/RowActionButton';
import { ApiAccessKeyFormDialog, type ApiAccessKeyFormDialog_PermissionFragment } from './ApiAccessKeyFormDialog';
import { changeMessage } from '../../ui/changeMessage';

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
  const deleteKey = useConfirmedMutation(
    DeleteApiAccessKeyMutation,
    onChanged,
    changeMessage('API access key', key.name, 'deleted'),
  );
  const [open, setOpen] = useState<'edit' | 'delete' | null>(null);

  return (
    <tr>
      <th scope="row">
        {key.name}
        {key.createdBy && <div className="muted">by {key.createdBy.email}</div>}
      </th>
      <td>
        <code>otak_{key.prefix}…</code>
      </td>
      <td>
        <PermissionList
          permissions={key.permissions}
          catalogSize={permissions.length}
          label={`Permissions of ${key.name}`}
        />
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
            <RowActionButton label="Edit" target={key.name} onClick={() => setOpen('edit')} />
            <RowActionButton label="Delete" target={key.name} onClick={() => setOpen('delete')} />
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
            onConfirm={() => deleteKey({ input: { id: key.id } })}
            onClose={() => setOpen(null)}
          >
            <p>API clients using this key are refused from their next request on.</p>
          </ConfirmDialog>
        )}
      </td>
    </tr>
  );
}
