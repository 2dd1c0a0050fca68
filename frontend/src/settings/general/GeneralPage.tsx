import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { QueryFailed } from '../../ui/QueryFailed';
import { DeleteOrganizationSection } from './DeleteOrganizationSection';
import { OrganizationSettingsForm } from './OrganizationSettingsForm';

const GeneralPageQuery = graphql(`
  query GeneralPage {
    organization {
      id
      ...OrganizationSettingsForm_Organization
      ...DeleteOrganizationSection_Organization
    }
  }
`);

/** GeneralPage is the Settings › General tab: the organization's name and settings, and deleting it. */
export function GeneralPage() {
  const [{ data, error }, reexecute] = useQuery({
    query: GeneralPageQuery,
    // A tab opened again shows what it had at once, then what the server has now.
    requestPolicy: 'cache-and-network',
  });
  const refetch = () => reexecute({ requestPolicy: 'network-only' });

  return (
    <section aria-labelledby="general-heading">
      <header className="page-header">
        <div>
          <h2 id="general-heading">General</h2>
          <p className="muted">The organization’s name, how its members sign in, and how long its audit log is kept.</p>
        </div>
      </header>
      {data ? (
        <div className="stack">
          <OrganizationSettingsForm organization={data.organization} onSaved={refetch} />
          <DeleteOrganizationSection organization={data.organization} />
        </div>
      ) : error ? (
        <QueryFailed what="the organization’s settings" error={error} onRetry={refetch} />
      ) : (
        <p role="status">Loading…</p>
      )}
    </section>
  );
}
