import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { QueryFailed } from '../../ui/QueryFailed';
import { useHasPermission } from '../../viewer/permissions';
import { OidcProviderCard } from './OidcProviderCard';
import { OidcProviderFormDialog } from './OidcProviderFormDialog';

const IdentityProvidersPageQuery = graphql(`
  query IdentityProvidersPage {
    organization {
      id
    }
    oidcProviders {
      id
      ...OidcProviderCard_OidcProvider
    }
  }
`);

/**
 * IdentityProvidersPage is the Settings › Identity Providers tab: the
 * account's OpenID Connect providers and whether this organization's members
 * may sign in with each.
 */
export function IdentityProvidersPage() {
  const canWrite = useHasPermission('identity_providers:write');
  const [{ data, error }, reexecute] = useQuery({
    query: IdentityProvidersPageQuery,
    // A tab opened again shows what it had at once, then what the server has now.
    requestPolicy: 'cache-and-network',
  });
  const [creating, setCreating] = useState(false);
  const refetch = () => reexecute({ requestPolicy: 'network-only' });

  return (
    <section aria-labelledby="identity-providers-heading">
      <header className="page-header">
        <div>
          <h2 id="identity-providers-heading">Identity Providers</h2>
          <p className="muted">
            OpenID Connect providers of the account. Members of an organization linked to a provider may sign in with it.
          </p>
        </div>
        {canWrite && data && (
          <button type="button" onClick={() => setCreating(true)}>
            Add identity provider
          </button>
        )}
      </header>
      {data ? (
        data.oidcProviders.length === 0 ? (
          <p className="callout">No identity providers yet.</p>
        ) : (
          <ul className="stack cards" aria-label="Identity providers">
            {data.oidcProviders.map((provider) => (
              <OidcProviderCard
                key={provider.id}
                provider={provider}
                organizationId={data.organization.id}
                canWrite={canWrite}
                onChanged={refetch}
              />
            ))}
          </ul>
        )
      ) : error ? (
        <QueryFailed what="identity providers" error={error} onRetry={refetch} />
      ) : (
        <p role="status">Loading…</p>
      )}
      {creating && <OidcProviderFormDialog onClose={() => setCreating(false)} onSaved={refetch} />}
    </section>
  );
}
