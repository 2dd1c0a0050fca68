import { createContext, useContext } from 'react';

/** PermissionsContext holds the signed-in viewer's permissions in the current organization. */
export const PermissionsContext = createContext<ReadonlySet<string>>(new Set());

/** useHasPermission tells whether the viewer holds permission, e.g. "audit_log:read". */
export function useHasPermission(permission: string): boolean {
  return useContext(PermissionsContext).has(permission);
}

/** usePermissions returns every permission the viewer holds. */
export function usePermissions(): ReadonlySet<string> {
  return useContext(PermissionsContext);
}
