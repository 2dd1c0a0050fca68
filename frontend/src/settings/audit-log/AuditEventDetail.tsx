import { useEffect, useId, useRef } from 'react';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { CopyButton } from '../../ui/CopyButton';
import { exactTime } from '../../ui/RelativeTime';
import { actorKinds } from './actorKinds';
import { assigneeOf } from './assignee';
import { AuditEventProof } from './AuditEventProof';
import type { CategoryLabels } from './categoryLabels';
import { changesOf, formatValue } from './changes';

export const AuditEventDetail_EventFragment = graphql(`
  fragment AuditEventDetail_Event on AuditEvent {
    id
    occurredAt
    category
    action
    actionLabel
    actor {
      type
      id
      email
      name
    }
    resource {
      type
      id
      name
    }
    details
    ipAddress
    userAgent
    requestId
  }
`);

interface AuditEventDetailProps {
  event: FragmentType<typeof AuditEventDetail_EventFragment>;
  categoryLabels: CategoryLabels;
  onClose: () => void;
}

/**
 * AuditEventDetail is the panel that shows every field of one audit event.
 * It takes focus when it opens, closes on Escape, and gives focus back to
 * what had it.
 */
export function AuditEventDetail({ event: eventRef, categoryLabels, onClose }: AuditEventDetailProps) {
  const event = getFragmentData(AuditEventDetail_EventFragment, eventRef);
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const changes = changesOf(event.details);
  const assignee = assigneeOf(event.action, event.details);

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    heading.current?.focus();
    return () => opener?.focus();
  }, []);

  return (
    <aside
      className="detail-panel"
      role="dialog"
      aria-labelledby={headingId}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <header className="detail-header">
        <h2 id={headingId} ref={heading} tabIndex={-1}>
          {event.actionLabel}
        </h2>
        <button type="button" className="button-icon" aria-label="Close details" onClick={onClose}>
          <span aria-hidden="true">×</span>
        </button>
      </header>
      <dl className="detail-fields">
        <dt>Time</dt>
        <dd>
          <time dateTime={event.occurredAt}>{exactTime.format(new Date(event.occurredAt))}</time>
        </dd>
        <dt>Actor</dt>
        <dd>
          {[event.actor.name, event.actor.email].filter(Boolean).join(' · ') || actorKinds[event.actor.type]}{' '}
          <span className="badge">{actorKinds[event.actor.type]}</span>
          {event.actor.id && <div className="muted">ID {event.actor.id}</div>}
        </dd>
        <dt>Action</dt>
        <dd>
          {event.actionLabel} <code className="muted">{event.action}</code>
        </dd>
        <dt>Category</dt>
        <dd>{categoryLabels.get(event.category)?.label ?? event.category}</dd>
        <dt>Resource</dt>
        <dd>
          {event.resource.type} {event.resource.name && <strong>{event.resource.name}</strong>}
          {assignee && (
            <>
              {' '}
              {event.action === 'ASSIGNED_ROLE' ? 'given to' : 'taken from'} <strong>{assignee}</strong>
            </>
          )}
          <div>
            <code>{event.resource.id}</code>
            <CopyButton value={event.resource.id} label="Copy resource ID" />
          </div>
        </dd>
        <dt>IP address</dt>
        <dd>{event.ipAddress ?? '—'}</dd>
        <dt>User agent</dt>
        <dd className="break">{event.userAgent ?? '—'}</dd>
        <dt>Request ID</dt>
        <dd>
          {event.requestId ? (
            <>
              <code>{event.requestId}</code>
              <CopyButton value={event.requestId} label="Copy request ID" />
            </>
          ) : (
            '—'
          )}
        </dd>
        <dt>Event ID</dt>
        <dd>
          <code>{event.id}</code>
        </dd>
        <AuditEventProof eventId={event.id} />
      </dl>
      {changes.length > 0 && (
        <table className="changes">
          <caption>Changes</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={c.field}>
                <th scope="row">{c.field}</th>
                <td>
                  <del>{formatValue(c.from)}</del>
                </td>
                <td>
                  <ins>{formatValue(c.to)}</ins>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Details</h3>
      {/* Focusable, so that a keyboard can scroll a long JSON document. */}
      <pre className="json" role="region" aria-label="Details JSON" tabIndex={0}>
        {JSON.stringify(event.details, null, 2)}
      </pre>
    </aside>
  );
}
