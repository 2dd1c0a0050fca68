import { useEffect, type ReactNode } from 'react';
import { useBlocker } from 'react-router';
import { Dialog } from './Dialog';

/**
 * useUnsavedChangesPrompt asks before unsaved changes are dropped: leaving
 * for another page of the app (react-router's useBlocker) asks in a dialog,
 * which it returns for the page to render; reloading or closing the tab asks
 * through the browser's own prompt (beforeunload).
 */
export function useUnsavedChangesPrompt(unsaved: boolean): ReactNode {
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => unsaved && currentLocation.pathname !== nextLocation.pathname,
  );

  useEffect(() => {
    if (!unsaved) return;
    function ask(event: BeforeUnloadEvent) {
      event.preventDefault();
      event.returnValue = ''; // older browsers ask only when it is set
    }
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [unsaved]);

  if (blocker.state !== 'blocked') return null;
  return (
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
  );
}
