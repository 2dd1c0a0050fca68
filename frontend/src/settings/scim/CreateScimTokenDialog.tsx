import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useMutation } from 'urql';
import { z } from '../../forms/zod';
import { graphql } from '../../gql';
import { showExpiryMutationError } from '../../graphql/formErrors';
import { endOfDay, isFutureDate } from '../../ui/dates';
import { Dialog } from '../../ui/Dialog';
import { DoneDialogAction, FormDialogActions } from '../../ui/DialogActions';
import { SecretOnce } from '../../ui/SecretOnce';
import { TextField } from '../../ui/TextField';
import { changeMessage } from '../../ui/changeMessage';
import { useToast } from '../../ui/toast';

const CreateScimTokenMutation = graphql(`
  mutation CreateScimToken($input: CreateScimTokenInput!) {
    createScimToken(input: $input) {
      scimToken {
        id
      }
      token
    }
  }
`);

// The server's rules for a SCIM token, checked here first to answer sooner.
const schema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(64, 'Use at most 64 characters'),
  expiresOn: z.string().refine(isFutureDate, 'Choose a date in the future'),
});
type ScimTokenForm = z.infer<typeof schema>;

interface CreateScimTokenDialogProps {
  onClose: () => void;
  onCreated: () => void;
}

/** CreateScimTokenDialog creates a SCIM bearer token and shows it, once. */
export function CreateScimTokenDialog({ onClose, onCreated }: CreateScimTokenDialogProps) {
  const toast = useToast();
  const [, createToken] = useMutation(CreateScimTokenMutation);
  const [token, setToken] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ScimTokenForm>({ resolver: zodResolver(schema), defaultValues: { name: '', expiresOn: '' } });

  async function onSubmit({ name, expiresOn }: ScimTokenForm) {
    const result = await createToken({ input: { name, expiresAt: expiresOn ? endOfDay(expiresOn) : null } });
    if (result.error) return showExpiryMutationError(result.error, setError, ['name']);
    if (result.data) setToken(result.data.createScimToken.token);
    toast(changeMessage('SCIM token', name, 'created'));
    onCreated();
  }

  return (
    <Dialog title="Create SCIM token" onClose={onClose}>
      {token ? (
        <>
          <SecretOnce label="SCIM token" value={token} />
          <p className="muted">Paste it into your identity provider as the bearer token, with the SCIM base URL.</p>
          <DoneDialogAction onDone={onClose} />
        </>
      ) : (
        <form onSubmit={handleSubmit(onSubmit)} noValidate className="stack">
          <TextField
            label="Name"
            hint="E.g. the identity provider that uses it."
            error={errors.name?.message}
            {...register('name')}
          />
          <TextField
            label="Expires on"
            type="date"
            hint="Leave empty for a token that does not expire."
            error={errors.expiresOn?.message}
            {...register('expiresOn')}
          />
          <FormDialogActions errors={errors} submitLabel="Create SCIM token" submitting={isSubmitting} onCancel={onClose} />
        </form>
      )}
    </Dialog>
  );
}
