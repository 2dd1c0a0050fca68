import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { act } from 'react';
import { makeSubject } from 'wonka';
import { mockClient, type Answer } from '../../test/mockClient';
import { renderRoute } from '../../test/renderRoute';
import { auditEvent, catalog, checkQuery, eventPage, timeline } from './auditFixtures';
import { AuditLogPage } from './AuditLogPage';

const viewerTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

function renderAuditLog(
  url: string,
  events: (variables: Record<string, unknown>) => Answer = () => eventPage([]),
  auditRetentionDays = 365,
  check: (variables: Record<string, unknown>) => Answer = checkQuery,
  live = makeSubject<Answer>(),
) {
  const organization = { id: 'o1', settings: { auditRetentionDays } };
  const { client, calls } = mockClient({
    AuditLogPage: () => ({ data: { organization, auditCategories: catalog } }),
    AuditEventBatch: events,
    AuditQueryCheck: check,
    AuditTimeline: () => timeline(),
    AuditEventsAdded: () => live.source,
    AuditLogVerification: () => ({ data: { auditLogCheckpoint: { size: 1234, createdAt: '2026-12-03T12:00:00Z' } } }),
    AuditEventProof: ({ id }) => ({
      data: { auditEvent: { id, sequence: 41, inclusionProof: { treeSize: 1234 } } },
    }),
  });
  const router = renderRoute(AuditLogPage, { url, client });
  const query = () => new URLSearchParams(router.state.location.search);
  return { calls, query };
}

/** choose picks the option labelled label, as a person reading the list would. */
async function choose(select: HTMLElement, label: string) {
  await userEvent.selectOptions(select, within(select).getByRole('option', { name: label }));
}

function optionLabels(select: HTMLElement) {
  return within(select)
    .getAllByRole('option')
    .map((option) => option.textContent);
}

describe('Audit Log verification', () => {
  it('shows how far the signed log goes, and each event’s place in it', async () => {
    renderAuditLog('/settings/audit-log', () => eventPage([auditEvent('e1')]));
    expect(await screen.findByText(/^Verified through/)).toHaveTextContent(/^Verified through .+ \(1,234 events\)$/);
    await userEvent.click(await screen.findByRole('button', { name: /Updated role/ }));
    const panel = screen.getByRole('dialog', { name: 'Updated role' });
    expect(await within(panel).findByText('Included in the signed log of 1,234 events')).toBeInTheDocument();
    expect(within(panel).getByText('41')).toBeInTheDocument();
  });
});

describe('Audit Log filters', () => {
  it('lists every action grouped by category when no category is chosen', async () => {
    renderAuditLog('/settings/audit-log');
    const action = await screen.findByRole('combobox', { name: 'Action' });
    expect(within(action).getByRole('group', { name: 'Authentication' })).toBeInTheDocument();
    expect(within(action).getByRole('group', { name: 'Roles & Permissions' })).toBeInTheDocument();
    expect(optionLabels(action)).toEqual(['All actions', 'Logged in', 'Logged out', 'Created role', 'Updated role']);
  });

  it('lists only the chosen category’s actions', async () => {
    const { query } = renderAuditLog('/settings/audit-log');
    await choose(await screen.findByRole('combobox', { name: 'Category' }), 'Roles & Permissions');
    expect(optionLabels(screen.getByRole('combobox', { name: 'Action' }))).toEqual([
      'All actions',
      'Created role',
      'Updated role',
    ]);
    expect(query().get('category')).toBe('ROLES_AND_PERMISSIONS');
  });

  it('clears an action that does not belong to the newly chosen category', async () => {
    const { query } = renderAuditLog('/settings/audit-log?action=LOGGED_IN');
    const action = await screen.findByRole('combobox', { name: 'Action' });
    expect(action).toHaveValue('LOGGED_IN');
    await choose(screen.getByRole('combobox', { name: 'Category' }), 'Roles & Permissions');
    expect(action).toHaveValue('');
    expect(query().has('action')).toBe(false);
  });

  it('keeps an action that belongs to the newly chosen category', async () => {
    const { query } = renderAuditLog('/settings/audit-log?action=CREATED_ROLE');
    await choose(await screen.findByRole('combobox', { name: 'Category' }), 'Roles & Permissions');
    expect(screen.getByRole('combobox', { name: 'Action' })).toHaveValue('CREATED_ROLE');
    expect(query().get('action')).toBe('CREATED_ROLE');
  });

  it('restores every filter from the URL and sends them to the server', async () => {
    const { calls } = renderAuditLog(
      '/settings/audit-log?q=auditors&category=ROLES_AND_PERMISSIONS&action=CREATED_ROLE&range=TODAY',
    );
    expect(await screen.findByRole('searchbox', { name: 'Search' })).toHaveValue('auditors');
    expect(screen.getByRole('combobox', { name: 'Category' })).toHaveValue('ROLES_AND_PERMISSIONS');
    expect(screen.getByRole('combobox', { name: 'Action' })).toHaveValue('CREATED_ROLE');
    expect(screen.getByRole('combobox', { name: 'Date range' })).toHaveValue('TODAY');
    await waitFor(() => expect(calls('AuditEventBatch')).not.toHaveLength(0));
    expect(calls('AuditEventBatch')[0]).toEqual({
      filter: {
        query: 'auditors',
        category: 'ROLES_AND_PERMISSIONS',
        action: 'CREATED_ROLE',
        range: 'TODAY',
        timeZone: viewerTimeZone,
      },
      first: 50,
      after: null,
    });
  });

  it('writes the chosen filters to the URL', async () => {
    const { query } = renderAuditLog('/settings/audit-log');
    await choose(await screen.findByRole('combobox', { name: 'Date range' }), 'Last 30 Days');
    await choose(screen.getByRole('combobox', { name: 'Action' }), 'Logged out');
    expect(query().get('range')).toBe('LAST_30_DAYS');
    expect(query().get('action')).toBe('LOGGED_OUT');
  });

  it('searches once typing pauses', async () => {
    const { calls, query } = renderAuditLog('/settings/audit-log');
    await userEvent.type(await screen.findByRole('searchbox', { name: 'Search' }), 'ada@');
    expect(query().has('q')).toBe(false);
    await waitFor(() => expect(query().get('q')).toBe('ada@'));
    await waitFor(() => expect(calls('AuditEventBatch').at(-1)?.filter).toEqual({ query: 'ada@', timeZone: viewerTimeZone }));
    expect(calls('AuditEventBatch').filter((v) => (v.filter as { query?: string }).query === 'ad')).toHaveLength(0);
  });

  it('keeps the events shown while the server refuses the search, and points at the token at fault', async () => {
    const { calls, query } = renderAuditLog('/settings/audit-log', ({ filter }) =>
      (filter as { query?: string }).query === 'ada' ? eventPage([]) : eventPage([auditEvent('e1')]),
    );
    const search = await screen.findByRole('searchbox', { name: 'Search' });
    expect(await screen.findByRole('button', { name: 'Updated role' })).toBeInTheDocument();
    await userEvent.type(search, 'role acter:ada');
    await waitFor(() => expect(search).toHaveAccessibleDescription(/"acter:" is not a qualifier/));
    expect(search).toBeInvalid();
    expect(screen.getByText('acter:ada', { selector: 'mark' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Updated role' })).toBeInTheDocument();
    expect(query().has('q')).toBe(false);
    expect(calls('AuditEventBatch').every((v) => !('query' in (v.filter as object)))).toBe(true);

    await userEvent.clear(search);
    await userEvent.type(search, 'ada');
    await waitFor(() => expect(calls('AuditEventBatch').at(-1)?.filter).toEqual({ query: 'ada', timeZone: viewerTimeZone }));
    expect(search).not.toBeInvalid();
    expect(await screen.findByText('No events match these filters')).toBeInTheDocument();
  });

  it('holds back a refused search after a search, saying which search the events match', async () => {
    const { calls, query } = renderAuditLog('/settings/audit-log?q=alice');
    const search = await screen.findByRole('searchbox', { name: 'Search' });
    await userEvent.clear(search);
    await userEvent.type(search, 'al');
    await waitFor(() => expect(search).toHaveAccessibleDescription(/needs at least 3 letters.*Showing events matching “alice”\./));
    expect(query().get('q')).toBe('alice');
    expect(calls('AuditEventBatch').map((v) => (v.filter as { query?: string }).query)).toEqual(['alice']);
  });

  it('asks the server’s grammar, and ignores a search it refuses in the URL', async () => {
    const { calls } = renderAuditLog('/settings/audit-log?q=nope', () => eventPage([]), 365, () => ({
      data: { auditQueryCheck: { error: { message: 'refused here', token: 'nope', start: 0, end: 4 }, clauses: [] } },
    }));
    const search = await screen.findByRole('searchbox', { name: 'Search' });
    expect(search).toHaveValue('nope');
    await waitFor(() => expect(search).toHaveAccessibleDescription(/refused here/));
    await waitFor(() => expect(calls('AuditEventBatch')).not.toHaveLength(0));
    expect(calls('AuditEventBatch')[0]?.filter).toEqual({});
  });

  it('ignores URL values the catalog does not know', async () => {
    const { calls } = renderAuditLog('/settings/audit-log?category=NOPE&action=DROPPED_TABLE&range=FOREVER');
    await waitFor(() => expect(calls('AuditEventBatch')).not.toHaveLength(0));
    expect(calls('AuditEventBatch')[0]?.filter).toEqual({});
    expect(screen.getByRole('combobox', { name: 'Category' })).toHaveValue('');
  });
});

describe('Audit Log table', () => {
  it('names whom an assigned or unassigned role went to or came from', async () => {
    const assigned = auditEvent('e7', {
      action: 'ASSIGNED_ROLE',
      actionLabel: 'Assigned role',
      resource: { type: 'role', id: 'role-9', name: 'Support' },
      details: { assigneeType: 'user', assigneeId: 'u2', assigneeEmail: 'bob@example.com' },
    });
    const unassigned = auditEvent('e8', {
      action: 'UNASSIGNED_ROLE',
      actionLabel: 'Unassigned role',
      resource: { type: 'role', id: 'role-9', name: 'Support' },
      details: { assigneeType: 'service_account', assigneeId: 'sa-1', assigneeName: 'ci-bot' },
    });
    renderAuditLog('/settings/audit-log', () => eventPage([assigned, unassigned, auditEvent('e9')]));
    const table = await screen.findByRole('table', { name: 'Audit events' });
    const rows = (await within(table).findAllByRole('row')).slice(1);
    expect(rows[0]).toHaveTextContent(/Support\s*→\s*to\s*bob@example\.com/);
    expect(rows[1]).toHaveTextContent(/Support\s*→\s*from\s*ci-bot/);
    expect(rows[2]).not.toHaveTextContent('→');
  });

  it('shows each event’s time, actor, action, category short label and resource', async () => {
    renderAuditLog('/settings/audit-log', () => eventPage([auditEvent('e1')]));
    const table = await screen.findByRole('table', { name: 'Audit events' });
    const row = (await within(table).findAllByRole('row'))[1]!;
    expect(within(row).getByText('5 minutes ago')).toHaveAttribute('title');
    expect(within(row).getByText('ada@example.com')).toBeInTheDocument();
    expect(within(row).getByText('User')).toBeInTheDocument();
    expect(within(row).getByRole('button', { name: 'Updated role' })).toBeInTheDocument();
    expect(within(row).getByText('RBAC')).toHaveAttribute('title', 'Roles & Permissions');
    expect(within(row).getByText('role-e1')).toBeInTheDocument();
    expect(within(row).getByRole('button', { name: 'Copy resource ID role-e1' })).toBeInTheDocument();
  });

  it('says so while events load', async () => {
    renderAuditLog('/settings/audit-log', () => 'pending');
    expect(await screen.findByText('Loading events…')).toHaveRole('status');
  });

  it('offers to clear the filters when no event matches', async () => {
    const { query } = renderAuditLog('/settings/audit-log?q=nothing&range=TODAY');
    expect(await screen.findByText('No events match these filters')).toBeInTheDocument();
    const clear = screen.getAllByRole('button', { name: 'Clear filters' });
    await userEvent.click(clear.at(-1)!);
    expect(query().toString()).toBe('');
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveValue('');
  });

  it('shows an error with a retry that loads the events again', async () => {
    let attempts = 0;
    renderAuditLog('/settings/audit-log', () =>
      ++attempts === 1 ? { errors: [{ message: 'internal error', extensions: { code: 'INTERNAL' } }] } : eventPage([auditEvent('e1')]),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load audit events. Internal error.');
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('button', { name: 'Updated role' })).toBeInTheDocument();
  });

  it('loads more events below the ones already shown', async () => {
    const { calls } = renderAuditLog('/settings/audit-log', ({ after }) =>
      after === 'cursor-1' ? eventPage([auditEvent('e2', { actionLabel: 'Created role' })]) : eventPage([auditEvent('e1')], 'cursor-1'),
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Load more' }));
    expect(await screen.findByRole('button', { name: 'Created role' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Updated role' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    expect(calls('AuditEventBatch').map((v) => v.after)).toEqual([null, 'cursor-1']);
  });

  it('says where the list ends that older events are past the retention, when the range reaches it', async () => {
    renderAuditLog('/settings/audit-log', () => eventPage([auditEvent('e1')]), 30);
    expect(await screen.findByText('Older events are hidden by the 30-day retention.')).toBeInTheDocument();
  });

  it('says nothing of the retention while more events follow', async () => {
    renderAuditLog('/settings/audit-log', () => eventPage([auditEvent('e1')], 'cursor-1'), 30);
    expect(await screen.findByRole('button', { name: 'Load more' })).toBeInTheDocument();
    expect(screen.queryByText(/hidden by the/)).not.toBeInTheDocument();
  });

  it('says nothing of the retention for a range shorter than it', async () => {
    renderAuditLog('/settings/audit-log?range=LAST_7_DAYS', () => eventPage([auditEvent('e1')]), 30);
    expect(await screen.findByRole('button', { name: 'Updated role' })).toBeInTheDocument();
    expect(screen.queryByText(/hidden by the/)).not.toBeInTheDocument();
  });

  it('opens a panel with every field of an event, its changes as before and after', async () => {
    renderAuditLog('/settings/audit-log', () => eventPage([auditEvent('e1')]));
    const opener = await screen.findByRole('button', { name: 'Updated role' });
    await userEvent.click(opener);
    const panel = screen.getByRole('dialog', { name: 'Updated role' });
    expect(within(panel).getByRole('heading', { name: 'Updated role' })).toHaveFocus();
    expect(within(panel).getByText('203.0.113.7')).toBeInTheDocument();
    expect(within(panel).getByText('Mozilla/5.0 (X11; Linux x86_64)')).toBeInTheDocument();
    expect(within(panel).getByText('req-e1')).toBeInTheDocument();
    expect(within(panel).getByText('Roles & Permissions')).toBeInTheDocument();
    const changes = within(panel).getByRole('table', { name: 'Changes' });
    expect(within(changes).getByRole('row', { name: /^name .*Readers Auditors$/ })).toBeInTheDocument();
    expect(within(panel).getByLabelText('Details JSON').textContent).toBe(
      JSON.stringify({ changes: { name: { from: 'Readers', to: 'Auditors' } } }, null, 2),
    );
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(opener).toHaveFocus();
  });
});

describe('Audit Log investigation', () => {
  it('draws the filter’s events over time and narrows the range to a clicked bar', async () => {
    const { calls, query } = renderAuditLog('/settings/audit-log?range=LAST_30_DAYS&category=AUTHENTICATION');
    const bars = await screen.findByRole('group', { name: /Events per day/ });
    const buttons = within(bars).getAllByRole('button');
    expect(buttons).toHaveLength(3);
    expect(buttons[2]).toHaveAccessibleName(/: 5 events \(Auth 1, RBAC 4\)$/);
    expect(screen.getByRole('figure')).toHaveAccessibleName(/^7 events from/);
    await waitFor(() => expect(calls('AuditTimeline')).not.toHaveLength(0));
    expect(calls('AuditTimeline')[0]?.filter).toEqual({ range: 'LAST_30_DAYS', category: 'AUTHENTICATION', timeZone: viewerTimeZone });

    // The keyboard: one tab stop, arrows move, Enter narrows.
    buttons[0]!.focus();
    await userEvent.keyboard('{ArrowRight}{ArrowRight}');
    expect(buttons[2]).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    expect(query().has('range')).toBe(false);
    expect(new Date(query().get('from')!).toISOString()).toBe('2026-11-03T00:00:00.000Z');
    expect(query().get('to')).toMatch(/\.999999[+-]\d\d:\d\d$/);
    expect(new Date(query().get('to')!).toISOString()).toBe('2026-11-03T23:59:59.999Z');
    expect(query().get('category')).toBe('AUTHENTICATION');
    await waitFor(() =>
      expect(calls('AuditEventBatch').at(-1)?.filter).toMatchObject({ from: query().get('from'), to: query().get('to') }),
    );
    expect(calls('AuditTimeline').at(-1)?.filter).toEqual(calls('AuditEventBatch').at(-1)?.filter);
    expect(screen.getByRole('combobox', { name: 'Date range' })).toHaveValue('CUSTOM');
  });

  it('picks a custom range in the viewer’s time zone, kept in the URL with its offset', async () => {
    const { calls, query } = renderAuditLog('/settings/audit-log?range=TODAY');
    await choose(await screen.findByRole('combobox', { name: 'Date range' }), 'Custom range…');
    expect(query().has('range')).toBe(false);
    const from = screen.getByLabelText('From');
    await userEvent.type(from, '2026-11-03T09:30');
    expect(query().get('from')).toMatch(/^2026-11-03T09:30:00\.000[+-]\d\d:\d\d$/);
    expect(new Date(query().get('from')!).getTime()).toBe(new Date('2026-11-03T09:30').getTime());
    await waitFor(() => expect(calls('AuditEventBatch').at(-1)?.filter).toEqual({ from: query().get('from'), timeZone: viewerTimeZone }));
    expect(screen.getByText(`Times in ${viewerTimeZone}`)).toBeInTheDocument();
  });

  it('pivots to an actor, a resource, a request and an address, each a removable chip', async () => {
    const { calls, query } = renderAuditLog('/settings/audit-log', () => eventPage([auditEvent('e1')]));
    await userEvent.click(await screen.findByRole('button', { name: 'ada@example.com' }));
    expect(query().get('actor')).toBe('user-1');
    const chips = screen.getByRole('list', { name: 'Narrowed to' });
    expect(within(chips).getByText('ada@example.com')).toBeInTheDocument();
    await waitFor(() => expect(calls('AuditEventBatch').at(-1)?.filter).toEqual({ actorId: 'user-1', timeZone: viewerTimeZone }));

    await userEvent.click(screen.getByRole('button', { name: 'Updated role' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Of this request' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Updated role' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'From this IP address' }));
    await userEvent.click(screen.getByRole('button', { name: 'Updated role' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'On this resource' }));
    await waitFor(() =>
      expect(calls('AuditEventBatch').at(-1)?.filter).toEqual({
        actorId: 'user-1',
        requestId: 'req-e1',
        ipAddress: '203.0.113.7',
        resourceType: 'role',
        resourceId: 'role-e1',
        timeZone: viewerTimeZone,
      }),
    );
    expect(within(chips).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Actor: ada@example.com×',
      'Resource: role Auditors×',
      'Request: req-e1×',
      'IP address: 203.0.113.7×',
    ]);

    await userEvent.click(within(chips).getByRole('button', { name: 'Remove Actor: ada@example.com' }));
    expect(query().has('actor')).toBe(false);
    expect(query().get('request')).toBe('req-e1');
  });

  it('shows a changed list as what was removed and added, and finds the other changes of a field', async () => {
    const grant = auditEvent('e1', {
      details: { changes: { permissions: { from: ['roles:read', 'scim:write'], to: ['roles:read', 'secrets:write'] } } },
    });
    const { query } = renderAuditLog('/settings/audit-log', () => eventPage([grant]));
    await userEvent.click(await screen.findByRole('button', { name: 'Updated role' }));
    const changes = within(screen.getByRole('dialog')).getByRole('table', { name: 'Changes' });
    expect(within(changes).getByText('scim:write').closest('del')).toHaveTextContent('removed scim:write');
    expect(within(changes).getByText('secrets:write').closest('ins')).toHaveTextContent('added secrets:write');
    expect(within(changes).getAllByText('roles:read')).toHaveLength(2);
    await userEvent.click(within(changes).getByRole('button', { name: 'Find other changes of permissions' }));
    expect(query().get('q')).toBe('changed:permissions');
    expect(await screen.findByRole('searchbox', { name: 'Search' })).toHaveValue('changed:permissions');
  });
});

describe('Audit Log live tail and keyboard', () => {
  it('streams new events into the top of the table, holds them while paused, and counts them', async () => {
    const live = makeSubject<Answer>();
    const { calls } = renderAuditLog('/settings/audit-log?category=ROLES_AND_PERMISSIONS', () => eventPage([auditEvent('old')]), 365, checkQuery, live);
    await screen.findByRole('button', { name: /Updated role/ });
    await userEvent.click(screen.getByRole('button', { name: 'Live' }));
    expect(screen.getByRole('button', { name: 'Live' })).toHaveAttribute('aria-pressed', 'true');
    await waitFor(() => expect(calls('AuditEventsAdded')).toHaveLength(1));
    expect(calls('AuditEventsAdded')[0]?.filter).toEqual({ category: 'ROLES_AND_PERMISSIONS', timeZone: viewerTimeZone });

    act(() => live.next({ data: { auditEventsAdded: [] } }));
    await waitFor(() => expect(document.querySelector('.live-status')?.textContent).toBe('Live: 0 new events since Live beganPause'));
    act(() => live.next({ data: { auditEventsAdded: [auditEvent('new1', { action: 'CREATED_ROLE', actionLabel: 'Created role' })] } }));
    const rows = () => screen.getAllByRole('row').filter((row) => row.dataset.eventId);
    await waitFor(() => expect(rows().map((row) => row.dataset.eventId)).toEqual(['new1', 'old']));
    expect(screen.getByText('Live: 1 new event since Live began')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Pause' }));
    act(() => live.next({ data: { auditEventsAdded: [auditEvent('new2')] } }));
    expect(await screen.findByText('Paused: 1 new event held back, 2 since Live began')).toBeInTheDocument();
    expect(rows().map((row) => row.dataset.eventId)).toEqual(['new1', 'old']);
    await userEvent.click(screen.getByRole('button', { name: 'Resume and show 1 new event' }));
    expect(rows().map((row) => row.dataset.eventId)).toEqual(['new2', 'new1', 'old']);
  });

  it('says when the live tail stops, and reconnects', async () => {
    const live = makeSubject<Answer>();
    const { calls } = renderAuditLog('/settings/audit-log', () => eventPage([auditEvent('e1')]), 365, checkQuery, live);
    await userEvent.click(await screen.findByRole('button', { name: 'Live' }));
    act(() => live.next({ errors: [{ message: 'this subscription needs the audit_log:read permission', extensions: { code: 'FORBIDDEN' } }] }));
    expect(await screen.findByText(/The live tail stopped: .*audit_log:read/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Reconnect' }));
    await waitFor(() => expect(calls('AuditEventsAdded').length).toBeGreaterThan(1));
  });

  it('moves between rows with j and k, opens one with Enter, closes it with Escape, and searches on /', async () => {
    renderAuditLog('/settings/audit-log', () => eventPage([auditEvent('e1'), auditEvent('e2', { action: 'CREATED_ROLE', actionLabel: 'Created role' })]));
    await screen.findByRole('button', { name: /Created role/ });
    const selected = () => screen.getAllByRole('row').find((row) => row.getAttribute('aria-selected') === 'true')?.dataset.eventId;
    await userEvent.keyboard('j');
    expect(selected()).toBe('e1');
    await userEvent.keyboard('jjk');
    expect(selected()).toBe('e1');
    await userEvent.keyboard('j{Enter}');
    const panel = await screen.findByRole('dialog', { name: 'Created role' });
    expect(panel).toBeInTheDocument();
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await userEvent.keyboard('/');
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveFocus();
  });
});
