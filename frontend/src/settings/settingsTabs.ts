import type { ComponentType } from 'react';

/** SettingsTab is one tab of the Settings page. */
export interface SettingsTab {
  /** path is relative to /settings. */
  path: string;
  label: string;
  lazy: () => Promise<{ Component: ComponentType }>;
}

/**
 * settingsTabs are the Settings tabs, in the order they are shown. A tab is
 * listed once the server has the API it needs.
 */
export const settingsTabs: ReadonlyArray<SettingsTab> = [
  {
    path: 'audit-log',
    label: 'Audit Log',
    lazy: async () => ({ Component: (await import('./audit-log/AuditLogPage')).AuditLogPage }),
  },
];
