import { Outlet } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { errorMessage, isUnauthenticated } from '../graphql/errors';
import { Sidebar } from './Sidebar';

const AppLayoutQuery = graphql(`
  query AppLayout {
    organization {
      ...Sidebar_Organization
    }
  }
`);

/**
 * AppLayout is the signed-in frame: the sidebar and the current page. A
 * signed-out visitor is sent to the sign-in page by the GraphQL client.
 */
export function AppLayout() {
  const [{ data, error }, reexecute] = useQuery({ query: AppLayoutQuery });

  if (!data) {
    if (error && !isUnauthenticated(error)) {
      return (
        <main className="centered" role="alert">
          <p>Orgtrail could not load. {errorMessage(error)}</p>
          <button type="button" onClick={() => reexecute({ requestPolicy: 'network-only' })}>
            Retry
          </button>
        </main>
      );
    }
    return (
      <main className="centered">
        <p role="status">Loading…</p>
      </main>
    );
  }

  return (
    <div className="app">
      <Sidebar organization={data.organization} />
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
