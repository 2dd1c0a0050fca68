import { useId, useState } from 'react';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { useConfirmedMutation } from '../../graphql/useConfirmedMutation';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ListTable } from '../../ui/ListTable';
import { RowActionButton } from '../../ui/RowActionButton';
import { AssignRolesDialog } from '../roles/AssignRolesDialog';
import type { RoleChecklistDialog_RoleFragment } from '../roles/RoleChecklistDialog';
import { notHeld, usePermissions } from '../../viewer/permissions';
import { changeMessage } from '../../ui/changeMessage';
import { ApiKeyRow } from './ApiKeyRow';
import { CreateApiKeyDialog } from './CreateApiKeyDialog';
import { EditServiceAccountDialog } from './EditServiceAccountDialog';

export const ServiceAccountCard_ServiceAccountFragment = graphql(`
  fragment ServiceAccountCard_ServiceAccount on ServiceAccount {
    id
    name
    description
    roles {
      id
      name
      permissions
    }
    apiKeys {
      id
      ...ApiKeyRow_ApiKey
    }
  }
`);

const DeleteServiceAccountMutation = graphql(`
  mutation DeleteServiceAccount($input: DeleteServiceAccountInput!) {
    deleteServiceAccount(input: $input) {
      deletedServiceAccountId
    }
  }
`);

interface ServiceAccountCardProps {
  serviceAccount: FragmentType<typeof ServiceAccountCard_ServiceAccountFragment>;
  /** roles are the organization's roles, to assign from (empty without roles:read). */
  roles: ReadonlyArray<FragmentType<typeof RoleChecklistDialog_RoleFragment>>;
  canWrite: boolean;
  canAssignRoles: boolean;
  onChanged: () => void;
}

/**
 * ServiceAccountCard is one service account: its roles, its API keys and what
 * can be done with them. A key acts with everything the account holds, so
 * only a viewer who holds all of it may create or rotate one.
 */
export function ServiceAccountCard({
  serviceAccount: accountRef,
  roles,
  canWrite,
  canAssignRoles,
  onChanged,
}: ServiceAccountCardProps) {
  const account = getFragmentData(ServiceAccountCard_ServiceAccountFragment, accountRef);
  const held = usePermissions();
  const lacking = notHeld(held, [...new Set(account.roles.flatMap((r) => r.permissions))].sort());
  const canMintKeys = canWrite && lacking.length === 0;
  const headingId = useId();
  const lackingId = useId();
  const deleteServiceAccount = useConfirmedMutation(
    DeleteServiceAccountMutation,
    onChanged,
    changeMessage('Service account', account.name, 'deleted'),
  );
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [creatingKey, setCreatingKey] = useState(false);
  const [editingRoles, setEditingRoles] = useState(false);

  return (
    <li className="callout" aria-labelledby={headingId}>
      <header className="page-header">
        <div>
          <h3 id={headingId}>{account.name}</h3>
          {account.description && <p className="muted">{account.description}</p>}
          <p className="muted">
            Roles: {account.roles.length > 0 ? account.roles.map((r) => r.name).join(', ') : 'none'}
          </p>
        </div>
        <div className="row-actions">
          {canAssignRoles && (
            <RowActionButton label="Edit roles" target={`of ${account.name}`} onClick={() => setEditingRoles(true)} />
          )}
          {canWrite && (
            <>
              <button
                type="button"
                disabled={!canMintKeys}
                aria-describedby={canMintKeys ? undefined : lackingId}
                onClick={() => setCreatingKey(true)}
              >
                Create API key <span className="visually-hidden">for {account.name}</span>
              </button>
              <RowActionButton label="Edit" target={account.name} onClick={() => setEditing(true)} />
              <RowActionButton label="Delete" target={account.name} onClick={() => setDeleting(true)} />
            </>
          )}
        </div>
      </header>
      {canWrite && !canMintKeys && (
        <p id={lackingId} className="muted">
          Its keys act with permissions you do not hold ({lacking.join(', ')}), so you cannot create or rotate them.
        </p>
      )}
      <ListTable
        label={`API keys of ${account.name}`}
        columns={['Name', 'Key', 'Status', 'Created', 'Last used', 'Expires']}
        items={account.apiKeys}
        empty={<p className="muted">No API keys.</p>}
      >
        {(key) => <ApiKeyRow key={key.id} apiKey={key} canWrite={canWrite} canRotate={canMintKeys} onChanged={onChanged} />}
      </ListTable>
      {editingRoles && (
        <AssignRolesDialog
          holder={{ serviceAccountId: account.id }}
          holderName={account.name}
          assignedRoleIds={account.roles.map((r) => r.id)}
          roles={roles}
          onClose={() => setEditingRoles(false)}
          onChanged={onChanged}
        />
      )}
      {editing && (
        <EditServiceAccountDialog serviceAccount={account} onClose={() => setEditing(false)} onSaved={onChanged} />
      )}
      {creatingKey && (
        <CreateApiKeyDialog
          serviceAccount={{ id: account.id, name: account.name }}
          onClose={() => setCreatingKey(false)}
          onCreated={onChanged}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete service account ${account.name}?`}
          confirmLabel="Delete service account"
          onConfirm={() => deleteServiceAccount({ input: { id: account.id } })}
          onClose={() => setDeleting(false)}
        >
          <p>Its API keys stop working at once.</p>
        </ConfirmDialog>
      )}
    </li>
  );
}
