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
 * listed once the server has the API it needs.
 */
export const settingsTabs: ReadonlyArray<SettingsTab> = [
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
    path: 'audit-log',
    label: 'Audit Log',
    permission: 'audit_log:read',
    lazy: async () => ({ Component: (await import('./audit-log/AuditLogPage')).AuditLogPage }),
  },
];
