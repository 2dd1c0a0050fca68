import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { z } from '../forms/zod';
import { graphql } from '../gql';
import { PageNotice } from '../layout/PageNotice';
import { TextField } from '../ui/TextField';
import { requestMagicLink } from './session';
import { isLocalPath } from './signInPath';

const SignInPageQuery = graphql(`
  query SignInPage($organizationId: ID) {
    signInOptions(organizationId: $organizationId) {
      magicLink
      providers {
        id
        name
        loginUrl
      }
    }
  }
`);

/** The organizations of whoever is signed in, to name the one asking for a sign-in. */
const SignInPageOrganizationsQuery = graphql(`
  query SignInPageOrganizations {
    viewer {
      organizations {
        id
        name
      }
    }
  }
`);

/**
 * publicRequest sends the sign-in options without the session cookie: they
 * are public, and a session the server refuses must not hide them.
 */
const publicRequest = { fetchOptions: { credentials: 'omit' as const } };

/** anyWay is the options when they are unknown: the email link, which answers the same for everyone. */
const anyWay = { magicLink: true, providers: [] };

/** signInErrors explain the reasons the server gives in ?error= when a sign-in fails. */
const signInErrors: Record<string, string> = {
  expired: 'That sign-in link has expired. Ask for a new one below.',
  invalid: 'That sign-in link is not valid. Ask for a new one below.',
  used: 'That sign-in link has been used already. Ask for a new one below.',
  not_member: 'That email is not a member of any organization. Ask an administrator to invite you.',
  deactivated: 'Your account has been deactivated. Ask an administrator for access.',
  method_not_allowed: 'Your organization does not allow this way of signing in. Try another way below.',
  rate_limited: 'Too many sign-in attempts. Wait a minute, then try again.',
  bad_state: 'The sign-in took too long or was started in another window. Start again below.',
  provider_error: 'The identity provider did not complete the sign-in. Try again, or use another way below.',
  invalid_token: 'The identity provider’s answer could not be verified. Try again; if it keeps failing, tell an administrator.',
  unverified_email: 'The identity provider has not verified your email address. Verify it there, then try again.',
  provider_not_linked: 'That identity provider is not enabled for your organization. Use another way below.',
  unknown_provider: 'That identity provider is not known here any more. Use another way below.',
  internal: 'Something went wrong on our side. Try again in a moment.',
};

/** waysToSignIn names the ways an organization accepts: "Acme SSO or an email link". */
function waysToSignIn(providers: ReadonlyArray<{ name: string }>, magicLink: boolean): string {
  const ways = providers.map((p) => p.name);
  if (magicLink) ways.push('an email link');
  if (ways.length <= 1) return ways.join('');
  return `${ways.slice(0, -1).join(', ')} or ${ways.at(-1)}`;
}

/** loginLink is a provider's login URL that comes back to next after sign-in. */
function loginLink(loginUrl: string, next: string): string {
  if (next === '/') return loginUrl;
  const url = new URL(loginUrl, 'http://orgtrail.invalid');
  url.searchParams.set('next', next);
  return url.pathname + url.search;
}

const schema = z.object({ email: z.email('Enter a valid email address') });
type SignInForm = z.infer<typeof schema>;

/**
 * SignInPage signs a person in with an identity provider of their
 * organization or a magic link emailed to them. After sign-in the server
 * sends them back to ?next=; when sign-in failed it says why in ?error=.
 * With ?organization= (where the server sends a person whose sign-in that
 * organization does not accept), it offers only the ways that organization
 * accepts, says so, and the sign-in lands there.
 */
export function SignInPage() {
  const [searchParams] = useSearchParams();
  const requested = searchParams.get('next') ?? '/';
  const next = isLocalPath(requested) ? requested : '/';
  const organizationId = searchParams.get('organization') || null;
  const [{ data }] = useQuery({ query: SignInPageQuery, variables: { organizationId }, context: publicRequest });
  const [{ data: signedIn }] = useQuery({ query: SignInPageOrganizationsQuery, pause: !organizationId });
  const options = data?.signInOptions ?? anyWay;
  const { providers, magicLink } = options;
  const organizationName =
    signedIn?.viewer?.organizations.find((o) => o.id === organizationId)?.name ?? 'This organization';
  const errorCode = searchParams.get('error');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<SignInForm>({ resolver: zodResolver(schema) });

  async function onSubmit({ email }: SignInForm) {
    try {
      const result = await requestMagicLink(email, next, organizationId);
      if (result === 'rate-limited') {
        setError('root', { message: 'Too many sign-in requests. Wait a minute, then try again.' });
        return;
      }
      setSentTo(email);
    } catch {
      setError('root', { message: 'The server could not be reached. Try again.' });
    }
  }

  return (
    <main className="sign-in">
      <div className="card">
        <h1>Sign in to Orgtrail</h1>
        <PageNotice />
        {errorCode && !sentTo && (
          <p role="alert" className="callout callout-error">
            {signInErrors[errorCode] ?? 'Sign-in did not work. Try again.'}
          </p>
        )}
        {organizationId && data && !sentTo && (
          <p role="status" className="callout">
            {providers.length > 0 || magicLink
              ? `${organizationName} asks you to sign in with ${waysToSignIn(providers, magicLink)}.`
              : `${organizationName} has no way to sign in set up yet. Ask an administrator.`}
          </p>
        )}
        {sentTo ? (
          <div role="status">
            <h2>Check your email</h2>
            <p>
              If <strong>{sentTo}</strong> belongs to an Orgtrail account, a sign-in link is on its way. The link
              works once and expires after 15 minutes.
            </p>
            <button type="button" className="button-secondary" onClick={() => setSentTo(null)}>
              Use a different email
            </button>
          </div>
        ) : (
          <>
            {providers.length > 0 && (
              <>
                <ul className="sign-in-options" aria-label="Identity providers">
                  {providers.map((p) => (
                    <li key={p.id}>
                      <a className="button-like" href={loginLink(p.loginUrl, next)}>
                        Sign in with {p.name}
                      </a>
                    </li>
                  ))}
                </ul>
                {magicLink && <p className="separator">or</p>}
              </>
            )}
            {magicLink && (
              <form onSubmit={handleSubmit(onSubmit)} noValidate>
                <TextField
                  label="Email"
                  type="email"
                  autoComplete="email"
                  autoFocus
                  error={errors.email?.message}
                  {...register('email')}
                />
                {errors.root && (
                  <p role="alert" className="field-error">
                    {errors.root.message}
                  </p>
                )}
                <button type="submit" disabled={isSubmitting}>
                  Email me a sign-in link
                </button>
              </form>
            )}
          </>
        )}
      </div>
    </main>
  );
}
