/** signInTestMessageType marks the message the test's window posts to the Identity Providers tab that opened it. */
export const signInTestMessageType = 'orgtrail:oidc-sign-in-test';

/**
 * SignInTestOutcome is where a test of an identity provider ended, as the
 * server put it in the result page's fragment: a sealed result to read with
 * oidcSignInTest, or a problem that stopped the test before the provider.
 */
export type SignInTestOutcome = { result: string } | { problem: string };

/** signInTestOutcome reads the result page's fragment (#result=… or #problem=…); null when it holds neither. */
export function signInTestOutcome(hash: string): SignInTestOutcome | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const result = params.get('result');
  if (result) return { result };
  const problem = params.get('problem');
  return problem ? { problem } : null;
}

/** isSignInTestMessage tells the test window's message from anything else a window may post. */
export function isSignInTestMessage(data: unknown): data is { type: string; outcome: SignInTestOutcome } {
  if (typeof data !== 'object' || data === null) return false;
  const { type, outcome } = data as { type?: unknown; outcome?: unknown };
  return type === signInTestMessageType && typeof outcome === 'object' && outcome !== null;
}

/** signInTestProblems explain why a test stopped before the provider answered. */
export const signInTestProblems: Record<string, string> = {
  unauthenticated: 'You are not signed in here any more. Sign in, then start the test again.',
  forbidden: 'Testing a sign-in needs the identity_providers:write permission.',
  not_found: 'This identity provider is not one of your organization’s account any more.',
  other_session:
    'This test was started in another session or organization. Start it again from Settings › Identity Providers.',
  result_not_found: 'This result has expired or belongs to another session. Start the test again.',
  internal: 'The test failed on the server. Try again.',
};
