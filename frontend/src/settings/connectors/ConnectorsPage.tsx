import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { QueryFailed } from '../../ui/QueryFailed';
import { useHasPermission } from '../../viewer/permissions';
import { ConnectorFormDialog } from './ConnectorFormDialog';
import { ConnectorRow } from './ConnectorRow';

const ConnectorsPageQuery = graphql(`
  query ConnectorsPage {
    connectors {
      id
      ...ConnectorRow_Connector
    }
    connectorTypes {
      ...ConnectorFormDialog_ConnectorType
    }
  }
`);

/** ConnectorsPage is the Settings › Connectors tab: the organization's data sources. */
export function ConnectorsPage() {
  const canWrite = useHasPermission('connectors:write');
  const [{ data, error }, reexecute] = useQuery({
    query: ConnectorsPageQuery,
    // A tab opened again shows what it had at once, then what the server has now.
    requestPolicy: 'cache-and-network',
  });
  const [creating, setCreating] = useState(false);
  const refetch = () => reexecute({ requestPolicy: 'network-only' });

  return (
    <section aria-labelledby="connectors-heading">
      <header className="page-header">
        <div>
          <h2 id="connectors-heading">Connectors</h2>
          <p className="muted">Data sources the organization connects to. Their credentials are never shown.</p>
        </div>
        {canWrite && data && (
          <button type="button" onClick={() => setCreating(true)}>
            Create connector
          </button>
        )}
      </header>
      {data ? (
        data.connectors.length === 0 ? (
          <p className="callout">No connectors yet.</p>
        ) : (
          <div className="table-scroll">
            <table aria-label="Connectors">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Type</th>
                  <th scope="col">Settings</th>
                  <th scope="col">Credentials</th>
                  <th scope="col">Updated</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.connectors.map((connector) => (
                  <ConnectorRow
                    key={connector.id}
                    connector={connector}
                    types={data.connectorTypes}
                    canWrite={canWrite}
                    onChanged={refetch}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : error ? (
        <QueryFailed what="connectors" error={error} onRetry={refetch} />
      ) : (
        <p role="status">Loading…</p>
      )}
      {creating && data && (
        <ConnectorFormDialog types={data.connectorTypes} onClose={() => setCreating(false)} onSaved={refetch} />
      )}
    </section>
  );
}
