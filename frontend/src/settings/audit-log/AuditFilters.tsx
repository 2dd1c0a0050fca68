import { useId, useState, type Ref } from 'react';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { dateTimeInputValue, lastMicrosecondBefore, localInstant } from '../../ui/dates';
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
  filters: AuditFilterParams;
  timeZone: string;
  onChange: (patch: Partial<AuditFilterParams>, options?: { replace?: boolean }) => void;
  onClear: () => void;
  searchRef?: Ref<HTMLInputElement>;
}

const custom = 'CUSTOM';

/**
 * AuditFilters are the Audit Log's search box and its Category, Action and
 * Date range filters. The Action filter offers only the chosen category's
 * actions, or every action grouped by category when none is chosen. Besides
 * the presets, the date range can be any span, picked in the viewer's time
 * zone (both ends inclusive, to the minute).
 */
export function AuditFilters({ categories: categoryRefs, filters, timeZone, onChange, onClear, searchRef }: AuditFiltersProps) {
  const categories = getFragmentData(AuditFilters_CategoryFragment, categoryRefs);
  const chosen = categories.find((c) => c.category === filters.category);
  const active = Object.values(filters).some(Boolean);
  const [customOpen, setCustomOpen] = useState(false);
  const preset = dateRanges.some((r) => r.value === filters.range) ? filters.range : '';
  const isCustom = !preset && (customOpen || Boolean(filters.from || filters.to));
  const fromId = useId();
  const toId = useId();

  function changeCategory(category: string) {
    const next = categories.find((c) => c.category === category);
    const actionFits = !next || next.actions.some((a) => a.action === filters.action);
    onChange({ category, action: actionFits ? filters.action : '' });
  }

  function changeRange(value: string) {
    if (value === custom) {
      setCustomOpen(true);
      onChange({ range: '' });
      return;
    }
    setCustomOpen(false);
    onChange({ range: value, from: '', to: '' });
  }

  return (
    <form role="search" className="audit-filters" aria-label="Audit log filters" onSubmit={(e) => e.preventDefault()}>
      <SearchBox
        value={filters.search}
        timeZone={timeZone}
        inputRef={searchRef}
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
        <select value={isCustom ? custom : preset} onChange={(e) => changeRange(e.target.value)}>
          <option value="">All time</option>
          {dateRanges.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
          <option value={custom}>Custom range…</option>
        </select>
      </label>
      {isCustom && (
        <fieldset className="custom-range">
          <legend className="visually-hidden">Custom date range, in {timeZone}</legend>
          <div className="field">
            <label htmlFor={fromId}>From</label>
            <input
              id={fromId}
              type="datetime-local"
              value={dateTimeInputValue(filters.from)}
              max={dateTimeInputValue(filters.to) || undefined}
              onChange={(e) => onChange({ from: e.target.value ? localInstant(new Date(e.target.value)) : '' })}
            />
          </div>
          <div className="field">
            <label htmlFor={toId}>To</label>
            <input
              id={toId}
              type="datetime-local"
              value={dateTimeInputValue(filters.to)}
              min={dateTimeInputValue(filters.from) || undefined}
              onChange={(e) =>
                // Inclusive to the end of the minute picked.
                onChange({ to: e.target.value ? lastMicrosecondBefore(new Date(new Date(e.target.value).getTime() + 60_000)) : '' })
              }
            />
          </div>
          <p className="muted custom-range-zone">Times in {timeZone}</p>
        </fieldset>
      )}
      {active && (
        <button type="button" className="button-secondary" onClick={onClear}>
          Clear filters
        </button>
      )}
    </form>
  );
}
