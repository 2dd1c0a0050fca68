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

/**
 * notHeld returns the permissions of granted that held lacks, in order. The
 * server refuses to let anyone grant what they do not hold (a role, an
 * invitation, a key of a service account), so forms use it to say so first.
 */
export function notHeld(held: ReadonlySet<string>, granted: ReadonlyArray<string>): string[] {
  return granted.filter((p) => !held.has(p));
}
