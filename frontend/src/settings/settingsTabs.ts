import type { ComponentType } from 'react';

/** SettingsTab is one tab of the Settings page. */
export interface SettingsTab {
  /** path is relative to /settings. */
  path: string;
  label: string;
  /** permission is what the viewer needs to see the tab. */
  permission: string;
  lazy: () => Promise<{ Component: ComponentType }>;
}

/**
 * settingsTabs are the Settings tabs, in the order they are shown. A tab is
 * listed once the server has the API it needs. Each is a lazy route, so a
 * first load carries only the tab being opened.
 */
export const settingsTabs: ReadonlyArray<SettingsTab> = [
  {
    path: 'general',
    label: 'General',
    // Every member may read the settings; the tab is for those who change them.
    permission: 'organization:write',
    lazy: async () => ({ Component: (await import('./general/GeneralPage')).GeneralPage }),
  },
  {
    path: 'members',
    label: 'Members',
    permission: 'members:read',
    lazy: async () => ({ Component: (await import('./members/MembersPage')).MembersPage }),
  },
  {
    path: 'roles',
    label: 'Roles & Permissions',
    permission: 'roles:read',
    lazy: async () => ({ Component: (await import('./roles/RolesPage')).RolesPage }),
  },
  {
    path: 'service-accounts',
    label: 'Service Accounts',
    permission: 'service_accounts:read',
    lazy: async () => ({ Component: (await import('./service-accounts/ServiceAccountsPage')).ServiceAccountsPage }),
  },
  {
    path: 'api-access-keys',
    label: 'API Access Keys',
    permission: 'api_access_keys:read',
    lazy: async () => ({ Component: (await import('./api-access-keys/ApiAccessKeysPage')).ApiAccessKeysPage }),
  },
  {
    path: 'secrets',
    label: 'Secrets',
    permission: 'secrets:read',
    lazy: async () => ({ Component: (await import('./secrets/SecretsPage')).SecretsPage }),
  },
  {
    path: 'connectors',
    label: 'Connectors',
    permission: 'connectors:read',
    lazy: async () => ({ Component: (await import('./connectors/ConnectorsPage')).ConnectorsPage }),
  },
  {
    path: 'identity-providers',
    label: 'Identity Providers',
    permission: 'identity_providers:read',
    lazy: async () => ({
      Component: (await import('./identity-providers/IdentityProvidersPage')).IdentityProvidersPage,
    }),
  },
  {
    path: 'scim',
    label: 'SCIM',
    permission: 'scim:read',
    lazy: async () => ({ Component: (await import('./scim/ScimPage')).ScimPage }),
  },
  {
    path: 'audit-log',
    label: 'Audit Log',
    permission: 'audit_log:read',
    lazy: async () => ({ Component: (await import('./audit-log/AuditLogPage')).AuditLogPage }),
  },
];
