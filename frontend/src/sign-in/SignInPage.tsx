import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useSearchParams } from 'react-router';
import { z } from 'zod';
import { TextField } from '../ui/TextField';
import { requestMagicLink } from './session';
import { isLocalPath } from './signInPath';

/** signInErrors explain the reasons the server gives in ?error= when a sign-in fails. */
const signInErrors: Record<string, string> = {
  expired: 'That sign-in link has expired. Ask for a new one below.',
  invalid: 'That sign-in link is not valid. Ask for a new one below.',
  used: 'That sign-in link has been used already. Ask for a new one below.',
  not_member: 'That email is not a member of any organization. Ask an administrator to invite you.',
  deactivated: 'Your account has been deactivated. Ask an administrator for access.',
  method_not_allowed: 'Your organization does not allow this way of signing in.',
  rate_limited: 'Too many sign-in attempts. Wait a minute, then try again.',
};

const schema = z.object({ email: z.email('Enter a valid email address') });
type SignInForm = z.infer<typeof schema>;

/**
 * SignInPage signs a person in with a magic link emailed to them. After
 * sign-in the server sends them back to ?next=.
 */
export function SignInPage() {
  const [searchParams] = useSearchParams();
  const next = searchParams.get('next') ?? '/';
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
      const result = await requestMagicLink(email, isLocalPath(next) ? next : '/');
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
          <form onSubmit={handleSubmit(onSubmit)} noValidate>
            {errorCode && (
              <p role="alert" className="callout callout-error">
                {signInErrors[errorCode] ?? 'Sign-in did not work. Try again.'}
              </p>
            )}
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
      </div>
    </main>
  );
}
