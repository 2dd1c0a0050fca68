import { createContext, useContext, useEffect } from 'react';

/** DialogControls are what a dialog's content may ask of the Dialog around it. */
export interface DialogControls {
  /**
   * requestClose runs close, the dialog's way out (Done, Cancel), unless the
   * content asks a question first (useCloseGuard): then close runs only once
   * the person answers "Close anyway".
   */
  requestClose: (close: () => void) => void;
  /** setCloseGuard sets the question to ask before closing, or none (null). */
  setCloseGuard: (question: string | null) => void;
}

export const DialogContext = createContext<DialogControls | null>(null);

/** useDialogClose returns how to close the enclosing dialog through its guard; outside a dialog, close runs at once. */
export function useDialogClose(): (close: () => void) => void {
  const dialog = useContext(DialogContext);
  return dialog ? dialog.requestClose : (close) => close();
}

/**
 * useCloseGuard makes the enclosing Dialog ask question before it closes, by
 * Escape or by any button that closes it through useDialogClose; null asks
 * nothing. A new key shown once uses it until the key is copied.
 */
export function useCloseGuard(question: string | null) {
  const dialog = useContext(DialogContext);
  useEffect(() => {
    if (!dialog) return;
    dialog.setCloseGuard(question);
    return () => dialog.setCloseGuard(null);
  }, [dialog, question]);
}
