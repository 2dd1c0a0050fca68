import { render } from '@testing-library/react';
import type { ComponentType } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { type Client, Provider } from 'urql';

/**
 * renderRoute renders Component at url inside a router and the given GraphQL
 * client, and returns the router so a test can read the resulting location.
 */
export function renderRoute(Component: ComponentType, { url, client }: { url: string; client: Client }) {
  const path = new URL(url, 'http://localhost').pathname;
  const router = createMemoryRouter([{ path, Component }], { initialEntries: [url] });
  render(
    <Provider value={client}>
      <RouterProvider router={router} />
    </Provider>,
  );
  return router;
}
