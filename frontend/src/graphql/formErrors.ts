import type { FieldErrors, FieldValues, Path, UseFormSetError } from 'react-hook-form';
import type { CombinedError } from 'urql';
import { asSentence, errorMessage, fieldErrors } from './errors';

/**
 * formErrorKey is where a form keeps an error of the whole form.
 * react-hook-form clears root errors at the next submit, so an old error
 * never outlives the next attempt.
 */
const formErrorKey = 'root.server';

/** formError returns the form's error of the whole form, set by showMutationError, if any. */
export function formError(errors: FieldErrors): string | undefined {
  return errors.root?.server?.message;
}

/**
 * showMutationError puts a failed mutation's errors inside the form, where a
 * person looks: an error on a field the form has (extensions.field) goes next
 * to that field, the first such field taking the focus; any other error is an
 * error of the whole form, which FormDialogActions (or FormError) shows above
 * the form's buttons. Never a toast: toasts are for success, and one would
 * sit behind a dialog's backdrop. Each message is shown as a sentence, and
 * all of them go at the next submit.
 */
export function showMutationError<T extends FieldValues>(
  error: CombinedError,
  setError: UseFormSetError<T>,
  fields: ReadonlyArray<Path<T>>,
): void;
/** @deprecated Errors no longer go to a toast: leave out the last argument. */
export function showMutationError<T extends FieldValues>(
  error: CombinedError,
  setError: UseFormSetError<T>,
  fields: ReadonlyArray<Path<T>>,
  toast: (message: string) => void,
): void;
export function showMutationError<T extends FieldValues>(
  error: CombinedError,
  setError: UseFormSetError<T>,
  fields: ReadonlyArray<Path<T>>,
) {
  showErrors(error, setError, (field) => (fields.includes(field as Path<T>) ? (field as Path<T>) : null));
}

/**
 * showExpiryMutationError is showMutationError for a form with an expiry
 * date: the server names that field expiresAt, the form calls it expiresOn.
 */
export function showExpiryMutationError<T extends FieldValues & { expiresOn: string }>(
  error: CombinedError,
  setError: UseFormSetError<T>,
  fields: ReadonlyArray<Path<T>>,
): void;
/** @deprecated Errors no longer go to a toast: leave out the last argument. */
export function showExpiryMutationError<T extends FieldValues & { expiresOn: string }>(
  error: CombinedError,
  setError: UseFormSetError<T>,
  fields: ReadonlyArray<Path<T>>,
  toast: (message: string) => void,
): void;
export function showExpiryMutationError<T extends FieldValues & { expiresOn: string }>(
  error: CombinedError,
  setError: UseFormSetError<T>,
  fields: ReadonlyArray<Path<T>>,
) {
  showErrors(error, setError, (field) => {
    if (field === 'expiresAt') return 'expiresOn' as Path<T>;
    return fields.includes(field as Path<T>) ? (field as Path<T>) : null;
  });
}

/** showErrors sets each error on the form field formField names for the server's field, the rest on the form. */
function showErrors<T extends FieldValues>(
  error: CombinedError,
  setError: UseFormSetError<T>,
  formField: (serverField: string) => Path<T> | null,
) {
  const placed = fieldErrors(error).flatMap((e) => {
    const field = formField(e.field);
    return field ? [{ field, message: e.message }] : [];
  });
  placed.forEach((e, i) => setError(e.field, { type: 'server', message: e.message }, { shouldFocus: i === 0 }));
  if (placed.length === 0) {
    setError(formErrorKey as Path<T>, { type: 'server', message: errorMessage(error) });
    return;
  }
  // Errors the form has no field for still show, as the form's.
  const others = error.graphQLErrors.filter((e) => {
    const field = e.extensions.field;
    return typeof field !== 'string' || formField(field) === null;
  });
  if (others.length > 0) {
    setError(formErrorKey as Path<T>, { type: 'server', message: others.map((e) => asSentence(e.message)).join(' ') });
  }
}
