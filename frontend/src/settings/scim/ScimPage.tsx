import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { CopyButton } from '../../ui/CopyButton';
import { QueryFailed } from '../../ui/QueryFailed';
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
  const [{ data, error }, reexecute] = useQuery({
    query: ScimPageQuery,
    variables: { withRoles: canReadRoles },
    // A tab opened again shows what it had at once, then what the server has now.
    requestPolicy: 'cache-and-network',
  });
  const [creating, setCreating] = useState<'token' | 'client' | null>(null);
  const refetch = () => reexecute({ requestPolicy: 'network-only' });

  return (
    <section aria-labelledby="scim-heading">
      <header className="page-header">
        <div>
          <h2 id="scim-heading">SCIM</h2>
          <p className="muted">Your identity provider creates, updates and deactivates members and groups through SCIM 2.0.</p>
        </div>
      </header>
      {data ? (
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
                <div className="muted">For identity providers that use OAuth client credentials instead of a token.</div>
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
            {data.scimTokens.length === 0 ? (
              <p className="muted">No SCIM tokens yet.</p>
            ) : (
              <div className="table-scroll">
                <table aria-label="SCIM tokens">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Token</th>
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
                    {data.scimTokens.map((token) => (
                      <ScimTokenRow key={token.id} token={token} canWrite={canWrite} onChanged={refetch} />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
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
            {data.scimOAuthClients.length === 0 ? (
              <p className="muted">No OAuth clients yet.</p>
            ) : (
              <div className="table-scroll">
                <table aria-label="SCIM OAuth clients">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Client ID</th>
                      <th scope="col">Status</th>
                      <th scope="col">Created</th>
                      <th scope="col">Last used</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.scimOAuthClients.map((client) => (
                      <ScimOAuthClientRow key={client.id} client={client} canWrite={canWrite} onChanged={refetch} />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>

          <section className="stack" aria-labelledby="scim-groups-heading">
            <h3 id="scim-groups-heading">Provisioned groups</h3>
            <p className="muted">Members of a group hold the roles mapped to it, as they join and leave it.</p>
            {data.scimGroups.length === 0 ? (
              <p className="muted">No groups provisioned yet.</p>
            ) : (
              <div className="table-scroll">
                <table aria-label="SCIM groups">
                  <thead>
                    <tr>
                      <th scope="col">Group</th>
                      <th scope="col">Members</th>
                      <th scope="col">Roles</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.scimGroups.map((group) => (
                      <ScimGroupRow
                        key={group.id}
                        group={group}
                        roles={data.roles ?? []}
                        canMapRoles={canMapRoles}
                        onChanged={refetch}
                      />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </div>
      ) : error ? (
        <QueryFailed what="SCIM settings" error={error} onRetry={refetch} />
      ) : (
        <p role="status">Loading…</p>
      )}
      {creating === 'token' && <CreateScimTokenDialog onClose={() => setCreating(null)} onCreated={refetch} />}
      {creating === 'client' && <CreateScimOAuthClientDialog onClose={() => setCreating(null)} onCreated={refetch} />}
    </section>
  );
}
