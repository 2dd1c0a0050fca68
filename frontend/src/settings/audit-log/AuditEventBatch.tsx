import { useQuery } from 'urql';
import { graphql, type FragmentType } from '../../gql';
import type { AuditEventFilter } from '../../gql/graphql';
import { errorMessage, hasErrorCode } from '../../graphql/errors';
import type { AuditEventDetail_EventFragment } from './AuditEventDetail';
import { AuditEventRow } from './AuditEventRow';
import type { CategoryLabels } from './categoryLabels';
import { auditColumns } from './auditColumns';
import type { PivotParams } from './useAuditFilters';

/** batchSize is how many events one "Load more" brings. */
export const batchSize = 50;

const AuditEventBatchQuery = graphql(`
  query AuditEventBatch($filter: AuditEventFilter, $first: Int!, $after: String) {
    auditEvents(filter: $filter, first: $first, after: $after) {
      edges {
        node {
          id
          ...AuditEventRow_Event
          ...AuditEventDetail_Event
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

interface AuditEventBatchProps {
  filter: AuditEventFilter;
  /** after is the cursor this batch starts after; null for the newest events. */
  after: string | null;
  isLast: boolean;
  categoryLabels: CategoryLabels;
  onOpen: (event: FragmentType<typeof AuditEventDetail_EventFragment>) => void;
  onPivot: (pivot: Partial<PivotParams>) => void;
  /** selectedId is the event the keyboard is on. */
  selectedId?: string;
  onLoadMore: (endCursor: string) => void;
  onClearFilters: () => void;
  /** endNote is said after the last event of the list, once no more follow. */
  endNote?: string;
}

/**
 * AuditEventBatch fetches and renders one batch of audit events as table rows,
 * with the table's loading, empty and error states, and "Load more" after the
 * last batch.
 */
export function AuditEventBatch({
  filter,
  after,
  isLast,
  categoryLabels,
  onOpen,
  onPivot,
  selectedId,
  onLoadMore,
  onClearFilters,
  endNote,
}: AuditEventBatchProps) {
  const [{ data, fetching, error }, reexecute] = useQuery({
    query: AuditEventBatchQuery,
    variables: { filter, first: batchSize, after },
    // The newest events change with every action taken elsewhere in the app.
    requestPolicy: after ? 'cache-first' : 'cache-and-network',
  });

  if (!data) {
    if (error) {
      return (
        <tr role="row">
          <td colSpan={auditColumns.length} className="table-state" role="alert">
            <p>Could not load audit events. {errorMessage(error)}</p>
            {!hasErrorCode(error, 'FORBIDDEN') && (
              <button type="button" onClick={() => reexecute({ requestPolicy: 'network-only' })}>
                Retry
              </button>
            )}
          </td>
        </tr>
      );
    }
    return (
      <tr role="row">
        <td colSpan={auditColumns.length} className="table-state" role="status">
          {fetching ? 'Loading events…' : null}
        </td>
      </tr>
    );
  }

  const { edges, pageInfo } = data.auditEvents;
  if (!after && edges.length === 0) {
    return (
      <tr role="row">
        <td colSpan={auditColumns.length} className="table-state">
          <p>No events match these filters</p>
          {endNote && <p className="muted">{endNote}</p>}
          <button type="button" onClick={onClearFilters}>
            Clear filters
          </button>
        </td>
      </tr>
    );
  }

  const { endCursor } = pageInfo;
  return (
    <>
      {edges.map(({ node }) => (
        <AuditEventRow
          key={node.id}
          event={node}
          categoryLabels={categoryLabels}
          onOpen={() => onOpen(node)}
          onPivot={onPivot}
          selected={node.id === selectedId}
        />
      ))}
      {isLast && pageInfo.hasNextPage && endCursor && (
        <tr role="row">
          <td colSpan={auditColumns.length} className="table-state">
            <button type="button" onClick={() => onLoadMore(endCursor)}>
              Load more
            </button>
          </td>
        </tr>
      )}
      {isLast && !pageInfo.hasNextPage && endNote && (
        <tr role="row">
          <td colSpan={auditColumns.length} className="table-state muted">
            {endNote}
          </td>
        </tr>
      )}
    </>
  );
}
