import type { AuditDateRange } from '../../gql/graphql';

/** dateRanges are the Date range filter's choices, in the order they are offered. */
export const dateRanges: ReadonlyArray<{ value: AuditDateRange; label: string }> = [
  { value: 'TODAY', label: 'Today' },
  { value: 'LAST_7_DAYS', label: 'Last 7 Days' },
  { value: 'LAST_30_DAYS', label: 'Last 30 Days' },
  { value: 'LAST_90_DAYS', label: 'Last 90 Days' },
];
