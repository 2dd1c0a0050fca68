/**
 * Server answers for the Audit Log tests: a part of the catalog as the server
 * serves it, and events shaped as auditEvents returns them.
 */
export const catalog = [
  {
    category: 'AUTHENTICATION',
    label: 'Authentication',
    shortLabel: 'Auth',
    actions: [
      { action: 'LOGGED_IN', label: 'Logged in' },
      { action: 'LOGGED_OUT', label: 'Logged out' },
    ],
  },
  {
    category: 'ROLES_AND_PERMISSIONS',
    label: 'Roles & Permissions',
    shortLabel: 'RBAC',
    actions: [
      { action: 'CREATED_ROLE', label: 'Created role' },
      { action: 'UPDATED_ROLE', label: 'Updated role' },
    ],
  },
];

export function auditEvent(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    occurredAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    category: 'ROLES_AND_PERMISSIONS',
    action: 'UPDATED_ROLE',
    actionLabel: 'Updated role',
    actor: { type: 'USER', id: 'user-1', email: 'ada@example.com', name: 'Ada Lovelace' },
    resource: { type: 'role', id: `role-${id}`, name: 'Auditors' },
    details: { changes: { name: { from: 'Readers', to: 'Auditors' } } },
    ipAddress: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    requestId: `req-${id}`,
    ...overrides,
  };
}

export function eventPage(events: ReturnType<typeof auditEvent>[], endCursor: string | null = null) {
  return {
    data: {
      auditEvents: {
        edges: events.map((node) => ({ node })),
        pageInfo: { hasNextPage: endCursor !== null, endCursor },
      },
    },
  };
}

/** searchRules are the server's limits of a search term, as it serves them today. */
export const searchRules = { minLettersInARow: 3, maxLength: 200 };
