import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import type { CombinedError } from 'urql';
import { errorMessage, fieldErrors } from './errors';

/**
 * showMutationError puts a failed mutation's errors where a person looks:
 * next to the form field the server names (extensions.field) when the form
 * has it, else in a toast.
 */
export function showMutationError<T extends FieldValues>(
  error: CombinedError,
  setError: UseFormSetError<T>,
  fields: ReadonlyArray<Path<T>>,
  toast: (message: string) => void,
) {
  const onFields = fieldErrors(error).filter((e) => fields.includes(e.field as Path<T>));
  onFields.forEach((e) => setError(e.field as Path<T>, { type: 'server', message: e.message }));
  if (onFields.length === 0) toast(errorMessage(error));
}

/**
 * showExpiryMutationError is showMutationError for a form with an expiry
 * date: the server names that field expiresAt, the form calls it expiresOn.
 */
export function showExpiryMutationError<T extends FieldValues & { expiresOn: string }>(
  error: CombinedError,
  setError: UseFormSetError<T>,
  fields: ReadonlyArray<Path<T>>,
  toast: (message: string) => void,
) {
  const onExpiry = error.graphQLErrors.find((e) => e.extensions.field === 'expiresAt');
  if (onExpiry) setError('expiresOn' as Path<T>, { type: 'server', message: onExpiry.message });
  else showMutationError(error, setError, fields, toast);
}
