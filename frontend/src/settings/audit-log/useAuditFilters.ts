import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

/**
 * AuditFilterParams are the Audit Log filters as they stand in the URL, so a
 * view can be shared and survives a reload. Values are raw strings: the page
 * checks them (against the catalog, and the search against the server's
 * grammar) before sending them to the server.
 */
export interface AuditFilterParams {
  /** search is the search box's query: words and qualifiers (actor:, ip:…). */
  search: string;
  category: string;
  action: string;
  range: string;
  /** from and to are a custom range: instants written in the viewer's zone, with its offset. */
  from: string;
  to: string;
  /** The pivots, each a removable chip; the labels are what the chips show. */
  actor: string;
  actorLabel: string;
  /** resource is "type/id". */
  resource: string;
  resourceLabel: string;
  request: string;
  ip: string;
}

export type PivotParams = Pick<AuditFilterParams, 'actor' | 'actorLabel' | 'resource' | 'resourceLabel' | 'request' | 'ip'>;

const keys: Record<keyof AuditFilterParams, string> = {
  search: 'q',
  category: 'category',
  action: 'action',
  range: 'range',
  from: 'from',
  to: 'to',
  actor: 'actor',
  actorLabel: 'actorLabel',
  resource: 'resource',
  resourceLabel: 'resourceLabel',
  request: 'request',
  ip: 'ip',
};

const names = Object.keys(keys) as (keyof AuditFilterParams)[];

/** noFilters clears every filter. */
export const noFilters: AuditFilterParams = Object.fromEntries(names.map((name) => [name, ''])) as unknown as AuditFilterParams;

/** useAuditFilters reads and writes the Audit Log filters in the URL's query string. */
export function useAuditFilters() {
  const [searchParams, setSearchParams] = useSearchParams();

  const filters = useMemo<AuditFilterParams>(
    () => Object.fromEntries(names.map((name) => [name, searchParams.get(keys[name]) ?? ''])) as unknown as AuditFilterParams,
    [searchParams],
  );

  const setFilters = useCallback(
    (patch: Partial<AuditFilterParams>, options?: { replace?: boolean }) => {
      setSearchParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [name, value] of Object.entries(patch) as [keyof AuditFilterParams, string][]) {
            if (value) next.set(keys[name], value);
            else next.delete(keys[name]);
          }
          return next;
        },
        { replace: options?.replace },
      );
    },
    [setSearchParams],
  );

  const clearFilters = useCallback(() => setFilters(noFilters), [setFilters]);

  return { filters, setFilters, clearFilters };
}
