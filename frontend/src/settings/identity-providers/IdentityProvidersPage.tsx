import { useState } from 'react';
import { graphql } from '../../gql';
import { useTabQuery } from '../../graphql/useTabQuery';
import { PageSection } from '../../ui/PageSection';
import { QueryContent } from '../../ui/QueryContent';
import { useHasPermission } from '../../viewer/permissions';
import { OidcProviderCard } from './OidcProviderCard';
import { OidcProviderFormDialog } from './OidcProviderFormDialog';

const IdentityProvidersPageQuery = graphql(`
  query IdentityProvidersPage {
    organization {
      id
    }
    viewer {
      signIn {
        providerId
      }
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
  const [{ data, error }, refetch] = useTabQuery({ query: IdentityProvidersPageQuery });
  const [creating, setCreating] = useState(false);

  return (
    <PageSection
      headingId="identity-providers-heading"
      title="Identity Providers"
      description="OpenID Connect providers of the account. Members of an organization linked to a provider may sign in with it."
      action={
        canWrite &&
        data && (
          <button type="button" onClick={() => setCreating(true)}>
            Add identity provider
          </button>
        )
      }
    >
      <QueryContent data={data} error={error} what="identity providers" onRetry={refetch}>
        {(data) =>
          data.oidcProviders.length === 0 ? (
            <p className="callout">No identity providers yet.</p>
          ) : (
            <ul className="stack cards" aria-label="Identity providers">
              {data.oidcProviders.map((provider) => (
                <OidcProviderCard
                  key={provider.id}
                  provider={provider}
                  organizationId={data.organization.id}
                  signedInWithIt={data.viewer?.signIn?.providerId === provider.id}
                  canWrite={canWrite}
                  onChanged={refetch}
                />
              ))}
            </ul>
          )
        }
      </QueryContent>
      {creating && <OidcProviderFormDialog onClose={() => setCreating(false)} onSaved={refetch} />}
    </PageSection>
  );
}
