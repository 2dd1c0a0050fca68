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

/**
 * checkQuery answers auditQueryCheck for the tests' searches the way the
 * server's grammar does for them: an unknown qualifier and a word without 3
 * letters in a row are refused, pointing at the token.
 */
export function checkQuery({ query }: Record<string, unknown>) {
  const text = String(query);
  const bad = /acter:\S*/.exec(text);
  if (bad) {
    return {
      data: {
        auditQueryCheck: {
          error: { message: '"acter:" is not a qualifier', token: bad[0], start: bad.index, end: bad.index + bad[0].length },
          clauses: [],
        },
      },
    };
  }
  const short = text.split(' ').find((w) => w && !/[\p{L}\p{Nd}]{3}/u.test(w));
  if (short) {
    const start = text.indexOf(short);
    return {
      data: {
        auditQueryCheck: {
          error: { message: `"${short}" needs at least 3 letters or digits in a row to be searched`, token: short, start, end: start + short.length },
          clauses: [],
        },
      },
    };
  }
  return { data: { auditQueryCheck: { error: null, clauses: [] } } };
}

/** timeline answers auditTimeline with three daily buckets. */
export function timeline() {
  const day = (d: number) => new Date(Date.UTC(2026, 10, d)).toISOString();
  return {
    data: {
      auditTimeline: {
        from: day(1),
        to: day(4),
        interval: 'DAY',
        total: 7,
        buckets: [
          { start: day(1), end: day(2), count: 2, categories: [{ category: 'AUTHENTICATION', count: 2 }] },
          { start: day(2), end: day(3), count: 0, categories: [] },
          {
            start: day(3),
            end: day(4),
            count: 5,
            categories: [
              { category: 'AUTHENTICATION', count: 1 },
              { category: 'ROLES_AND_PERMISSIONS', count: 4 },
            ],
          },
        ],
      },
    },
  };
}
