import type { MouseEvent } from 'react';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { CopyButton } from '../../ui/CopyButton';
import { RelativeTime } from '../../ui/RelativeTime';
import { actorKinds } from './actorKinds';
import { assigneeOf } from './assignee';
import type { CategoryLabels } from './categoryLabels';
import type { PivotParams } from './useAuditFilters';

export const AuditEventRow_EventFragment = graphql(`
  fragment AuditEventRow_Event on AuditEvent {
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
  }
`);

interface AuditEventRowProps {
  event: FragmentType<typeof AuditEventRow_EventFragment>;
  categoryLabels: CategoryLabels;
  onOpen: () => void;
  /** onPivot narrows the log to this event's actor or resource. */
  onPivot: (pivot: Partial<PivotParams>) => void;
  /** selected marks the row the keyboard is on (j and k). */
  selected?: boolean;
  /** fresh marks an event the live tail brought. */
  fresh?: boolean;
}

/** AuditEventRow is one event in the Audit Log table; it opens the event's details. */
export function AuditEventRow({ event: eventRef, categoryLabels, onOpen, onPivot, selected, fresh }: AuditEventRowProps) {
  const event = getFragmentData(AuditEventRow_EventFragment, eventRef);
  const category = categoryLabels.get(event.category);
  const actor = event.actor.email ?? event.actor.name ?? event.actor.id ?? actorKinds[event.actor.type];
  const assignee = assigneeOf(event.action, event.details);

  function openUnlessControl(e: MouseEvent) {
    if (!(e.target as Element).closest('button')) onOpen();
  }

  return (
    <tr
      className={`audit-row${selected ? ' selected' : ''}${fresh ? ' fresh' : ''}`}
      role="row"
      aria-selected={selected ? true : undefined}
      data-event-id={event.id}
      onClick={openUnlessControl}
    >
      <td role="cell" data-label="Time">
        <div className="cell-value">
          <RelativeTime iso={event.occurredAt} />
        </div>
      </td>
      <td role="cell" data-label="Actor">
        <div className="cell-value">
          {event.actor.id ? (
            <button
              type="button"
              className="button-link actor"
              title={`Show only events by ${actor}`}
              onClick={() => onPivot({ actor: event.actor.id!, actorLabel: actor })}
            >
              {actor}
            </button>
          ) : (
            <span className="actor">{actor}</span>
          )}{' '}
          <span className="badge">{actorKinds[event.actor.type]}</span>
        </div>
      </td>
      <td role="cell" data-label="Action">
        <div className="cell-value">
          <button type="button" className="button-link" aria-haspopup="dialog" onClick={onOpen}>
            {event.actionLabel}
          </button>
        </div>
      </td>
      <td role="cell" data-label="Category">
        <div className="cell-value">
          <abbr title={category?.label}>{category?.shortLabel ?? event.category}</abbr>
        </div>
      </td>
      <td role="cell" data-label="Resource">
        <div className="cell-value">
          <button
            type="button"
            className="button-link resource-pivot"
            title={`Show only events on this ${event.resource.type}`}
            onClick={() =>
              onPivot({
                resource: `${event.resource.type}/${event.resource.id}`,
                resourceLabel: `${event.resource.type} ${event.resource.name ?? event.resource.id}`,
              })
            }
          >
            <span className="resource-type">{event.resource.type}</span>
            {event.resource.name && event.resource.name !== event.resource.id && (
              <>
                {' '}
                <span className="resource-name">{event.resource.name}</span>
              </>
            )}
          </button>
          {assignee && (
            <>
              {' '}
              <span aria-hidden="true">→</span>
              <span className="visually-hidden">{event.action === 'ASSIGNED_ROLE' ? 'to' : 'from'}</span>{' '}
              <span className="resource-assignee">{assignee}</span>
            </>
          )}
          <div className="resource-id-line">
            <code className="resource-id">{event.resource.id}</code>
            <CopyButton value={event.resource.id} label={`Copy resource ID ${event.resource.id}`} />
          </div>
        </div>
      </td>
    </tr>
  );
}
