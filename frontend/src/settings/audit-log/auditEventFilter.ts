import type { AuditAction, AuditCategory, AuditEventFilter } from '../../gql/graphql';
import { dateRanges } from './dateRanges';
import type { AuditFilterParams } from './useAuditFilters';

/** CatalogEntry is what the filter needs to know of one catalog category. */
interface CatalogEntry {
  category: AuditCategory;
  actions: ReadonlyArray<{ action: AuditAction }>;
}

/** isInstant tells whether s is a date and time the API takes (RFC 3339, with an offset or Z). */
export function isInstant(s: string): boolean {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(s) && !Number.isNaN(Date.parse(s));
}

/**
 * toAuditEventFilter turns the URL's filters into the API's filter, keeping
 * only values the catalog knows, a search the server's grammar accepted
 * (searchValid; a hand-edited URL must not break the page) and well-formed
 * dates. Dates in the search and TODAY are read in timeZone, the viewer's. A
 * preset range wins over a custom one.
 */
export function toAuditEventFilter(
  params: AuditFilterParams,
  catalog: ReadonlyArray<CatalogEntry>,
  timeZone: string,
  searchValid: boolean,
): AuditEventFilter {
  const filter: AuditEventFilter = {};
  if (params.search && searchValid) filter.query = params.search;
  const category = catalog.find((c) => c.category === params.category);
  if (category) filter.category = category.category;
  const action = (category ? [category] : catalog)
    .flatMap((c) => c.actions)
    .find((a) => a.action === params.action);
  if (action) filter.action = action.action;
  const range = dateRanges.find((r) => r.value === params.range);
  if (range) {
    filter.range = range.value;
  } else {
    if (isInstant(params.from)) filter.from = params.from;
    if (isInstant(params.to)) filter.to = params.to;
  }
  if (params.actor) filter.actorId = params.actor;
  if (params.resource) {
    const slash = params.resource.indexOf('/');
    filter.resourceType = slash < 0 ? params.resource : params.resource.slice(0, slash);
    if (slash >= 0 && slash < params.resource.length - 1) filter.resourceId = params.resource.slice(slash + 1);
  }
  if (params.request) filter.requestId = params.request;
  if (params.ip) filter.ipAddress = params.ip;
  if (Object.keys(filter).length > 0) filter.timeZone = timeZone;
  return filter;
}
