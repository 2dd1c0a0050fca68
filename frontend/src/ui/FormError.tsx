import type { FieldErrors } from 'react-hook-form';
import { formError } from '../graphql/formErrors';

/**
 * FormError shows the error of a whole form (one the server gave for no field
 * of it), above the form's buttons, and announces it: it is an alert.
 */
export function FormError({ errors }: { errors: FieldErrors }) {
  const message = formError(errors);
  if (!message) return null;
  return (
    <p role="alert" className="form-error">
      {message}
    </p>
  );
}
