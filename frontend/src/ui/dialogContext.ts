import { createContext, useContext, useEffect } from 'react';

/** DialogControls are what a dialog's content may ask of the Dialog around it. */
export interface DialogControls {
  /** setCloseGuard sets the question to ask before Escape closes the dialog, or none (null). */
  setCloseGuard: (question: string | null) => void;
}

export const DialogContext = createContext<DialogControls | null>(null);

/**
 * useCloseGuard makes the enclosing Dialog ask question before Escape closes
 * it, as Escape is easily pressed by mistake; null asks nothing. A button that
 * closes the dialog is a choice made, and is not asked about. A new key shown
 * once uses it until the key is copied.
 */
export function useCloseGuard(question: string | null) {
  const dialog = useContext(DialogContext);
  useEffect(() => {
    if (!dialog) return;
    dialog.setCloseGuard(question);
    return () => dialog.setCloseGuard(null);
  }, [dialog, question]);
}
