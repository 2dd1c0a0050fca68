import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useMutation } from 'urql';
import { z } from 'zod';
import { graphql } from '../../gql';
import { showMutationError } from '../../graphql/formErrors';
import { Dialog } from '../../ui/Dialog';
import { FormDialogActions } from '../../ui/DialogActions';
import { TextField } from '../../ui/TextField';

const CreateServiceAccountMutation = graphql(`
  mutation CreateServiceAccount($input: CreateServiceAccountInput!) {
    createServiceAccount(input: $input) {
      serviceAccount {
        id
      }
    }
  }
`);

// The server's rules for a service account, checked here first to answer sooner.
const schema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(64, 'Use at most 64 characters'),
  description: z.string().trim().max(500, 'Use at most 500 characters'),
});
type ServiceAccountForm = z.infer<typeof schema>;

interface CreateServiceAccountDialogProps {
  onClose: () => void;
  onCreated: () => void;
}

/** CreateServiceAccountDialog creates a service account. */
export function CreateServiceAccountDialog({ onClose, onCreated }: CreateServiceAccountDialogProps) {
  const [, createServiceAccount] = useMutation(CreateServiceAccountMutation);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ServiceAccountForm>({ resolver: zodResolver(schema), defaultValues: { name: '', description: '' } });

  async function onSubmit(input: ServiceAccountForm) {
    const result = await createServiceAccount({ input });
    if (result.error) return showMutationError(result.error, setError, ['name', 'description']);
    onCreated();
    onClose();
  }

  return (
    <Dialog title="Create service account" onClose={onClose}>
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="stack">
        <TextField label="Name" error={errors.name?.message} {...register('name')} />
        <TextField label="Description" error={errors.description?.message} {...register('description')} />
        <FormDialogActions errors={errors} submitLabel="Create service account" submitting={isSubmitting} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
