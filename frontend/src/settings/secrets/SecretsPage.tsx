import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { QueryFailed } from '../../ui/QueryFailed';
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
  const [{ data, error }, reexecute] = useQuery({
    query: SecretsPageQuery,
    // A tab opened again shows what it had at once, then what the server has now.
    requestPolicy: 'cache-and-network',
  });
  const [creating, setCreating] = useState(false);
  const refetch = () => reexecute({ requestPolicy: 'network-only' });

  return (
    <section aria-labelledby="secrets-heading">
      <header className="page-header">
        <div>
          <h2 id="secrets-heading">Secrets</h2>
          <p className="muted">Values are stored encrypted and never shown again, here or anywhere else.</p>
        </div>
        {canWrite && data && (
          <button type="button" onClick={() => setCreating(true)}>
            Create secret
          </button>
        )}
      </header>
      {data ? (
        data.secrets.length === 0 ? (
          <p className="callout">No secrets yet.</p>
        ) : (
          <div className="table-scroll">
            <table aria-label="Secrets">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Value</th>
                  <th scope="col">Last changed</th>
                  <th scope="col">Created</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.secrets.map((secret) => (
                  <SecretRow key={secret.id} secret={secret} canWrite={canWrite} onChanged={refetch} />
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : error ? (
        <QueryFailed what="secrets" error={error} onRetry={refetch} />
      ) : (
        <p role="status">Loading…</p>
      )}
      {creating && <SecretFormDialog onClose={() => setCreating(false)} onSaved={refetch} />}
    </section>
  );
}
