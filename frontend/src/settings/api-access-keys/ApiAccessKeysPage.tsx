import { useState } from 'react';
import { graphql } from '../../gql';
import { useTabQuery } from '../../graphql/useTabQuery';
import { ListTable } from '../../ui/ListTable';
import { PageSection } from '../../ui/PageSection';
import { QueryContent } from '../../ui/QueryContent';
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
  const [{ data, error }, refetch] = useTabQuery({ query: ApiAccessKeysPageQuery });
  const [creating, setCreating] = useState(false);

  return (
    <PageSection
      headingId="api-access-keys-heading"
      title="API Access Keys"
      description={
        <>
          Keys for API clients, sent as <code>Authorization: Bearer &lt;key&gt;</code>. Each holds the permissions
          chosen for it.
        </>
      }
      action={
        canWrite &&
        data && (
          <button type="button" onClick={() => setCreating(true)}>
            Create API access key
          </button>
        )
      }
    >
      <QueryContent data={data} error={error} what="API access keys" onRetry={refetch}>
        {(data) => (
          <ListTable
            label="API access keys"
            columns={['Name', 'Key', 'Permissions', 'Status', 'Created', 'Last used', 'Expires']}
            items={data.apiAccessKeys}
            empty={<p className="callout">No API access keys yet.</p>}
          >
            {(key) => (
              <ApiAccessKeyRow
                key={key.id}
                apiAccessKey={key}
                permissions={data.permissions}
                canWrite={canWrite}
                onChanged={refetch}
              />
            )}
          </ListTable>
        )}
      </QueryContent>
      {creating && data && (
        <ApiAccessKeyFormDialog permissions={data.permissions} onClose={() => setCreating(false)} onSaved={refetch} />
      )}
    </PageSection>
  );
}
