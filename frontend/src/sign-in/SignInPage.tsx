import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useSearchParams } from 'react-router';
import { z } from 'zod';
import { requestMagicLink } from './session';
import { isLocalPath } from './signInPath';

const signInErrors: Record<string, string> = {
  expired: 'That sign-in link has expired. Ask for a new one below.',
  invalid: 'That sign-in link is not valid, or it has been used already. Ask for a new one below.',
  not_member: 'That account is not a member of any organization. Ask an administrator to invite you.',
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
            <label className="field">
              <span>Email</span>
              <input
                type="email"
                autoComplete="email"
                autoFocus
                aria-invalid={errors.email ? true : undefined}
                aria-describedby={errors.email ? 'email-error' : undefined}
                {...register('email')}
              />
            </label>
            {errors.email && (
              <p id="email-error" className="field-error">
                {errors.email.message}
              </p>
            )}
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
