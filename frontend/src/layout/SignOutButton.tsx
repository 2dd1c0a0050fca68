import { useState } from 'react';
import { signOut } from '../sign-in/session';

/** SignOutButton ends the session and leaves for the sign-in page. */
export function SignOutButton() {
  const [failed, setFailed] = useState(false);

  async function onClick() {
    setFailed(false);
    try {
      await signOut();
      window.location.assign('/sign-in');
    } catch {
      setFailed(true);
    }
  }

  return (
    <>
      <button type="button" className="button-secondary" onClick={onClick}>
        Sign out
      </button>
      {failed && <p role="alert">Could not sign out. Try again.</p>}
    </>
  );
}
