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

const CreateApiKeyMutation = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      key
    }
  }
`);

const schema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(64, 'Use at most 64 characters'),
  expiresOn: z.string().refine(isFutureDate, 'Choose a date in the future'),
});
type ApiKeyForm = z.infer<typeof schema>;

interface CreateApiKeyDialogProps {
  serviceAccount: { id: string; name: string };
  onClose: () => void;
  onCreated: () => void;
}

/** CreateApiKeyDialog creates an API key for a service account and shows it, once. */
export function CreateApiKeyDialog({ serviceAccount, onClose, onCreated }: CreateApiKeyDialogProps) {
  const toast = useToast();
  const [, createApiKey] = useMutation(CreateApiKeyMutation);
  const [key, setKey] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ApiKeyForm>({ resolver: zodResolver(schema), defaultValues: { name: '', expiresOn: '' } });

  async function onSubmit({ name, expiresOn }: ApiKeyForm) {
    const result = await createApiKey({
      input: { serviceAccountId: serviceAccount.id, name, expiresAt: expiresOn ? endOfDay(expiresOn) : null },
    });
    if (result.error) return showExpiryMutationError(result.error, setError, ['name']);
    if (result.data) setKey(result.data.createApiKey.key);
    toast(changeMessage('API key', name, 'created'));
    onCreated();
  }

  return (
    <Dialog title={`Create API key for ${serviceAccount.name}`} onClose={onClose}>
      {key ? (
        <>
          <SecretOnce label="API key" value={key} />
          <DoneDialogAction onDone={onClose} />
        </>
      ) : (
        <form onSubmit={handleSubmit(onSubmit)} noValidate className="stack">
          <TextField label="Name" error={errors.name?.message} {...register('name')} />
          <TextField
            label="Expires on"
            type="date"
            hint="Leave empty for a key that does not expire."
            error={errors.expiresOn?.message}
            {...register('expiresOn')}
          />
          <FormDialogActions errors={errors} submitLabel="Create API key" submitting={isSubmitting} onCancel={onClose} />
        </form>
      )}
    </Dialog>
  );
}
