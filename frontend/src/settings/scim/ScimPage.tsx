import { useState } from 'react';
import { graphql } from '../../gql';
import { useTabQuery } from '../../graphql/useTabQuery';
import { CopyButton } from '../../ui/CopyButton';
import { ListTable } from '../../ui/ListTable';
import { PageSection } from '../../ui/PageSection';
import { QueryContent } from '../../ui/QueryContent';
import { useHasPermission } from '../../viewer/permissions';
import { CreateScimOAuthClientDialog } from './CreateScimOAuthClientDialog';
import { CreateScimTokenDialog } from './CreateScimTokenDialog';
import { ScimGroupRow } from './ScimGroupRow';
import { ScimOAuthClientRow } from './ScimOAuthClientRow';
import { ScimTokenRow } from './ScimTokenRow';

const ScimPageQuery = graphql(`
  query ScimPage($withRoles: Boolean!) {
    scimBaseUrl
    scimTokenUrl
    scimTokens {
      id
      ...ScimTokenRow_ScimToken
    }
    scimOAuthClients {
      id
      ...ScimOAuthClientRow_ScimOAuthClient
    }
    scimGroups {
      id
      ...ScimGroupRow_ScimGroup
    }
    roles @include(if: $withRoles) {
      ...RoleChecklistDialog_Role
    }
  }
`);

/**
 * ScimPage is the Settings › SCIM tab: what to paste into an identity
 * provider to provision users and groups, the tokens and OAuth clients it
 * authenticates with, and the groups it has provisioned.
 */
export function ScimPage() {
  const canWrite = useHasPermission('scim:write');
  const canReadRoles = useHasPermission('roles:read');
  const canWriteRoles = useHasPermission('roles:write');
  const canMapRoles = canWrite && canReadRoles && canWriteRoles;
  const [{ data, error }, refetch] = useTabQuery({ query: ScimPageQuery, variables: { withRoles: canReadRoles } });
  const [creating, setCreating] = useState<'token' | 'client' | null>(null);

  return (
    <PageSection
      headingId="scim-heading"
      title="SCIM"
      description="Your identity provider creates, updates and deactivates members and groups through SCIM 2.0."
    >
      <QueryContent data={data} error={error} what="SCIM settings" onRetry={refetch}>
        {(data) => (
          <div className="stack">
            <section className="callout stack" aria-labelledby="scim-connection-heading">
              <h3 id="scim-connection-heading">Connect your identity provider</h3>
              <dl className="detail-fields">
                <dt>SCIM base URL</dt>
                <dd className="break">
                  <code>{data.scimBaseUrl}</code> <CopyButton value={data.scimBaseUrl} label="Copy the SCIM base URL" />
                </dd>
                <dt>OAuth token URL</dt>
                <dd className="break">
                  <code>{data.scimTokenUrl}</code>{' '}
                  <CopyButton value={data.scimTokenUrl} label="Copy the OAuth token URL" />
                  <div className="muted">
                    For identity providers that use OAuth client credentials instead of a token.
                  </div>
                </dd>
              </dl>
            </section>

            <section className="stack" aria-labelledby="scim-tokens-heading">
              <header className="page-header">
                <h3 id="scim-tokens-heading">Bearer tokens</h3>
                {canWrite && (
                  <button type="button" onClick={() => setCreating('token')}>
                    Create SCIM token
                  </button>
                )}
              </header>
              <ListTable
                label="SCIM tokens"
                columns={['Name', 'Token', 'Status', 'Created', 'Last used', 'Expires']}
                items={data.scimTokens}
                empty={<p className="muted">No SCIM tokens yet.</p>}
              >
                {(token) => <ScimTokenRow key={token.id} token={token} canWrite={canWrite} onChanged={refetch} />}
              </ListTable>
            </section>

            <section className="stack" aria-labelledby="scim-clients-heading">
              <header className="page-header">
                <h3 id="scim-clients-heading">OAuth clients</h3>
                {canWrite && (
                  <button type="button" onClick={() => setCreating('client')}>
                    Create OAuth client
                  </button>
                )}
              </header>
              <ListTable
                label="SCIM OAuth clients"
                columns={['Name', 'Client ID', 'Status', 'Created', 'Last used']}
                items={data.scimOAuthClients}
                empty={<p className="muted">No OAuth clients yet.</p>}
              >
                {(client) => (
                  <ScimOAuthClientRow key={client.id} client={client} canWrite={canWrite} onChanged={refetch} />
                )}
              </ListTable>
            </section>

            <section className="stack" aria-labelledby="scim-groups-heading">
              <h3 id="scim-groups-heading">Provisioned groups</h3>
              <p className="muted">Members of a group hold the roles mapped to it, as they join and leave it.</p>
              <ListTable
                label="SCIM groups"
                columns={['Group', 'Members', 'Roles']}
                items={data.scimGroups}
                empty={<p className="muted">No groups provisioned yet.</p>}
              >
                {(group) => (
                  <ScimGroupRow
                    key={group.id}
                    group={group}
                    roles={data.roles ?? []}
                    canMapRoles={canMapRoles}
                    onChanged={refetch}
                  />
                )}
              </ListTable>
            </section>
          </div>
        )}
      </QueryContent>
      {creating === 'token' && <CreateScimTokenDialog onClose={() => setCreating(null)} onCreated={refetch} />}
      {creating === 'client' && <CreateScimOAuthClientDialog onClose={() => setCreating(null)} onCreated={refetch} />}
    </PageSection>
  );
}
