import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from 'urql';
import { graphql, type FragmentType } from '../../gql';
import { lastMicrosecondBefore, localInstant } from '../../ui/dates';
import { QueryContent } from '../../ui/QueryContent';
import { AuditEventDetail, type AuditEventDetail_EventFragment } from './AuditEventDetail';
import { AuditEventTable } from './AuditEventTable';
import { AuditFilters } from './AuditFilters';
import { AuditLogExport } from './AuditLogExport';
import { AuditLogVerification } from './AuditLogVerification';
import { AuditPivotChips } from './AuditPivotChips';
import { AuditTimeline } from './AuditTimeline';
import { toAuditEventFilter } from './auditEventFilter';
import { useQueryCheck } from './auditQueryCheck';
import { categoryLabelsOf } from './categoryLabels';
import { reachesRetention } from './dateRanges';
import { useAuditFilters, type PivotParams } from './useAuditFilters';

const AuditLogPageQuery = graphql(`
  query AuditLogPage {
    organization {
      id
      settings {
        auditRetentionDays
      }
    }
    auditCategories {
      category
      actions {
        action
      }
      ...AuditFilters_Category
      ...CategoryLabels_Category
    }
  }
`);

/** The viewer's IANA time zone: "Today", custom ranges and dates in the search are the viewer's. */
const viewerTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

type SelectedEvent = FragmentType<typeof AuditEventDetail_EventFragment>;

/**
 * AuditLogPage is the Settings › Audit Log tab: who did what, when, to which
 * resource. A histogram of the filtered events over time sits above the
 * table; search, filters, range and pivots are kept in the URL. "Live"
 * streams new events into the top of the table. Keys: / searches, j and k
 * move between rows, Enter opens the row's details, Escape closes them.
 */
export function AuditLogPage() {
  const { filters, setFilters, clearFilters } = useAuditFilters();
  const [{ data, error }, reexecute] = useQuery({ query: AuditLogPageQuery });
  const [selected, setSelected] = useState<SelectedEvent | null>(null);
  const [cursorId, setCursorId] = useState<string | undefined>();
  const [live, setLive] = useState(false);
  const chips = useRef<HTMLUListElement>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const table = useRef<HTMLDivElement>(null);
  const search = useQueryCheck(filters.search, viewerTimeZone);

  const catalog = data?.auditCategories;
  const categoryLabels = useMemo(() => categoryLabelsOf(catalog ?? []), [catalog]);
  const filter = useMemo(
    () =>
      catalog && search.state !== 'checking' ? toAuditEventFilter(filters, catalog, viewerTimeZone, search.state === 'valid') : undefined,
    [filters, catalog, search.state],
  );
  const retentionDays = data?.organization.settings?.auditRetentionDays;
  const retentionNote =
    filter && retentionDays !== undefined && !filter.from && reachesRetention(filter.range, retentionDays)
      ? `Older events are hidden by the ${retentionDays}-day retention.`
      : undefined;

  // Keys of the page: / searches, j and k move between rows, Enter opens
  // the row's details, Escape closes them. Not while typing in a field.
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'Escape' && selected) {
        setSelected(null);
        return;
      }
      const target = e.target as HTMLElement;
      if (target.closest('input, textarea, select, [contenteditable="true"], dialog')) return;
      if (e.key === '/') {
        e.preventDefault();
        searchInput.current?.focus();
        return;
      }
      const rows = [...(table.current?.querySelectorAll<HTMLElement>('tr[data-event-id]') ?? [])];
      const at = rows.findIndex((row) => row.dataset.eventId === cursorId);
      if (e.key === 'j' || e.key === 'k') {
        const next = rows[e.key === 'j' ? Math.min(at + 1, rows.length - 1) : Math.max(at - 1, 0)];
        if (!next) return;
        e.preventDefault();
        setCursorId(next.dataset.eventId);
        next.scrollIntoView?.({ block: 'nearest' });
      } else if (e.key === 'Enter' && at >= 0 && !target.closest('button, a')) {
        e.preventDefault();
        rows[at]?.querySelector<HTMLButtonElement>('button[aria-haspopup="dialog"]')?.click();
      }
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [cursorId, selected]);

  function pivot(patch: Partial<PivotParams>) {
    setSelected(null);
    setFilters(patch);
    // The panel that had the focus is gone: the chips say what changed.
    requestAnimationFrame(() => chips.current?.focus());
  }

  return (
    <section className="audit-log" aria-labelledby="audit-log-heading">
      <h2 id="audit-log-heading">Audit Log</h2>
      <p className="muted">Security and administrative actions taken across your organization.</p>
      <QueryContent
        data={catalog && filter ? { catalog, filter } : undefined}
        error={error}
        what="the audit log"
        onRetry={() => reexecute({ requestPolicy: 'network-only' })}
      >
        {({ catalog, filter }) => (
          <>
            <AuditFilters
              categories={catalog}
              filters={filters}
              timeZone={viewerTimeZone}
              onChange={setFilters}
              onClear={clearFilters}
              searchRef={searchInput}
            />
            <AuditPivotChips filters={filters} onRemove={setFilters} listRef={chips} />
            <div className="audit-toolbar">
              <AuditLogVerification filter={filter} />
              <AuditLogExport filter={filter} />
              <button
                type="button"
                className="live-toggle"
                aria-pressed={live}
                title="Show new events as they happen"
                onClick={() => setLive((on) => !on)}
              >
                Live
              </button>
            </div>
            <AuditTimeline
              filter={filter}
              categoryLabels={categoryLabels}
              onNarrow={(from, to) => setFilters({ range: '', from: localInstant(from), to: lastMicrosecondBefore(to) })}
            />
            <div ref={table}>
              <AuditEventTable
                key={JSON.stringify(filter)}
                live={live}
                selectedId={cursorId}
                filter={filter}
                categoryLabels={categoryLabels}
                onOpen={setSelected}
                onPivot={pivot}
                onClearFilters={clearFilters}
                endNote={retentionNote}
              />
            </div>
            {selected && (
              <AuditEventDetail
                event={selected}
                categoryLabels={categoryLabels}
                onClose={() => setSelected(null)}
                onPivot={pivot}
                onFindChanges={(field) => {
                  setSelected(null);
                  setFilters({ search: `changed:${field}` });
                }}
              />
            )}
          </>
        )}
      </QueryContent>
    </section>
  );
}
