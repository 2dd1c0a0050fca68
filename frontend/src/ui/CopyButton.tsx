import { useEffect, useState, type Ref } from 'react';

interface CopyButtonProps {
  value: string;
  /** label names what is copied, for screen readers, e.g. "Copy resource ID". */
  label: string;
  /** onCopied runs once the value is on the clipboard. */
  onCopied?: () => void;
  ref?: Ref<HTMLButtonElement>;
}

type CopyState = 'idle' | 'copied' | 'failed';

/** CopyButton copies value to the clipboard and says so for a moment. */
export function CopyButton({ value, label, onCopied, ref }: CopyButtonProps) {
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 1500);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    // The clipboard API exists only in secure contexts (HTTPS or localhost)
    // and may be refused by the browser: say so rather than fail silently.
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
      onCopied?.();
    } catch {
      setState('failed');
    }
  }

  const status = state === 'copied' ? 'Copied' : state === 'failed' ? 'Could not copy: select the text and copy it' : '';
  return (
    <>
      <button ref={ref} type="button" className="button-icon" aria-label={label} title={status || label} onClick={copy}>
        {state === 'copied' ? <CheckIcon /> : <CopyIcon />}
      </button>
      <span className="visually-hidden" role="status">
        {status}
      </span>
    </>
  );
}

// Drawn inline: a glyph such as U+29C9 is missing from many system fonts.
function CopyIcon() {
  return (
    <svg aria-hidden="true" width="14" height="14" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5">
      <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
      <path d="M10.5 3V2.5A1.5 1.5 0 0 0 9 1H3.5A1.5 1.5 0 0 0 2 2.5V8a1.5 1.5 0 0 0 1.5 1.5H4" />
    </svg>
  );
}

function CheckIcon() {
  return (
    <svg aria-hidden="true" width="14" height="14" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="2">
      <path d="M3 8.5l3 3 7-7" />
    </svg>
  );
}
