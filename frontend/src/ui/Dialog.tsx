import { useId, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { DialogContext, type DialogControls } from './dialogContext';
import { focusedElement, pageHeadingFor, returnFocus } from './focusReturn';

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** role is alertdialog for a question that interrupts, e.g. "Close anyway?". */
  role?: 'dialog' | 'alertdialog';
}

/**
 * Dialog is a modal dialog, open while it is rendered. The browser's native
 * <dialog> traps focus and closes on Escape; Dialog gives the focus back to
 * the element that opened it (or, when that is gone, to the tab's heading),
 * and asks before Escape closes it when its content set a question with
 * useCloseGuard (the question is a dialog of its own, its title the
 * question, "Keep open" focused first).
 */
export function Dialog({ title, onClose, children, role }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  const guard = useRef<string | null>(null);
  const closed = useRef(false);
  const [asking, setAsking] = useState<string | null>(null);

  useLayoutEffect(() => {
    onCloseRef.current = onClose;
  });

  // A layout effect, so the dialog closes while still in the page (the
  // browser then gives the focus back) and is open before the content's
  // effects run (SecretOnce focuses its Copy button).
  useLayoutEffect(() => {
    const dialog = ref.current;
    const opener = focusedElement();
    const fallback = pageHeadingFor(opener);
    dialog?.showModal();
    return () => {
      closed.current = true;
      dialog?.close();
      returnFocus(opener, fallback);
    };
  }, []);

  const controls = useMemo<DialogControls>(() => ({ setCloseGuard: (question) => (guard.current = question) }), []);

  return (
    <dialog
      ref={ref}
      role={role}
      aria-labelledby={titleId}
      onCancel={(e) => {
        // Escape: this dialog's only, not that of a dialog around it.
        e.stopPropagation();
        if (e.target !== e.currentTarget) return;
        e.preventDefault();
        if (guard.current) setAsking(guard.current);
        else onCloseRef.current();
      }}
      onClose={(e) => {
        e.stopPropagation();
        // The browser may close a dialog itself (a second Escape in a row
        // cannot be refused): then the page follows.
        if (e.target === e.currentTarget && !closed.current) onCloseRef.current();
      }}
    >
      <DialogContext value={controls}>
        <h2 id={titleId}>{title}</h2>
        {children}
      </DialogContext>
      {asking && (
        <Dialog title={asking} role="alertdialog" onClose={() => setAsking(null)}>
          <div className="dialog-actions">
            <button type="button" className="button-secondary" onClick={() => setAsking(null)}>
              Keep open
            </button>
            <button type="button" className="button-danger" onClick={() => onCloseRef.current()}>
              Close anyway
            </button>
          </div>
        </Dialog>
      )}
    </dialog>
  );
}
