import type { AuditAction, AuditCategory, AuditEventFilter } from '../../gql/graphql';
import { isSearchable, type SearchRules } from './auditSearch';
import { dateRanges } from './dateRanges';
import type { AuditFilterParams } from './useAuditFilters';

/** CatalogEntry is what the filter needs to know of one catalog category. */
interface CatalogEntry {
  category: AuditCategory;
  actions: ReadonlyArray<{ action: AuditAction }>;
}

/**
 * toAuditEventFilter turns the URL's filters into the API's filter, keeping
 * only values the catalog knows and a search the server accepts (a
 * hand-edited URL must not break the page). TODAY is computed in timeZone,
 * the viewer's.
 */
export function toAuditEventFilter(
  params: AuditFilterParams,
  catalog: ReadonlyArray<CatalogEntry>,
  timeZone: string,
  searchRules: SearchRules,
): AuditEventFilter {
  const filter: AuditEventFilter = {};
  if (params.search && isSearchable(params.search, searchRules)) filter.search = params.search;
  const category = catalog.find((c) => c.category === params.category);
  if (category) filter.category = category.category;
  const action = (category ? [category] : catalog)
    .flatMap((c) => c.actions)
    .find((a) => a.action === params.action);
  if (action) filter.action = action.action;
  const range = dateRanges.find((r) => r.value === params.range);
  if (range) {
    filter.range = range.value;
    filter.timeZone = timeZone;
  }
  return filter;
}
