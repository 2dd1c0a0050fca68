import { useState } from 'react';
import { graphql } from '../../gql';
import { useTabQuery } from '../../graphql/useTabQuery';
import { ListTable } from '../../ui/ListTable';
import { PageSection } from '../../ui/PageSection';
import { QueryContent } from '../../ui/QueryContent';
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
  const [{ data, error }, refetch] = useTabQuery({ query: ConnectorsPageQuery });
  const [creating, setCreating] = useState(false);

  return (
    <PageSection
      headingId="connectors-heading"
      title="Connectors"
      description="Data sources the organization connects to. Their credentials are never shown."
      action={
        canWrite &&
        data && (
          <button type="button" onClick={() => setCreating(true)}>
            Create connector
          </button>
        )
      }
    >
      <QueryContent data={data} error={error} what="connectors" onRetry={refetch}>
        {(data) => (
          <ListTable
            label="Connectors"
            columns={['Name', 'Type', 'Settings', 'Credentials', 'Last test', 'Updated']}
            items={data.connectors}
            empty={<p className="callout">No connectors yet.</p>}
          >
            {(connector) => (
              <ConnectorRow
                key={connector.id}
                connector={connector}
                types={data.connectorTypes}
                canWrite={canWrite}
                onChanged={refetch}
              />
            )}
          </ListTable>
        )}
      </QueryContent>
      {creating && data && (
        <ConnectorFormDialog types={data.connectorTypes} onClose={() => setCreating(false)} onSaved={refetch} />
      )}
    </PageSection>
  );
}
