import { useEffect, useState } from 'react';

interface CopyButtonProps {
  value: string;
  /** label names what is copied, for screen readers, e.g. "Copy resource ID". */
  label: string;
}

/** CopyButton copies value to the clipboard and says so for a moment. */
export function CopyButton({ value, label }: CopyButtonProps) {
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);

  async function copy() {
    await navigator.clipboard.writeText(value);
    setCopied(true);
  }

  return (
    <>
      <button type="button" className="button-icon" aria-label={label} title={label} onClick={copy}>
        <span aria-hidden="true">{copied ? '✓' : '⧉'}</span>
      </button>
      <span className="visually-hidden" role="status">
        {copied ? 'Copied' : ''}
      </span>
    </>
  );
}
