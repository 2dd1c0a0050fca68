import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

/**
 * AuditFilterParams are the Audit Log filters as they stand in the URL, so a
 * view can be shared and survives a reload. Values are raw strings: the page
 * checks them against the catalog before sending them to the server.
 */
export interface AuditFilterParams {
  search: string;
  category: string;
  action: string;
  range: string;
}

const keys = { search: 'q', category: 'category', action: 'action', range: 'range' } as const;

/** useAuditFilters reads and writes the Audit Log filters in the URL's query string. */
export function useAuditFilters() {
  const [searchParams, setSearchParams] = useSearchParams();

  const filters = useMemo<AuditFilterParams>(
    () => ({
      search: searchParams.get(keys.search) ?? '',
      category: searchParams.get(keys.category) ?? '',
      action: searchParams.get(keys.action) ?? '',
      range: searchParams.get(keys.range) ?? '',
    }),
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

  const clearFilters = useCallback(() => {
    setFilters({ search: '', category: '', action: '', range: '' });
  }, [setFilters]);

  return { filters, setFilters, clearFilters };
}
