import { useEffect, useRef, useState } from 'react';
import { CopyButton } from './CopyButton';
import { useCloseGuard } from './dialogContext';

interface SecretOnceProps {
  /** label names the secret, e.g. "API key". */
  label: string;
  value: string;
}

/**
 * SecretOnce shows a new key or token the server will never show again, with
 * a copy button that takes the focus. Until the value is copied (with the
 * button, or selected and copied by hand), the dialog around it asks before
 * Escape closes it.
 */
export function SecretOnce({ label, value }: SecretOnceProps) {
  const copyButton = useRef<HTMLButtonElement>(null);
  const [copied, setCopied] = useState(false);
  useCloseGuard(copied ? null : `You have not copied the ${label}. Close anyway?`);

  useEffect(() => {
    copyButton.current?.focus();
  }, []);

  return (
    <div className="stack">
      <p>Copy the {label} now and store it safely: it will not be shown again.</p>
      <div className="secret" onCopy={() => setCopied(true)}>
        <code aria-label={label}>{value}</code>
        <CopyButton ref={copyButton} value={value} label={`Copy ${label}`} onCopied={() => setCopied(true)} />
      </div>
    </div>
  );
}
