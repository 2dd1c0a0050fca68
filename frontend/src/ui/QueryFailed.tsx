import type { CombinedError } from 'urql';
import { errorMessage } from '../graphql/errors';

interface QueryFailedProps {
  /** what names what could not be loaded, e.g. "secrets". */
  what: string;
  error: CombinedError;
  onRetry: () => void;
}

/** QueryFailed says a page's data could not be loaded, and why, with a way to try again. */
export function QueryFailed({ what, error, onRetry }: QueryFailedProps) {
  return (
    <div role="alert" className="callout">
      <p>
        Could not load {what}. {errorMessage(error)}
      </p>
      <button type="button" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}
