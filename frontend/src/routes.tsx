import { Navigate, type RouteObject } from 'react-router';
import { AppLayout } from './layout/AppLayout';
import { NotFoundPage } from './layout/NotFoundPage';
import { PageLoading } from './layout/PageLoading';
import { SettingsPage } from './settings/SettingsPage';
import { settingsTabs } from './settings/settingsTabs';

/**
 * routes are the app's pages. Each Settings tab loads its own code on first
 * visit, so the first load carries only the tab being opened; until it has
 * loaded, PageLoading stands in (without one React Router warns in the
 * console).
 */
export const routes: RouteObject[] = [
  {
    path: '/sign-in',
    HydrateFallback: PageLoading,
    lazy: async () => ({ Component: (await import('./sign-in/SignInPage')).SignInPage }),
  },
  {
    // Where a test of an identity provider ends, in the window it ran in.
    path: '/identity-providers/sign-in-test',
    HydrateFallback: PageLoading,
    lazy: async () => ({
      Component: (await import('./settings/identity-providers/SignInTestPage')).SignInTestPage,
    }),
  },
  {
    path: '/',
    Component: AppLayout,
    HydrateFallback: PageLoading,
    children: [
      { index: true, element: <Navigate to="/settings" replace /> },
      {
        path: 'settings',
        Component: SettingsPage,
        children: [
          ...settingsTabs.map((tab) => ({ path: tab.path, lazy: tab.lazy })),
          {
            // Settings › Audit Log › Streams, under the Audit Log tab (issue 12).
            path: 'audit-log/streams',
            lazy: async () => ({
              Component: (await import('./settings/audit-log/streams/LogStreamsPage')).LogStreamsPage,
            }),
          },
        ],
      },
      {
        path: 'invitations/accept',
        lazy: async () => ({ Component: (await import('./invitations/AcceptInvitationPage')).AcceptInvitationPage }),
      },
      { path: '*', Component: NotFoundPage },
    ],
  },
];
