import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useMutation } from 'urql';
import { z } from '../../forms/zod';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import type { SignInMethod } from '../../gql/graphql';
import { showMutationError } from '../../graphql/formErrors';
import { navigateAway } from '../../layout/navigateAway';
import { FormError } from '../../ui/FormError';
import { TextField } from '../../ui/TextField';
import { useToast } from '../../ui/toast';
import { useUnsavedChangesPrompt } from '../../ui/useUnsavedChangesPrompt';
import { ConfirmSettingsDialog, type RetentionCut } from './ConfirmSettingsDialog';

export const OrganizationSettingsForm_OrganizationFragment = graphql(`
  fragment OrganizationSettingsForm_Organization on Organization {
    id
    name
    settings {
      sessionLifetimeHours
      sessionIdleMinutes
      signInMethods
      auditRetentionDays
    }
  }
`);

const UpdateOrganizationSettingsMutation = graphql(`
  mutation UpdateOrganizationSettings($input: UpdateOrganizationSettingsInput!) {
    updateOrganizationSettings(input: $input) {
      organization {
        id
        ...OrganizationSettingsForm_Organization
      }
    }
  }
`);

/** signInMethods are the ways of signing in an organization may allow, as the form offers them. */
const signInMethods: ReadonlyArray<{ method: SignInMethod; label: string }> = [
  { method: 'MAGIC_LINK', label: 'Magic link sent by email' },
  { method: 'OIDC', label: 'Identity providers (OpenID Connect)' },
];

/** wholeNumber is an integer from min to max, as the server accepts it for a setting. */
function wholeNumber(min: number, max: number) {
  const message = `Enter a whole number from ${min} to ${max}`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
}

// The server's rules for organization settings, checked here first to answer sooner.
const schema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(100, 'Use at most 100 characters'),
  sessionLifetimeHours: wholeNumber(1, 2160),
  sessionIdleMinutes: wholeNumber(5, 43200),
  signInMethods: z.array(z.enum(['MAGIC_LINK', 'OIDC'])).min(1, 'Allow at least one sign-in method'),
  auditRetentionDays: wholeNumber(30, 3650),
});
type SettingsForm = z.infer<typeof schema>;

const fields = ['name', 'sessionLifetimeHours', 'sessionIdleMinutes', 'signInMethods', 'auditRetentionDays'] as const;

/** SignedIn is how the viewer's session signed in (Viewer.signIn). */
export interface SignedIn {
  method: SignInMethod;
  providerName?: string | null;
}

/** ways say a sign-in method the way a sentence needs it: "with an email link". */
const ways: Record<SignInMethod, string> = {
  MAGIC_LINK: 'with an email link',
  OIDC: 'through an identity provider',
};

/** Pending is a change waiting for the person to confirm what it does. */
interface Pending {
  input: SettingsForm;
  retentionCut: RetentionCut | null;
  signOut: { signedIn: string; instead: string } | null;
}

interface OrganizationSettingsFormProps {
  organization: FragmentType<typeof OrganizationSettingsForm_OrganizationFragment>;
  /** signedIn is how the viewer signed in; null for a key. */
  signedIn: SignedIn | null;
  onSaved: () => void;
}

/**
 * OrganizationSettingsForm changes the organization's name and settings. A
 * shorter audit retention, or sign-in methods that no longer accept how the
 * viewer signed in, are confirmed first (ConfirmSettingsDialog); after the
 * latter the viewer's session has ended, so they go to sign in the way the
 * organization now accepts. The server's objections (a name taken in the
 * account, methods that would lock everyone out) go next to their field.
 */
export function OrganizationSettingsForm({ organization: organizationRef, signedIn, onSaved }: OrganizationSettingsFormProps) {
  const organization = getFragmentData(OrganizationSettingsForm_OrganizationFragment, organizationRef);
  const toast = useToast();
  const [, update] = useMutation(UpdateOrganizationSettingsMutation);
  const [pending, setPending] = useState<Pending | null>(null);
  const settings = organization.settings;
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting, isDirty },
  } = useForm<SettingsForm>({
    resolver: zodResolver(schema),
    defaultValues: {
      name: organization.name,
      sessionLifetimeHours: settings?.sessionLifetimeHours,
      sessionIdleMinutes: settings?.sessionIdleMinutes,
      signInMethods: settings?.signInMethods ?? [],
      auditRetentionDays: settings?.auditRetentionDays,
    },
  });
  const unsaved = useUnsavedChangesPrompt(isDirty);

  /** save sends input; it answers whether the server took it (its objections are shown). */
  async function save(input: SettingsForm, signsOut: boolean): Promise<boolean> {
    const result = await update({ input });
    if (result.error) {
      showMutationError(result.error, setError, fields);
      return false;
    }
    if (signsOut) {
      const where = new URLSearchParams({ organization: organization.id, next: '/settings/general' });
      unsaved.leave(() => navigateAway(`/sign-in?${where}`));
      return true;
    }
    reset(input);
    toast('Settings saved.');
    onSaved();
    return true;
  }

  async function onSubmit(input: SettingsForm) {
    const from = settings?.auditRetentionDays;
    const retentionCut = from !== undefined && input.auditRetentionDays < from ? { from, to: input.auditRetentionDays } : null;
    const signOut =
      signedIn && !input.signInMethods.includes(signedIn.method)
        ? {
            signedIn: signedIn.providerName ? `through ${signedIn.providerName}` : ways[signedIn.method],
            instead: input.signInMethods.map((m) => ways[m]).join(' or '),
          }
        : null;
    if (retentionCut || signOut) setPending({ input, retentionCut, signOut });
    else await save(input, false);
  }

  return (
    <>
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="callout stack" aria-label="Organization settings">
        <TextField label="Organization name" error={errors.name?.message} {...register('name')} />
        <fieldset className="fieldset">
          <legend>Sessions</legend>
          <TextField
            label="Session lifetime (hours)"
            type="number"
            min={1}
            max={2160}
            hint="A session ends this long after sign-in (1 to 2160 hours)."
            error={errors.sessionLifetimeHours?.message}
            {...register('sessionLifetimeHours', { valueAsNumber: true })}
          />
          <TextField
            label="Idle timeout (minutes)"
            type="number"
            min={5}
            max={43200}
            hint="A session ends after this long without activity (5 to 43200 minutes)."
            error={errors.sessionIdleMinutes?.message}
            {...register('sessionIdleMinutes', { valueAsNumber: true })}
          />
        </fieldset>
        <fieldset className="fieldset" aria-describedby={errors.signInMethods ? 'sign-in-methods-error' : undefined}>
          <legend>Sign-in methods</legend>
          {signInMethods.map(({ method, label }) => (
            <label key={method} className="checkbox">
              <input type="checkbox" value={method} {...register('signInMethods')} />
              {label}
            </label>
          ))}
          {errors.signInMethods && (
            <p id="sign-in-methods-error" className="field-error" role="alert">
              {errors.signInMethods.message}
            </p>
          )}
        </fieldset>
        <TextField
          label="Audit log retention (days)"
          type="number"
          min={30}
          max={3650}
          hint="Older events are no longer shown, and are deleted once no organization keeps them (30 to 3650 days)."
          error={errors.auditRetentionDays?.message}
          {...register('auditRetentionDays', { valueAsNumber: true })}
        />
        <FormError errors={errors} />
        <div>
          <button type="submit" disabled={isSubmitting || !isDirty}>
            Save settings
          </button>
        </div>
      </form>
      {pending && (
        <ConfirmSettingsDialog
          organizationName={organization.name}
          retentionCut={pending.retentionCut}
          signOut={pending.signOut}
          onConfirm={async () => {
            // Whatever the server answers, the dialog closes: its objections
            // go next to the fields they concern.
            await save(pending.input, pending.signOut !== null);
            return null;
          }}
          onClose={() => setPending(null)}
        />
      )}
      {unsaved.prompt}
    </>
  );
}
