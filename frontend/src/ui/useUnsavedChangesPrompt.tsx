import { useEffect, useRef, type ReactNode } from 'react';
import { useBlocker } from 'react-router';
import { Dialog } from './Dialog';

/** UnsavedChangesPrompt is what useUnsavedChangesPrompt gives the page. */
export interface UnsavedChangesPrompt {
  /** prompt is the dialog asking before an in-app navigation drops the changes; render it. */
  prompt: ReactNode;
  /** leave runs go (a navigation that is meant, e.g. after saving) without asking. */
  leave: (go: () => void) => void;
}

/**
 * useUnsavedChangesPrompt asks before unsaved changes are dropped: leaving
 * for another page of the app (react-router's useBlocker) asks in a dialog,
 * which the page renders; reloading or closing the tab asks through the
 * browser's own prompt (beforeunload).
 */
export function useUnsavedChangesPrompt(unsaved: boolean): UnsavedChangesPrompt {
  // Read when the page is about to go, which may be before a render has
  // caught up with a save.
  const released = useRef(false);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      unsaved && !released.current && currentLocation.pathname !== nextLocation.pathname,
  );

  useEffect(() => {
    if (!unsaved) return;
    function ask(event: BeforeUnloadEvent) {
      if (released.current) return;
      event.preventDefault();
      event.returnValue = ''; // older browsers ask only when it is set
    }
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [unsaved]);

  const prompt =
    blocker.state === 'blocked' ? (
      <Dialog title="Leave without saving?" onClose={() => blocker.reset()}>
        <p>Your changes on this page are not saved. If you leave, they are lost.</p>
        <div className="dialog-actions">
          <button type="button" className="button-secondary" onClick={() => blocker.reset()}>
            Stay on this page
          </button>
          <button type="button" className="button-danger" onClick={() => blocker.proceed()}>
            Leave without saving
          </button>
        </div>
      </Dialog>
    ) : null;

  function leave(go: () => void) {
    released.current = true;
    go();
  }

  return { prompt, leave };
}
