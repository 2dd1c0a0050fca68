import { useEffect, useState } from 'react';
import { Dialog } from '../../ui/Dialog';
import { isSignInTestMessage, type SignInTestOutcome } from './signInTestMessage';
import { SignInTestResult } from './SignInTestResult';

interface SignInTestDialogProps {
  provider: { name: string; testUrl: string };
  /** testWindow is the window the test runs in, opened by the click that opened the dialog; null when blocked. */
  testWindow: Window | null;
  onClose: () => void;
}

/**
 * SignInTestDialog follows a test of an identity provider that runs in a
 * new window, and shows what the provider answered once that window posts
 * the outcome back. Only a message of this site's origin from that window
 * counts; the result itself is read from the server, which gives it only to
 * the session that ran the test.
 */
export function SignInTestDialog({ provider, testWindow, onClose }: SignInTestDialogProps) {
  const [outcome, setOutcome] = useState<SignInTestOutcome | null>(null);

  useEffect(() => {
    function receive(event: MessageEvent) {
      if (event.origin !== window.location.origin || event.source !== testWindow) return;
      if (isSignInTestMessage(event.data)) setOutcome(event.data.outcome);
    }
    window.addEventListener('message', receive);
    return () => window.removeEventListener('message', receive);
  }, [testWindow]);

  let body;
  if (outcome) {
    body = <SignInTestResult outcome={outcome} />;
  } else if (!testWindow) {
    body = (
      <p className="callout">
        The browser blocked the new window.{' '}
        <a href={provider.testUrl} target="_blank" rel="noreferrer">
          Run the test in a new tab
        </a>
        ; the result is shown there.
      </p>
    );
  } else {
    body = (
      <p role="status">
        Sign in with {provider.name} in the new window. Nobody is signed in here by the test: its result is shown
        here.
      </p>
    );
  }

  return (
    <Dialog title={`Test sign-in with ${provider.name}`} onClose={onClose}>
      {body}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
