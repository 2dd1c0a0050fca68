/** csrfHeaders marks a cookie-authenticated POST as coming from the app, as the server requires. */
const csrfHeaders = { 'X-Orgtrail-CSRF': '1' };

/** MagicLinkResult is how a magic link request ended. */
export type MagicLinkResult = 'sent' | 'rate-limited';

/**
 * requestMagicLink asks for a sign-in link for email; after sign-in the
 * server sends the person to next, in organization when one is asked for and
 * the person may enter it so. The answer is the same whether or not the email
 * belongs to a member.
 */
export async function requestMagicLink(
  email: string,
  next: string,
  organization: string | null = null,
): Promise<MagicLinkResult> {
  const response = await fetch('/auth/magic-link', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { ...csrfHeaders, 'Content-Type': 'application/json' },
    body: JSON.stringify(organization ? { email, next, organization } : { email, next }),
  });
  if (response.status === 429) return 'rate-limited';
  if (!response.ok) throw new Error(`magic link request failed: ${response.status}`);
  return 'sent';
}

/** signOut ends the session. */
export async function signOut(): Promise<void> {
  const response = await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin', headers: csrfHeaders });
  if (!response.ok) throw new Error(`sign-out failed: ${response.status}`);
}
