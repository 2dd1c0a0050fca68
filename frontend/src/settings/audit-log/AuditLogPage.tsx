import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { graphql, type FragmentType } from '../../gql';
import { QueryContent } from '../../ui/QueryContent';
import { AuditEventDetail, type AuditEventDetail_EventFragment } from './AuditEventDetail';
import { AuditEventTable } from './AuditEventTable';
import { AuditFilters } from './AuditFilters';
import { AuditLogExport } from './AuditLogExport';
import { AuditLogVerification } from './AuditLogVerification';
import { toAuditEventFilter } from './auditEventFilter';
import { categoryLabelsOf } from './categoryLabels';
import { reachesRetention } from './dateRanges';
import { useAuditFilters } from './useAuditFilters';

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
    auditSearchRules {
      minLettersInARow
      maxLength
    }
  }
`);

/** The viewer's IANA time zone: "Today" means today where the viewer is. */
const viewerTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * AuditLogPage is the Settings › Audit Log tab: who did what, when, to which
 * resource, with search and filters kept in the URL.
 */
export function AuditLogPage() {
  const { filters, setFilters, clearFilters } = useAuditFilters();
  const [{ data, error }, reexecute] = useQuery({ query: AuditLogPageQuery });
  const [selected, setSelected] = useState<FragmentType<typeof AuditEventDetail_EventFragment> | null>(null);

  const catalog = data?.auditCategories;
  const searchRules = data?.auditSearchRules;
  const categoryLabels = useMemo(() => categoryLabelsOf(catalog ?? []), [catalog]);
  const filter = useMemo(
    () => catalog && searchRules && toAuditEventFilter(filters, catalog, viewerTimeZone, searchRules),
    [filters, catalog, searchRules],
  );
  const retentionDays = data?.organization.settings?.auditRetentionDays;
  const retentionNote =
    filter && retentionDays !== undefined && reachesRetention(filter.range, retentionDays)
      ? `Older events are hidden by the ${retentionDays}-day retention.`
      : undefined;

  return (
    <section className="audit-log" aria-labelledby="audit-log-heading">
      <h2 id="audit-log-heading">Audit Log</h2>
      <p className="muted">Security and administrative actions taken across your organization.</p>
      <QueryContent
        data={catalog && searchRules && filter ? { catalog, searchRules, filter } : undefined}
        error={error}
        what="the audit log"
        onRetry={() => reexecute({ requestPolicy: 'network-only' })}
      >
        {({ catalog, searchRules, filter }) => (
          <>
            <AuditFilters
              categories={catalog}
              searchRules={searchRules}
              filters={filters}
              onChange={setFilters}
              onClear={clearFilters}
            />
            <AuditLogVerification filter={filter} />
            <AuditLogExport filter={filter} />
            <AuditEventTable
              key={JSON.stringify(filter)}
              filter={filter}
              categoryLabels={categoryLabels}
              onOpen={setSelected}
              onClearFilters={clearFilters}
              endNote={retentionNote}
            />
            {selected && (
              <AuditEventDetail event={selected} categoryLabels={categoryLabels} onClose={() => setSelected(null)} />
            )}
          </>
        )}
      </QueryContent>
    </section>
  );
}
