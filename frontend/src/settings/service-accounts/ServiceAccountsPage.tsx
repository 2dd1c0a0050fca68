import { useState } from 'react';
import { graphql } from '../../gql';
import { useTabQuery } from '../../graphql/useTabQuery';
import { PageSection } from '../../ui/PageSection';
import { QueryContent } from '../../ui/QueryContent';
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
  const [{ data, error }, refetch] = useTabQuery({
    query: ServiceAccountsPageQuery,
    variables: { withRoles: canReadRoles },
  });
  const [creating, setCreating] = useState(false);

  return (
    <PageSection
      headingId="service-accounts-heading"
      title="Service Accounts"
      description="Accounts for programs, which call the API with their API keys."
      action={
        canWrite &&
        data && (
          <button type="button" onClick={() => setCreating(true)}>
            Create service account
          </button>
        )
      }
    >
      <QueryContent data={data} error={error} what="service accounts" onRetry={refetch}>
        {(data) =>
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
        }
      </QueryContent>
      {creating && <CreateServiceAccountDialog onClose={() => setCreating(false)} onCreated={refetch} />}
    </PageSection>
  );
}
