import type { FieldErrors } from 'react-hook-form';
import { FormError } from './FormError';

interface FormDialogActionsProps {
  submitLabel: string;
  /** submitting disables the submit button while the form is being sent. */
  submitting: boolean;
  onCancel: () => void;
  /** errors are the form's (react-hook-form's formState.errors): an error of the whole form shows above the buttons. */
  errors?: FieldErrors;
}

/** FormDialogActions are a form dialog's Cancel and submit buttons, with the form's error above them. */
export function FormDialogActions({ submitLabel, submitting, onCancel, errors }: FormDialogActionsProps) {
  return (
    <>
      {errors && <FormError errors={errors} />}
      <div className="dialog-actions">
        <button type="button" className="button-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" disabled={submitting}>
          {submitLabel}
        </button>
      </div>
    </>
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
