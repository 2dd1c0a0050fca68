import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { Provider as GraphQLProvider } from 'urql';
import { createGraphQLClient } from './graphql/client';
import { routes } from './routes';
import { signInPath } from './sign-in/signInPath';
import { ToastProvider } from './ui/ToastProvider';
import './styles.css';

/** goToSignIn leaves for the sign-in page, which brings the person back here afterwards. */
function goToSignIn() {
  const { pathname, search } = window.location;
  if (pathname !== '/sign-in') window.location.assign(signInPath(pathname + search));
}

const client = createGraphQLClient(goToSignIn);
const router = createBrowserRouter(routes);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <GraphQLProvider value={client}>
      <ToastProvider>
        <RouterProvider router={router} />
      </ToastProvider>
    </GraphQLProvider>
  </StrictMode>,
);
