import { useEffect, useId, useRef } from 'react';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { CopyButton } from '../../ui/CopyButton';
import { exactTime } from '../../ui/RelativeTime';
import { actorKinds } from './actorKinds';
import { assigneeOf } from './assignee';
import { AuditEventProof } from './AuditEventProof';
import type { CategoryLabels } from './categoryLabels';
import { ChangesDiff } from './ChangesDiff';
import type { PivotParams } from './useAuditFilters';

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
  /** onPivot narrows the log to this event's actor, resource, request or address. */
  onPivot: (pivot: Partial<PivotParams>) => void;
  /** onFindChanges searches for the other events that changed a field. */
  onFindChanges: (field: string) => void;
}

/**
 * AuditEventDetail is the panel that shows every field of one audit event.
 * It takes focus when it opens, closes on Escape, and gives focus back to
 * what had it.
 */
export function AuditEventDetail({ event: eventRef, categoryLabels, onClose, onPivot, onFindChanges }: AuditEventDetailProps) {
  const event = getFragmentData(AuditEventDetail_EventFragment, eventRef);
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const assignee = assigneeOf(event.action, event.details);
  const actorLabel = event.actor.email ?? event.actor.name ?? event.actor.id ?? actorKinds[event.actor.type];
  const resourceLabel = `${event.resource.type} ${event.resource.name ?? event.resource.id}`;

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
      <div className="pivots" role="group" aria-label="Show the events of">
        <span className="muted">Show events</span>
        {event.actor.id && (
          <button type="button" className="button-secondary" onClick={() => onPivot({ actor: event.actor.id!, actorLabel })}>
            By this actor
          </button>
        )}
        <button
          type="button"
          className="button-secondary"
          onClick={() => onPivot({ resource: `${event.resource.type}/${event.resource.id}`, resourceLabel })}
        >
          On this resource
        </button>
        {event.requestId && (
          <button type="button" className="button-secondary" onClick={() => onPivot({ request: event.requestId! })}>
            Of this request
          </button>
        )}
        {event.ipAddress && (
          <button type="button" className="button-secondary" onClick={() => onPivot({ ip: event.ipAddress! })}>
            From this IP address
          </button>
        )}
      </div>
      <ChangesDiff details={event.details} onFindChanges={onFindChanges} />
      <h3>Details</h3>
      {/* Focusable, so that a keyboard can scroll a long JSON document. */}
      <pre className="json" role="region" aria-label="Details JSON" tabIndex={0}>
        {JSON.stringify(event.details, null, 2)}
      </pre>
    </aside>
  );
}
