/** roleAssignmentActions are the actions whose resource is a role and whose details name the member or service account. */
const roleAssignmentActions: ReadonlySet<string> = new Set(['ASSIGNED_ROLE', 'UNASSIGNED_ROLE']);

/**
 * assigneeOf names whom an "Assigned role" or "Unassigned role" event gave
 * the role to or took it from (details.assigneeEmail for a member,
 * assigneeName for a service account, as recorded at the time); null for
 * other events.
 */
export function assigneeOf(action: string, details: unknown): string | null {
  if (!roleAssignmentActions.has(action) || typeof details !== 'object' || details === null) return null;
  const { assigneeEmail, assigneeName, assigneeId } = details as Record<string, unknown>;
  for (const name of [assigneeEmail, assigneeName, assigneeId]) {
    if (typeof name === 'string' && name !== '') return name;
  }
  return null;
}
