import { useState } from 'react';
import { graphql } from '../../gql';
import { useTabQuery } from '../../graphql/useTabQuery';
import { ListTable } from '../../ui/ListTable';
import { PageSection } from '../../ui/PageSection';
import { QueryContent } from '../../ui/QueryContent';
import { useHasPermission } from '../../viewer/permissions';
import { SecretFormDialog } from './SecretFormDialog';
import { SecretRow } from './SecretRow';

const SecretsPageQuery = graphql(`
  query SecretsPage {
    secrets {
      id
      ...SecretRow_Secret
    }
  }
`);

/** SecretsPage is the Settings › Secrets tab: the organization's secrets by name; their values are write-only. */
export function SecretsPage() {
  const canWrite = useHasPermission('secrets:write');
  const [{ data, error }, refetch] = useTabQuery({ query: SecretsPageQuery });
  const [creating, setCreating] = useState(false);

  return (
    <PageSection
      headingId="secrets-heading"
      title="Secrets"
      description="Values are stored encrypted and never shown again, here or anywhere else."
      action={
        canWrite &&
        data && (
          <button type="button" onClick={() => setCreating(true)}>
            Create secret
          </button>
        )
      }
    >
      <QueryContent data={data} error={error} what="secrets" onRetry={refetch}>
        {(data) => (
          <ListTable
            label="Secrets"
            columns={['Name', 'Value', 'Last changed', 'Created']}
            items={data.secrets}
            empty={<p className="callout">No secrets yet.</p>}
          >
            {(secret) => <SecretRow key={secret.id} secret={secret} canWrite={canWrite} onChanged={refetch} />}
          </ListTable>
        )}
      </QueryContent>
      {creating && <SecretFormDialog onClose={() => setCreating(false)} onSaved={refetch} />}
    </PageSection>
  );
}
