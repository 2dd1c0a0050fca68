import { useState } from 'react';
import { graphql, getFragmentData, type FragmentType } from '../../../gql';
import { useConfirmedMutation } from '../../../graphql/useConfirmedMutation';
import { changeMessage } from '../../../ui/changeMessage';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { RelativeTime } from '../../../ui/RelativeTime';
import { RowActionButton } from '../../../ui/RowActionButton';
import {
  LogStreamFormDialog,
  LogStreamFormDialog_CategoryFragment,
  LogStreamFormDialog_DestinationFragment,
} from './LogStreamFormDialog';
import { LogStreamTestDialog } from './LogStreamTestDialog';

export const LogStreamRow_LogStreamFragment = graphql(`
  fragment LogStreamRow_LogStream on LogStream {
    id
    name
    destination
    format
    state
    lagEvents
    lagSeconds
    lastDeliveryAt
    lastError
    lastErrorAt
    failureReason
    nextAttemptAt
    deliveredEvents
    resentEvents
    ...LogStreamFormDialog_LogStream
  }
`);

const PauseLogStreamMutation = graphql(`
  mutation PauseLogStream($input: PauseLogStreamInput!) {
    pauseLogStream(input: $input) {
      logStream {
        id
        state
      }
    }
  }
`);

const ResumeLogStreamMutation = graphql(`
  mutation ResumeLogStream($input: ResumeLogStreamInput!) {
    resumeLogStream(input: $input) {
      logStream {
        id
        state
      }
    }
  }
`);

const DeleteLogStreamMutation = graphql(`
  mutation DeleteLogStream($input: DeleteLogStreamInput!) {
    deleteLogStream(input: $input) {
      deletedLogStreamId
    }
  }
`);

const stateLabels = { ACTIVE: 'Active', RETRYING: 'Retrying', FAILED: 'Failed', PAUSED: 'Paused' } as const;

/** lagText says how far behind a stream is, in events and time. */
function lagText(events: number, seconds: number): string {
  if (events === 0) return 'Up to date';
  const age = seconds < 90 ? `${Math.round(seconds)} s` : seconds < 5400 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds / 3600)} h`;
  return `${events.toLocaleString()} ${events === 1 ? 'event' : 'events'}, ${age}`;
}

interface LogStreamRowProps {
  stream: FragmentType<typeof LogStreamRow_LogStreamFragment>;
  destinations: ReadonlyArray<FragmentType<typeof LogStreamFormDialog_DestinationFragment>>;
  categories: ReadonlyArray<FragmentType<typeof LogStreamFormDialog_CategoryFragment>>;
  canWrite: boolean;
  onChanged: () => void;
}

/** LogStreamRow is one stream: where it sends, its state and lag, its last delivery and error, and its actions. */
export function LogStreamRow({ stream: ref, destinations, categories, canWrite, onChanged }: LogStreamRowProps) {
  const stream = getFragmentData(LogStreamRow_LogStreamFragment, ref);
  const destination = getFragmentData(LogStreamFormDialog_DestinationFragment, destinations).find(
    (d) => d.destination === stream.destination,
  );
  const [open, setOpen] = useState<'edit' | 'test' | 'delete' | null>(null);
  const pause = useConfirmedMutation(PauseLogStreamMutation, onChanged, changeMessage('Log stream', stream.name, 'paused'));
  const resume = useConfirmedMutation(ResumeLogStreamMutation, onChanged, changeMessage('Log stream', stream.name, 'resumed'));
  const remove = useConfirmedMutation(DeleteLogStreamMutation, onChanged, changeMessage('Log stream', stream.name, 'deleted'));
  const paused = stream.state === 'PAUSED';

  return (
    <tr>
      <th scope="row">{stream.name}</th>
      <td>
        {destination?.label ?? stream.destination} <span className="badge">{stream.format}</span>
      </td>
      <td>
        <span className={`badge stream-state stream-state-${stream.state.toLowerCase()}`}>{stateLabels[stream.state]}</span>
        {stream.state === 'FAILED' && stream.failureReason && <p className="field-error">{stream.failureReason}</p>}
        {stream.state === 'RETRYING' && stream.nextAttemptAt && (
          <p className="muted">
            Next attempt <RelativeTime iso={stream.nextAttemptAt} />
          </p>
        )}
      </td>
      <td>{lagText(stream.lagEvents, stream.lagSeconds)}</td>
      <td>
        {stream.lastDeliveryAt ? <RelativeTime iso={stream.lastDeliveryAt} /> : <span className="muted">Never</span>}
        <p className="muted">
          {stream.deliveredEvents.toLocaleString()} delivered
          {stream.resentEvents > 0 && `, ${stream.resentEvents.toLocaleString()} sent again`}
        </p>
      </td>
      <td>
        {stream.lastError ? (
          <>
            <span className="stream-error">{stream.lastError}</span>
            {stream.lastErrorAt && (
              <p className="muted">
                <RelativeTime iso={stream.lastErrorAt} />
              </p>
            )}
          </>
        ) : (
          <span className="muted">None</span>
        )}
      </td>
      {canWrite && (
        <td>
          <div className="row-actions">
            <RowActionButton label="Send test event" target={stream.name} onClick={() => setOpen('test')} />
            {paused || stream.state === 'FAILED' ? (
              <RowActionButton label="Resume" target={stream.name} onClick={() => void resume({ input: { id: stream.id } })} />
            ) : (
              <RowActionButton label="Pause" target={stream.name} onClick={() => void pause({ input: { id: stream.id } })} />
            )}
            <RowActionButton label="Edit" target={stream.name} onClick={() => setOpen('edit')} />
            <RowActionButton label="Delete" target={stream.name} onClick={() => setOpen('delete')} />
          </div>
          {open === 'test' && <LogStreamTestDialog stream={stream} onClose={() => setOpen(null)} />}
          {open === 'edit' && (
            <LogStreamFormDialog
              stream={stream}
              destinations={destinations}
              categories={categories}
              onClose={() => setOpen(null)}
              onSaved={onChanged}
            />
          )}
          {open === 'delete' && (
            <ConfirmDialog
              title={`Delete log stream ${stream.name}?`}
              confirmLabel="Delete stream"
              onConfirm={() => remove({ input: { id: stream.id } })}
              onClose={() => setOpen(null)}
            >
              <p>Nothing more is sent to it; its settings and stored credentials are removed.</p>
            </ConfirmDialog>
          )}
        </td>
      )}
    </tr>
  );
}
