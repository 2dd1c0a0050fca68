import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useMutation } from 'urql';
import { z } from 'zod';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import type { SignInMethod } from '../../gql/graphql';
import { showMutationError } from '../../graphql/formErrors';
import { TextField } from '../../ui/TextField';
import { useToast } from '../../ui/toast';
import { useUnsavedChangesPrompt } from '../../ui/useUnsavedChangesPrompt';

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

interface OrganizationSettingsFormProps {
  organization: FragmentType<typeof OrganizationSettingsForm_OrganizationFragment>;
  onSaved: () => void;
}

/** OrganizationSettingsForm changes the organization's name and settings. */
export function OrganizationSettingsForm({ organization: organizationRef, onSaved }: OrganizationSettingsFormProps) {
  const organization = getFragmentData(OrganizationSettingsForm_OrganizationFragment, organizationRef);
  const toast = useToast();
  const [, update] = useMutation(UpdateOrganizationSettingsMutation);
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
  const leavePrompt = useUnsavedChangesPrompt(isDirty);

  async function onSubmit(input: SettingsForm) {
    const result = await update({ input });
    if (result.error) {
      const fields = ['name', 'sessionLifetimeHours', 'sessionIdleMinutes', 'signInMethods', 'auditRetentionDays'] as const;
      return showMutationError(result.error, setError, fields, toast);
    }
    reset(input);
    toast('Settings saved.');
    onSaved();
  }

  return (
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
          <p id="sign-in-methods-error" className="field-error">
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
      <div>
        <button type="submit" disabled={isSubmitting || !isDirty}>
          Save settings
        </button>
      </div>
      {leavePrompt}
    </form>
  );
}
