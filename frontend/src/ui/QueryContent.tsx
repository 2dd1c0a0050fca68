import type { ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { QueryFailed } from './QueryFailed';

interface QueryContentProps<Data> {
  data: Data | null | undefined;
  error: CombinedError | undefined;
  /** what names what is being loaded, for the error message, e.g. "secrets". */
  what: string;
  onRetry: () => void;
  /** children renders the data once it is there. */
  children: (data: Data) => ReactNode;
}

/**
 * QueryContent shows a query's data, or why it could not be loaded, or that
 * it is still loading. Data already shown stays when a refetch fails, so a
 * page does not go blank behind an error.
 */
export function QueryContent<Data>({ data, error, what, onRetry, children }: QueryContentProps<Data>) {
  if (data) return children(data);
  if (error) return <QueryFailed what={what} error={error} onRetry={onRetry} />;
  return <p role="status">Loading…</p>;
}
