import { useId, useState } from 'react';
import { useMutation } from 'urql';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { errorMessage } from '../../graphql/errors';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { AssignRolesDialog } from '../roles/AssignRolesDialog';
import type { RoleChecklistDialog_RoleFragment } from '../roles/RoleChecklistDialog';
import { ApiKeyRow } from './ApiKeyRow';
import { CreateApiKeyDialog } from './CreateApiKeyDialog';

export const ServiceAccountCard_ServiceAccountFragment = graphql(`
  fragment ServiceAccountCard_ServiceAccount on ServiceAccount {
    id
    name
    description
    roles {
      id
      name
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

/** ServiceAccountCard is one service account: its roles, its API keys and what can be done with them. */
export function ServiceAccountCard({
  serviceAccount: accountRef,
  roles,
  canWrite,
  canAssignRoles,
  onChanged,
}: ServiceAccountCardProps) {
  const account = getFragmentData(ServiceAccountCard_ServiceAccountFragment, accountRef);
  const headingId = useId();
  const [, deleteServiceAccount] = useMutation(DeleteServiceAccountMutation);
  const [deleting, setDeleting] = useState(false);
  const [creatingKey, setCreatingKey] = useState(false);
  const [editingRoles, setEditingRoles] = useState(false);

  async function confirmDelete() {
    const result = await deleteServiceAccount({ input: { id: account.id } });
    if (result.error) return errorMessage(result.error);
    onChanged();
    return null;
  }

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
            <button type="button" className="button-secondary" onClick={() => setEditingRoles(true)}>
              Edit roles <span className="visually-hidden">of {account.name}</span>
            </button>
          )}
          {canWrite && (
            <>
              <button type="button" onClick={() => setCreatingKey(true)}>
                Create API key <span className="visually-hidden">for {account.name}</span>
              </button>
              <button type="button" className="button-secondary" onClick={() => setDeleting(true)}>
                Delete <span className="visually-hidden">{account.name}</span>
              </button>
            </>
          )}
        </div>
      </header>
      {account.apiKeys.length > 0 ? (
        <div className="table-scroll">
          <table aria-label={`API keys of ${account.name}`}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {account.apiKeys.map((key) => (
                <ApiKeyRow key={key.id} apiKey={key} canWrite={canWrite} onChanged={onChanged} />
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">No API keys.</p>
      )}
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
          onConfirm={confirmDelete}
          onClose={() => setDeleting(false)}
        >
          <p>Its API keys stop working at once.</p>
        </ConfirmDialog>
      )}
    </li>
  );
}
