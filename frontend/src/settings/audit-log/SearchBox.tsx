import { useId, useState } from 'react';
import { useDebouncedCallback } from '../../ui/useDebouncedCallback';
import { isSearchable, searchHint, type SearchRules } from './auditSearch';

/** searchDelayMs is how long typing must pause before the search runs. */
export const searchDelayMs = 300;

interface SearchBoxProps {
  value: string;
  /** rules are the server's: a term it would refuse is not reported. */
  rules: SearchRules;
  onChange: (value: string) => void;
}

/**
 * SearchBox is the Audit Log's free-text search. It reports what was typed
 * once typing pauses, and follows value when it changes from outside (for
 * example when the filters are cleared). A term the server cannot search yet
 * (too few letters in a row) is not reported: the events shown stay, and a
 * hint under the box says what the search needs.
 */
export function SearchBox({ value, rules, onChange }: SearchBoxProps) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  const [shown, setShown] = useState(value);
  const report = useDebouncedCallback((text: string) => {
    const term = text.trim();
    if (term === '' || isSearchable(term, rules)) onChange(term);
  }, searchDelayMs);

  if (value !== shown) {
    setShown(value);
    if (value !== draft.trim()) setDraft(value);
  }

  const term = draft.trim();
  const waiting = term !== '' && !isSearchable(term, rules);
  const searched = isSearchable(value, rules) ? value : '';
  let hint = '';
  if (waiting) hint = searchHint(rules) + (searched ? ` Showing events matching “${searched}”.` : '');

  return (
    <>
      <div className="field field-search">
        <label htmlFor={id}>Search</label>
        <input
          id={id}
          type="search"
          value={draft}
          maxLength={rules.maxLength}
          placeholder="Actor, action, resource, details…"
          aria-describedby={`${id}-hint`}
          onChange={(e) => {
            setDraft(e.target.value);
            report(e.target.value);
          }}
        />
      </div>
      <p id={`${id}-hint`} className="search-hint muted" role="status">
        {hint}
      </p>
    </>
  );
}
