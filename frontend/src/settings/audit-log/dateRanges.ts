import type { AuditDateRange } from '../../gql/graphql';

/**
 * dateRanges are the Date range filter's choices, in the order they are
 * offered, each with how many days back it reaches at most.
 */
export const dateRanges: ReadonlyArray<{ value: AuditDateRange; label: string; days: number }> = [
  { value: 'TODAY', label: 'Today', days: 1 },
  { value: 'LAST_7_DAYS', label: 'Last 7 Days', days: 7 },
  { value: 'LAST_30_DAYS', label: 'Last 30 Days', days: 30 },
  { value: 'LAST_90_DAYS', label: 'Last 90 Days', days: 90 },
];

/**
 * reachesRetention tells whether the date range (a dateRanges value, or
 * none for all time) reaches back to the retention bound, where the server
 * stops listing events.
 */
export function reachesRetention(range: AuditDateRange | undefined | null, retentionDays: number): boolean {
  const days = dateRanges.find((r) => r.value === range)?.days ?? Infinity;
  return days >= retentionDays;
}
