import { useState } from 'react';
import { useSubscription } from 'urql';
import { graphql } from '../../gql';
import type { AuditEventFilter, AuditEventsAddedSubscription } from '../../gql/graphql';

const LiveTailSubscription = graphql(`
  subscription AuditEventsAdded($filter: AuditEventFilter) {
    auditEventsAdded(filter: $filter) {
      id
      ...AuditEventRow_Event
      ...AuditEventDetail_Event
    }
  }
`);

/** LiveEvent is an event the live tail brought. */
export type LiveEvent = AuditEventsAddedSubscription['auditEventsAdded'][number];

/** LiveTail is the state of the live tail of one filter. */
export interface LiveTail {
  /** status: off, connecting, live (events arrive as they commit), or stopped (an error or the server ended it). */
  status: 'off' | 'connecting' | 'live' | 'stopped';
  /** error says why the tail stopped, when the server said. */
  error?: string;
  /** shown are the events to show above the table, newest first. */
  shown: LiveEvent[];
  /** held is how many events arrived while paused, not yet shown. */
  held: number;
  /** arrived is how many events arrived since the tail started. */
  arrived: number;
  paused: boolean;
  setPaused: (paused: boolean) => void;
}

/**
 * useLiveTail subscribes, while on, to the events filter selects as they
 * commit. Paused, it keeps receiving and holds the new events back until
 * resumed. Use it in a component keyed by the filter: a new filter starts a
 * new tail. Turning it off and on again starts a new subscription.
 */
export function useLiveTail(filter: AuditEventFilter, on: boolean): LiveTail {
  // While paused, the newest `received.length - visible` events are held.
  const [visible, setVisible] = useState<number | null>(null);
  const [state] = useSubscription<AuditEventsAddedSubscription, LiveEvent[]>({
    query: LiveTailSubscription, variables: { filter }, pause: !on }, (seen = [], batch) => {
    const known = new Set(seen.map((e) => e.id));
    return [...batch.auditEventsAdded.filter((e) => !known.has(e.id)), ...seen];
  });
  const { data: received, error } = state;
  // urql's state carries each result's fields, hasNext among them, though
  // its type does not say so.
  const { hasNext } = state as { hasNext?: boolean };
  const events = on ? (received ?? []) : [];
  const paused = visible !== null;
  const shown = paused ? events.slice(events.length - visible) : events;
  let status: LiveTail['status'] = 'off';
  // A stream's last result says nothing more follows (hasNext false): the
  // server ended the tail.
  if (on) status = error || (received && hasNext === false) ? 'stopped' : received ? 'live' : 'connecting';
  return {
    status,
    error: error?.graphQLErrors[0]?.message ?? (error ? 'the connection was lost' : undefined),
    shown,
    held: events.length - shown.length,
    arrived: events.length,
    paused,
    setPaused: (pause) => setVisible(pause ? events.length : null),
  };
}
