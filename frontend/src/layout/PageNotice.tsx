import { useEffect, useState } from 'react';
import { clearNotice, peekNotice } from './notice';

/**
 * PageNotice shows the notice the previous page left (leaveNotice), such as
 * which organization was just deleted, until the person dismisses it. It is
 * shown once: a reload does not bring it back.
 */
export function PageNotice() {
  const [message, setMessage] = useState(peekNotice);
  useEffect(() => clearNotice(), []);
  if (!message) return null;
  return (
    <div role="status" className="callout page-notice">
      <p>{message}</p>
      <button type="button" className="button-link" onClick={() => setMessage(null)}>
        Dismiss
      </button>
    </div>
  );
}
