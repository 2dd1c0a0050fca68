import { render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { PermissionsContext } from '../viewer/permissions';
import { SettingsPage } from './SettingsPage';
import { settingsTabs } from './settingsTabs';

function renderSettings(url: string, permissions: string[]) {
  const router = createMemoryRouter(
    [
      {
        path: '/settings',
        Component: SettingsPage,
        children: settingsTabs.map((tab) => ({ path: tab.path, element: <p>{tab.label} tab</p> })),
      },
    ],
    { initialEntries: [url] },
  );
  render(
    <PermissionsContext value={new Set(permissions)}>
      <RouterProvider router={router} />
    </PermissionsContext>,
  );
  return router;
}

describe('Settings', () => {
  it('shows only the tabs the viewer may open', () => {
    renderSettings('/settings/audit-log', ['audit_log:read', 'roles:read']);
    const tabs = screen.getByRole('navigation', { name: 'Settings' });
    expect(tabs).toHaveTextContent('Roles & Permissions');
    expect(tabs).toHaveTextContent('Audit Log');
    expect(tabs).not.toHaveTextContent('Service Accounts');
    expect(screen.getByRole('link', { name: 'Audit Log' })).toHaveAttribute('aria-current', 'page');
  });

  it('tells a viewer without audit_log:read that they have no access to the Audit Log', () => {
    renderSettings('/settings/audit-log', ['roles:read']);
    expect(screen.getByRole('alert')).toHaveTextContent('You don’t have access to Audit Log');
    expect(screen.getByRole('alert')).toHaveTextContent('audit_log:read');
    expect(screen.queryByText('Audit Log tab')).not.toBeInTheDocument();
  });

  it('opens the first tab the viewer may see', async () => {
    const router = renderSettings('/settings', ['audit_log:read']);
    expect(await screen.findByText('Audit Log tab')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/settings/audit-log');
  });
});
