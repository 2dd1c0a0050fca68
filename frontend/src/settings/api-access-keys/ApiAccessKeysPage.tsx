import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { QueryFailed } from '../../ui/QueryFailed';
import { useHasPermission } from '../../viewer/permissions';
import { ApiAccessKeyFormDialog } from './ApiAccessKeyFormDialog';
import { ApiAccessKeyRow } from './ApiAccessKeyRow';

const ApiAccessKeysPageQuery = graphql(`
  query ApiAccessKeysPage {
    apiAccessKeys {
      id
      ...ApiAccessKeyRow_ApiAccessKey
    }
    permissions {
      ...ApiAccessKeyFormDialog_Permission
    }
  }
`);

/** ApiAccessKeysPage is the Settings › API Access Keys tab: bearer keys for API clients, each with its own permissions. */
export function ApiAccessKeysPage() {
  const canWrite = useHasPermission('api_access_keys:write');
  const [{ data, error }, reexecute] = useQuery({
    query: ApiAccessKeysPageQuery,
    // A tab opened again shows what it had at once, then what the server has now.
    requestPolicy: 'cache-and-network',
  });
  const [creating, setCreating] = useState(false);
  const refetch = () => reexecute({ requestPolicy: 'network-only' });

  return (
    <section aria-labelledby="api-access-keys-heading">
      <header className="page-header">
        <div>
          <h2 id="api-access-keys-heading">API Access Keys</h2>
          <p className="muted">
            Keys for API clients, sent as <code>Authorization: Bearer &lt;key&gt;</code>. Each holds the permissions
            chosen for it.
          </p>
        </div>
        {canWrite && data && (
          <button type="button" onClick={() => setCreating(true)}>
            Create API access key
          </button>
        )}
      </header>
      {data ? (
        data.apiAccessKeys.length === 0 ? (
          <p className="callout">No API access keys yet.</p>
        ) : (
          <div className="table-scroll">
            <table aria-label="API access keys">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Permissions</th>
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
                {data.apiAccessKeys.map((key) => (
                  <ApiAccessKeyRow
                    key={key.id}
                    apiAccessKey={key}
                    permissions={data.permissions}
                    canWrite={canWrite}
                    onChanged={refetch}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : error ? (
        <QueryFailed what="API access keys" error={error} onRetry={refetch} />
      ) : (
        <p role="status">Loading…</p>
      )}
      {creating && data && (
        <ApiAccessKeyFormDialog permissions={data.permissions} onClose={() => setCreating(false)} onSaved={refetch} />
      )}
    </section>
  );
}
