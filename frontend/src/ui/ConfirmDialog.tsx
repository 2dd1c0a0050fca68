import { useState, type ReactNode } from 'react';
import { Dialog } from './Dialog';

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** onConfirm does the change; a message it returns is shown and keeps the dialog open. */
  onConfirm: () => Promise<string | null>;
  onClose: () => void;
}

/** ConfirmDialog asks before a destructive change and shows why it failed, if it does. */
export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onClose }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function confirm() {
    setBusy(true);
    setFailure(null);
    const message = await onConfirm();
    setBusy(false);
    if (message) setFailure(message);
    else onClose();
  }

  return (
    <Dialog title={title} onClose={onClose}>
      {children}
      {failure && (
        <p role="alert" className="form-error">
          {failure}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button-secondary" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="button-danger" disabled={busy} onClick={confirm}>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
