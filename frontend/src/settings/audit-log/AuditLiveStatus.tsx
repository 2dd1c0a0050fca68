import type { LiveTail } from './useLiveTail';

interface AuditLiveStatusProps {
  tail: LiveTail;
  onRestart: () => void;
}

const plural = (n: number) => `${n.toLocaleString()} new event${n === 1 ? '' : 's'}`;

/**
 * AuditLiveStatus is the bar above the table while the live tail is on: how
 * many events arrived, a pause that holds new events back, and what went
 * wrong when the tail stopped. Its text is a polite live region, so a screen
 * reader hears the count change.
 */
export function AuditLiveStatus({ tail, onRestart }: AuditLiveStatusProps) {
  if (tail.status === 'off') return null;
  return (
    <div className="live-status" data-status={tail.status}>
      <span className="live-dot" aria-hidden="true" />
      <span role="status" aria-live="polite">
        {tail.status === 'connecting' && 'Connecting to the live tail…'}
        {tail.status === 'live' &&
          (tail.paused
            ? `Paused: ${plural(tail.held)} held back, ${tail.arrived.toLocaleString()} since Live began`
            : `Live: ${plural(tail.arrived)} since Live began`)}
        {tail.status === 'stopped' && `The live tail stopped: ${tail.error ?? 'the server ended it'}.`}
      </span>
      {tail.status === 'live' && (
        <button type="button" aria-pressed={tail.paused} onClick={() => tail.setPaused(!tail.paused)}>
          {tail.paused ? (tail.held > 0 ? `Resume and show ${plural(tail.held)}` : 'Resume') : 'Pause'}
        </button>
      )}
      {tail.status === 'stopped' && (
        <button type="button" onClick={onRestart}>
          Reconnect
        </button>
      )}
    </div>
  );
}
