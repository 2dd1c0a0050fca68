import { render } from '@testing-library/react';
import type { ComponentType } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { type Client, Provider } from 'urql';
import { ToastProvider } from '../ui/ToastProvider';
import { PermissionsContext } from '../viewer/permissions';

interface RenderRouteOptions {
  url: string;
  client: Client;
  /** permissions the viewer holds; none unless given. */
  permissions?: ReadonlyArray<string>;
}

/**
 * renderRoute renders Component at url inside a router, the given GraphQL
 * client, the viewer's permissions and the toasts, and returns the router so a test can
 * read the resulting location (any other path renders nothing).
 */
export function renderRoute(Component: ComponentType, { url, client, permissions = [] }: RenderRouteOptions) {
  const path = new URL(url, 'http://localhost').pathname;
  // Any other path renders nothing, so a test may navigate away and read where it went.
  const router = createMemoryRouter([{ path, Component }, { path: '*', Component: () => null }], {
    initialEntries: [url],
  });
  render(
    <Provider value={client}>
      <PermissionsContext value={new Set(permissions)}>
        <ToastProvider>
          <RouterProvider router={router} />
        </ToastProvider>
      </PermissionsContext>
    </Provider>,
  );
  return router;
}
