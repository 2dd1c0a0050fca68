import { useEffect, useId, useState, type Ref } from 'react';
import { useDebouncedCallback } from '../../ui/useDebouncedCallback';
import { useQueryCheck } from './auditQueryCheck';
import { SearchSyntax } from './SearchSyntax';

/** searchDelayMs is how long typing must pause before the search is checked and run. */
export const searchDelayMs = 300;

interface SearchBoxProps {
  value: string;
  timeZone: string;
  onChange: (value: string) => void;
  inputRef?: Ref<HTMLInputElement>;
}

/**
 * SearchBox is the Audit Log's search: free words and qualifiers (actor:,
 * action:, ip:, changed:…). Once typing pauses it asks the server whether the
 * search is valid and reports it only then; the events shown stay while it
 * is not, and a message under the box says what is wrong, the token at fault
 * marked in a copy of the search. It follows value when it changes from
 * outside (a pivot, clearing the filters).
 */
export function SearchBox({ value, timeZone, onChange, inputRef }: SearchBoxProps) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  const [shown, setShown] = useState(value);
  const [settled, setSettled] = useState(value.trim());
  const settle = useDebouncedCallback((text: string) => setSettled(text.trim()), searchDelayMs);
  const check = useQueryCheck(settled, timeZone);

  if (value !== shown) {
    setShown(value);
    if (value !== draft.trim()) {
      setDraft(value);
      setSettled(value.trim());
    }
  }
  const accepted = check.state === 'valid' && settled === draft.trim() && settled !== value;
  useEffect(() => {
    if (accepted) onChange(settled);
  }, [accepted, settled, onChange]);

  const refused = check.state === 'refused' && settled === draft.trim() ? check.error : null;
  const characters = [...settled];
  return (
    <>
      <div className="field field-search">
        <label htmlFor={id}>Search</label>
        <input
          id={id}
          ref={inputRef}
          type="search"
          value={draft}
          placeholder="Words, or actor:, action:, ip:, changed:… (press / to search)"
          aria-describedby={`${id}-hint`}
          aria-invalid={refused ? true : undefined}
          onChange={(e) => {
            setDraft(e.target.value);
            settle(e.target.value);
          }}
        />
      </div>
      <div id={`${id}-hint`} className="search-hint" role="status">
        {refused && (
          <>
            <span className="search-error">{refused.message}.</span>{' '}
            <span className="search-echo" aria-hidden="true">
              {characters.slice(0, refused.start).join('')}
              <mark>{characters.slice(refused.start, refused.end).join('')}</mark>
              {characters.slice(refused.end).join('')}
            </span>
            {value && <span className="muted"> Showing events matching “{value}”.</span>}
          </>
        )}
      </div>
      <SearchSyntax />
    </>
  );
}
