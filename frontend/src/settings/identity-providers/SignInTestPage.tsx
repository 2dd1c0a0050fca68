import { useEffect, useState } from 'react';
import { signInTestMessageType, signInTestOutcome } from './signInTestMessage';
import { SignInTestResult } from './SignInTestResult';

/**
 * SignInTestPage is where a test of an identity provider ends, in the window
 * the Identity Providers tab opened (the server puts the outcome in the
 * fragment, which no server sees). It hands the outcome to that tab, only if
 * it is this site's, and closes; opened any other way, it shows the result
 * itself.
 */
export function SignInTestPage() {
  const [outcome] = useState(() => signInTestOutcome(window.location.hash));
  const [opener] = useState(() => {
    const w = window.opener as Window | null;
    return w && !w.closed ? w : null;
  });
  const handedOver = outcome !== null && opener !== null;

  useEffect(() => {
    history.replaceState(null, '', window.location.pathname); // the sealed result leaves the address bar
    if (!outcome || !opener) return;
    opener.postMessage({ type: signInTestMessageType, outcome }, window.location.origin);
    window.close();
  }, [outcome, opener]);

  return (
    <main className="content narrow stack">
      <h1>Test sign-in</h1>
      {!outcome && <p>There is no test result here. Start a test from Settings › Identity Providers.</p>}
      {outcome && handedOver && <p role="status">The result is shown in Orgtrail. You can close this window.</p>}
      {outcome && !handedOver && <SignInTestResult outcome={outcome} />}
    </main>
  );
}
