import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { ConfirmDialog } from '../../ui/ConfirmDialog';

const AuditEventsHiddenByRetentionQuery = graphql(`
  query AuditEventsHiddenByRetention($retentionDays: Int!) {
    auditEventsHiddenByRetention(retentionDays: $retentionDays)
  }
`);

/** RetentionCut is a shorter audit retention about to be saved. */
export interface RetentionCut {
  from: number;
  to: number;
}

interface ConfirmSettingsDialogProps {
  organizationName: string;
  retentionCut: RetentionCut | null;
  /**
   * signOut says how the viewer signed in when the organization is about to
   * stop accepting it ("with an email link"), and how it will still accept them.
   */
  signOut: { signedIn: string; instead: string } | null;
  onConfirm: () => Promise<string | null>;
  onClose: () => void;
}

const count = new Intl.NumberFormat();

/**
 * ConfirmSettingsDialog asks before saving settings whose effect is hard to
 * take back: a shorter audit retention (saying how many events it hides at
 * once, as the server counts them) and sign-in methods that no longer accept
 * how the viewer signed in (which ends their session at once).
 */
export function ConfirmSettingsDialog({
  organizationName,
  retentionCut,
  signOut,
  onConfirm,
  onClose,
}: ConfirmSettingsDialogProps) {
  const [{ data, error }] = useQuery({
    query: AuditEventsHiddenByRetentionQuery,
    variables: { retentionDays: retentionCut?.to ?? 0 },
    pause: !retentionCut,
    requestPolicy: 'network-only',
  });
  const hidden = data?.auditEventsHiddenByRetention;

  return (
    <ConfirmDialog title="Save these settings?" confirmLabel="Save settings" onConfirm={onConfirm} onClose={onClose}>
      {retentionCut && (
        <div className="stack">
          <p>
            <strong>
              Audit log retention goes from {retentionCut.from} to {retentionCut.to} days.
            </strong>
          </p>
          <p role="status">
            {hidden !== undefined
              ? `${count.format(hidden)} ${hidden === 1 ? 'event' : 'events'} older than ${retentionCut.to} days will no longer be shown in the Audit Log, to anyone.`
              : error
                ? `Events older than ${retentionCut.to} days will no longer be shown in the Audit Log, to anyone.`
                : 'Counting the events this hides…'}{' '}
            Raising the retention again shows them until they are deleted, once no organization keeps events that old.
          </p>
        </div>
      )}
      {signOut && (
        <p>
          <strong>You will be signed out.</strong> You signed in {signOut.signedIn}, which {organizationName} will no
          longer accept: you will be asked to sign in {signOut.instead}.
        </p>
      )}
    </ConfirmDialog>
  );
}
