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
 * read the resulting location.
 */
export function renderRoute(Component: ComponentType, { url, client, permissions = [] }: RenderRouteOptions) {
  const path = new URL(url, 'http://localhost').pathname;
  const router = createMemoryRouter([{ path, Component }], { initialEntries: [url] });
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
