import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { showMutationError } from '../../graphql/formErrors';
import { Dialog } from '../../ui/Dialog';
import { FormDialogActions } from '../../ui/DialogActions';
import { TextField } from '../../ui/TextField';
import { changeMessage } from '../../ui/changeMessage';
import { useToast } from '../../ui/toast';
import { serviceAccountSchema, type ServiceAccountForm } from './serviceAccountForm';

const CreateServiceAccountMutation = graphql(`
  mutation CreateServiceAccount($input: CreateServiceAccountInput!) {
    createServiceAccount(input: $input) {
      serviceAccount {
        id
      }
    }
  }
`);


interface CreateServiceAccountDialogProps {
  onClose: () => void;
  onCreated: () => void;
}

/** CreateServiceAccountDialog creates a service account. */
export function CreateServiceAccountDialog({ onClose, onCreated }: CreateServiceAccountDialogProps) {
  const toast = useToast();
  const [, createServiceAccount] = useMutation(CreateServiceAccountMutation);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ServiceAccountForm>({
    resolver: zodResolver(serviceAccountSchema),
    defaultValues: { name: '', description: '' },
  });

  async function onSubmit(input: ServiceAccountForm) {
    const result = await createServiceAccount({ input });
    if (result.error) return showMutationError(result.error, setError, ['name', 'description']);
    toast(changeMessage('Service account', input.name, 'created'));
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
