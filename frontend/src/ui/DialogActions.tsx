interface FormDialogActionsProps {
  submitLabel: string;
  /** submitting disables the submit button while the form is being sent. */
  submitting: boolean;
  onCancel: () => void;
}

/** FormDialogActions are a form dialog's Cancel and submit buttons. */
export function FormDialogActions({ submitLabel, submitting, onCancel }: FormDialogActionsProps) {
  return (
    <div className="dialog-actions">
      <button type="button" className="button-secondary" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" disabled={submitting}>
        {submitLabel}
      </button>
    </div>
  );
}

/** DoneDialogAction closes a dialog that has only shown something, e.g. a new key shown once. */
export function DoneDialogAction({ onDone }: { onDone: () => void }) {
  return (
    <div className="dialog-actions">
      <button type="button" onClick={onDone}>
        Done
      </button>
    </div>
  );
}
