import { useState } from 'react';
import type { FragmentType } from '../../gql';
import type { AuditEventFilter } from '../../gql/graphql';
import { AuditEventBatch } from './AuditEventBatch';
import { AuditEventRow } from './AuditEventRow';
import { AuditLiveStatus } from './AuditLiveStatus';
import type { AuditEventDetail_EventFragment } from './AuditEventDetail';
import type { CategoryLabels } from './categoryLabels';
import { auditColumns } from './auditColumns';
import type { PivotParams } from './useAuditFilters';
import { useLiveTail } from './useLiveTail';

interface AuditEventTableProps {
  filter: AuditEventFilter;
  categoryLabels: CategoryLabels;
  onOpen: (event: FragmentType<typeof AuditEventDetail_EventFragment>) => void;
  onPivot: (pivot: Partial<PivotParams>) => void;
  selectedId?: string;
  onClearFilters: () => void;
  /** endNote is said where the list ends, e.g. that older events are past the retention. */
  endNote?: string;
  /** live streams new events matching filter into the top of the table as they commit. */
  live?: boolean;
}

/**
 * AuditEventTable lists audit events newest first. "Load more" appends the
 * next batch below the rows already loaded; render it with a key per filter
 * so a new filter starts again from the newest events (and a new live tail).
 * With live, events that commit later appear above, highlighted.
 */
export function AuditEventTable({
  filter,
  categoryLabels,
  onOpen,
  onPivot,
  selectedId,
  onClearFilters,
  endNote,
  live = false,
}: AuditEventTableProps) {
  const [cursors, setCursors] = useState<ReadonlyArray<string | null>>([null]);
  const [restarting, setRestarting] = useState(false);
  const tail = useLiveTail(filter, live && !restarting);

  return (
    // The explicit roles keep the table a table for screen readers on narrow
    // screens, where its rows are laid out as cards (styles.css).
    <div className="table-scroll">
      <AuditLiveStatus
        tail={tail}
        onRestart={() => {
          // Off for a frame, then on: a new subscription.
          setRestarting(true);
          requestAnimationFrame(() => setRestarting(false));
        }}
      />
      <table className="audit-table" aria-label="Audit events" role="table">
        <thead role="rowgroup">
          <tr role="row">
            {auditColumns.map((column) => (
              <th key={column} scope="col" role="columnheader">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup">
          {tail.shown.map((event) => (
            <AuditEventRow
              key={`live-${event.id}`}
              event={event}
              categoryLabels={categoryLabels}
              onOpen={() => onOpen(event)}
              onPivot={onPivot}
              selected={event.id === selectedId}
              fresh
            />
          ))}
          {cursors.map((after, index) => (
            <AuditEventBatch
              key={after ?? ''}
              filter={filter}
              after={after}
              isLast={index === cursors.length - 1}
              categoryLabels={categoryLabels}
              onOpen={onOpen}
              onPivot={onPivot}
              selectedId={selectedId}
              onLoadMore={(endCursor) => setCursors((loaded) => [...loaded, endCursor])}
              onClearFilters={onClearFilters}
              endNote={endNote}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
