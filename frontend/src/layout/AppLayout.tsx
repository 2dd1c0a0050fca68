import { useMemo } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { errorMessage, isUnauthenticated } from '../graphql/errors';
import { signInPath } from '../sign-in/signInPath';
import { PermissionsContext } from '../viewer/permissions';
import { PageNotice } from './PageNotice';
import { Sidebar } from './Sidebar';

const AppLayoutQuery = graphql(`
  query AppLayout {
    viewer {
      permissions
      ...Sidebar_Viewer
    }
  }
`);

/**
 * AppLayout is the signed-in frame: the sidebar and the current page. A
 * signed-out visitor goes to the sign-in page, which brings them back here.
 */
export function AppLayout() {
  const location = useLocation();
  const [{ data, error }, reexecute] = useQuery({ query: AppLayoutQuery });
  const permissions = useMemo(() => new Set(data?.viewer?.permissions), [data]);

  if (data && !data.viewer) {
    return <Navigate to={signInPath(location.pathname + location.search)} replace />;
  }
  if (!data?.viewer) {
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
    <PermissionsContext value={permissions}>
      <div className="app">
        <Sidebar viewer={data.viewer} />
        <main className="content">
          <PageNotice />
          <Outlet />
        </main>
      </div>
    </PermissionsContext>
  );
}
