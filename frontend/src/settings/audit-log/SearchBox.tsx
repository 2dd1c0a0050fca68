import { useState } from 'react';
import { useDebouncedCallback } from '../../ui/useDebouncedCallback';

/** searchDelayMs is how long typing must pause before the search runs. */
export const searchDelayMs = 300;

interface SearchBoxProps {
  value: string;
  onChange: (value: string) => void;
}

/**
 * SearchBox is the Audit Log's free-text search. It reports what was typed
 * once typing pauses, and follows value when it changes from outside (for
 * example when the filters are cleared).
 */
export function SearchBox({ value, onChange }: SearchBoxProps) {
  const [draft, setDraft] = useState(value);
  const [shown, setShown] = useState(value);
  const report = useDebouncedCallback((text: string) => onChange(text.trim()), searchDelayMs);

  if (value !== shown) {
    setShown(value);
    if (value !== draft.trim()) setDraft(value);
  }

  return (
    <label className="field field-search">
      <span>Search</span>
      <input
        type="search"
        value={draft}
        placeholder="Actor, action, resource, details…"
        onChange={(e) => {
          setDraft(e.target.value);
          report(e.target.value);
        }}
      />
    </label>
  );
}
