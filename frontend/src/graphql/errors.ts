import type { CombinedError } from 'urql';
import { isLocalPath } from '../sign-in/signInPath';

/** ErrorCode is the GraphQL contract's extensions.code. */
export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT' | 'INTERNAL';

/** hasErrorCode tells whether any GraphQL error in error carries code. */
export function hasErrorCode(error: CombinedError | undefined, code: ErrorCode): boolean {
  return error?.graphQLErrors.some((e) => e.extensions.code === code) ?? false;
}

/** isUnauthenticated tells whether the request failed for want of a valid session. */
export function isUnauthenticated(error: CombinedError): boolean {
  return hasErrorCode(error, 'UNAUTHENTICATED') || error.response?.status === 401;
}

/**
 * signInRequired returns where to sign in when the request failed because an
 * organization does not accept how the person signed in (extensions.reason
 * SIGN_IN_REQUIRED); only a path on this site is taken.
 */
export function signInRequired(error: CombinedError): string | null {
  for (const e of error.graphQLErrors) {
    const url = e.extensions.signInUrl;
    if (e.extensions.reason === 'SIGN_IN_REQUIRED' && typeof url === 'string' && isLocalPath(url)) return url;
  }
  return null;
}

/** FieldError is a server-side validation error on one input field. */
export interface FieldError {
  field: string;
  message: string;
}

/** fieldErrors returns the errors that name the input field at fault (extensions.field), as sentences. */
export function fieldErrors(error: CombinedError): FieldError[] {
  return error.graphQLErrors.flatMap((e) =>
    typeof e.extensions.field === 'string' ? [{ field: e.extensions.field, message: asSentence(e.message) }] : [],
  );
}

/** errorMessage is what to show a person for error: the server's safe messages as sentences, or a network hint. */
export function errorMessage(error: CombinedError): string {
  if (error.networkError) return 'The server could not be reached. Check your connection and try again.';
  return error.graphQLErrors.map((e) => asSentence(e.message)).join(' ') || 'Something went wrong.';
}

/**
 * asSentence turns a server message, written lower-case as Go errors are
 * ("a role named "Support" already exists"), into a sentence to show: a
 * capital first letter and a full stop. A message that starts with a name or
 * an address ("bob@acme.test …", "expiresAt …") keeps it as written.
 */
export function asSentence(message: string): string {
  const text = message.trim();
  if (!text) return text;
  const capitalized = /^\p{Ll}+(?![^\s,;:'’])/u.test(text) ? text.charAt(0).toLocaleUpperCase() + text.slice(1) : text;
  return /[.!?…]$/.test(capitalized) ? capitalized : `${capitalized}.`;
}
