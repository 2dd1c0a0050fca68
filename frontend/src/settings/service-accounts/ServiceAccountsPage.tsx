import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { errorMessage } from '../../graphql/errors';
import { useHasPermission } from '../../viewer/permissions';
import { CreateServiceAccountDialog } from './CreateServiceAccountDialog';
import { ServiceAccountCard } from './ServiceAccountCard';

const ServiceAccountsPageQuery = graphql(`
  query ServiceAccountsPage($withRoles: Boolean!) {
    serviceAccounts {
      id
      ...ServiceAccountCard_ServiceAccount
    }
    roles @include(if: $withRoles) {
      ...RoleChecklistDialog_Role
    }
  }
`);

/** ServiceAccountsPage is the Settings › Service Accounts tab: non-human accounts and their API keys. */
export function ServiceAccountsPage() {
  const canWrite = useHasPermission('service_accounts:write');
  const canReadRoles = useHasPermission('roles:read');
  const canAssignRoles = useHasPermission('roles:write') && canReadRoles;
  const [{ data, error }, reexecute] = useQuery({
    query: ServiceAccountsPageQuery,
    variables: { withRoles: canReadRoles },
    // A tab opened again shows what it had at once, then what the server has now.
    requestPolicy: 'cache-and-network',
  });
  const [creating, setCreating] = useState(false);
  const refetch = () => reexecute({ requestPolicy: 'network-only' });

  return (
    <section aria-labelledby="service-accounts-heading">
      <header className="page-header">
        <div>
          <h2 id="service-accounts-heading">Service Accounts</h2>
          <p className="muted">Accounts for programs, which call the API with their API keys.</p>
        </div>
        {canWrite && data && (
          <button type="button" onClick={() => setCreating(true)}>
            Create service account
          </button>
        )}
      </header>
      {data ? (
        data.serviceAccounts.length === 0 ? (
          <p className="callout">No service accounts yet.</p>
        ) : (
          <ul className="stack cards" aria-label="Service accounts">
            {data.serviceAccounts.map((account) => (
              <ServiceAccountCard
                key={account.id}
                serviceAccount={account}
                roles={data.roles ?? []}
                canWrite={canWrite}
                canAssignRoles={canAssignRoles}
                onChanged={refetch}
              />
            ))}
          </ul>
        )
      ) : error ? (
        <div role="alert" className="callout">
          <p>Could not load service accounts. {errorMessage(error)}</p>
          <button type="button" onClick={refetch}>
            Retry
          </button>
        </div>
      ) : (
        <p role="status">Loading…</p>
      )}
      {creating && <CreateServiceAccountDialog onClose={() => setCreating(false)} onCreated={refetch} />}
    </section>
  );
}
