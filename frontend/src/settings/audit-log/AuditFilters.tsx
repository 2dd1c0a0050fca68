import { graphql, getFragmentData, type FragmentType } from '../../gql';
import type { SearchRules } from './auditSearch';
import { dateRanges } from './dateRanges';
import { SearchBox } from './SearchBox';
import type { AuditFilterParams } from './useAuditFilters';

export const AuditFilters_CategoryFragment = graphql(`
  fragment AuditFilters_Category on AuditCategoryInfo {
    category
    label
    actions {
      action
      label
    }
  }
`);

interface AuditFiltersProps {
  categories: ReadonlyArray<FragmentType<typeof AuditFilters_CategoryFragment>>;
  searchRules: SearchRules;
  filters: AuditFilterParams;
  onChange: (patch: Partial<AuditFilterParams>, options?: { replace?: boolean }) => void;
  onClear: () => void;
}

/**
 * AuditFilters are the Audit Log's search box and its Category, Action and
 * Date range filters. The Action filter offers only the chosen category's
 * actions, or every action grouped by category when none is chosen.
 */
export function AuditFilters({ categories: categoryRefs, searchRules, filters, onChange, onClear }: AuditFiltersProps) {
  const categories = getFragmentData(AuditFilters_CategoryFragment, categoryRefs);
  const chosen = categories.find((c) => c.category === filters.category);
  const active = Boolean(filters.search || filters.category || filters.action || filters.range);

  function changeCategory(category: string) {
    const next = categories.find((c) => c.category === category);
    const actionFits = !next || next.actions.some((a) => a.action === filters.action);
    onChange({ category, action: actionFits ? filters.action : '' });
  }

  return (
    <form role="search" className="audit-filters" aria-label="Audit log filters" onSubmit={(e) => e.preventDefault()}>
      <SearchBox
        value={filters.search}
        rules={searchRules}
        onChange={(search) => onChange({ search }, { replace: true })}
      />
      <label className="field">
        <span>Category</span>
        <select value={chosen?.category ?? ''} onChange={(e) => changeCategory(e.target.value)}>
          <option value="">All categories</option>
          {categories.map((c) => (
            <option key={c.category} value={c.category}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Action</span>
        <select value={filters.action} onChange={(e) => onChange({ action: e.target.value })}>
          <option value="">All actions</option>
          {chosen
            ? chosen.actions.map((a) => (
                <option key={a.action} value={a.action}>
                  {a.label}
                </option>
              ))
            : categories.map((c) => (
                <optgroup key={c.category} label={c.label}>
                  {c.actions.map((a) => (
                    <option key={a.action} value={a.action}>
                      {a.label}
                    </option>
                  ))}
                </optgroup>
              ))}
        </select>
      </label>
      <label className="field">
        <span>Date range</span>
        <select value={filters.range} onChange={(e) => onChange({ range: e.target.value })}>
          <option value="">All time</option>
          {dateRanges.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      {active && (
        <button type="button" className="button-secondary" onClick={onClear}>
          Clear filters
        </button>
      )}
    </form>
  );
}
