import { CopyButton } from './CopyButton';

interface SecretOnceProps {
  /** label names the secret, e.g. "API key". */
  label: string;
  value: string;
}

/** SecretOnce shows a new key or token the server will never show again, with a copy button. */
export function SecretOnce({ label, value }: SecretOnceProps) {
  return (
    <div className="stack">
      <p>Copy the {label} now and store it safely: it will not be shown again.</p>
      <div className="secret">
        <code aria-label={label}>{value}</code>
        <CopyButton value={value} label={`Copy ${label}`} />
      </div>
    </div>
  );
}
