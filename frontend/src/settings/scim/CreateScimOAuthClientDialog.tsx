import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useMutation } from 'urql';
import { z } from '../../forms/zod';
import { graphql } from '../../gql';
import { showMutationError } from '../../graphql/formErrors';
import { CopyButton } from '../../ui/CopyButton';
import { Dialog } from '../../ui/Dialog';
import { DoneDialogAction, FormDialogActions } from '../../ui/DialogActions';
import { SecretOnce } from '../../ui/SecretOnce';
import { TextField } from '../../ui/TextField';
import { changeMessage } from '../../ui/changeMessage';
import { useToast } from '../../ui/toast';

const CreateScimOAuthClientMutation = graphql(`
  mutation CreateScimOAuthClient($input: CreateScimOAuthClientInput!) {
    createScimOAuthClient(input: $input) {
      scimOAuthClient {
        id
        clientId
      }
      clientSecret
      tokenUrl
    }
  }
`);

const schema = z.object({ name: z.string().trim().min(1, 'Enter a name').max(64, 'Use at most 64 characters') });
type ScimOAuthClientForm = z.infer<typeof schema>;

interface Created {
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
}

interface CreateScimOAuthClientDialogProps {
  onClose: () => void;
  onCreated: () => void;
}

/** CreateScimOAuthClientDialog creates an OAuth client for SCIM and shows its secret, once. */
export function CreateScimOAuthClientDialog({ onClose, onCreated }: CreateScimOAuthClientDialogProps) {
  const toast = useToast();
  const [, createClient] = useMutation(CreateScimOAuthClientMutation);
  const [created, setCreated] = useState<Created | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ScimOAuthClientForm>({ resolver: zodResolver(schema), defaultValues: { name: '' } });

  async function onSubmit(input: ScimOAuthClientForm) {
    const result = await createClient({ input });
    if (result.error) return showMutationError(result.error, setError, ['name']);
    if (result.data) {
      const { scimOAuthClient, clientSecret, tokenUrl } = result.data.createScimOAuthClient;
      setCreated({ clientId: scimOAuthClient.clientId, clientSecret, tokenUrl });
    }
    toast(changeMessage('OAuth client', input.name, 'created'));
    onCreated();
  }

  return (
    <Dialog title="Create OAuth client" onClose={onClose}>
      {created ? (
        <>
          <dl className="detail-fields">
            <dt>Client ID</dt>
            <dd className="break">
              <code>{created.clientId}</code> <CopyButton value={created.clientId} label="Copy client ID" />
            </dd>
            <dt>Token URL</dt>
            <dd className="break">
              <code>{created.tokenUrl}</code> <CopyButton value={created.tokenUrl} label="Copy token URL" />
            </dd>
          </dl>
          <SecretOnce label="client secret" value={created.clientSecret} />
          <DoneDialogAction onDone={onClose} />
        </>
      ) : (
        <form onSubmit={handleSubmit(onSubmit)} noValidate className="stack">
          <TextField label="Name" error={errors.name?.message} {...register('name')} />
          <FormDialogActions errors={errors} submitLabel="Create OAuth client" submitting={isSubmitting} onCancel={onClose} />
        </form>
      )}
    </Dialog>
  );
}
