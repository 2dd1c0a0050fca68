import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { showMutationError } from '../../graphql/formErrors';
import { changeMessage } from '../../ui/changeMessage';
import { Dialog } from '../../ui/Dialog';
import { FormDialogActions } from '../../ui/DialogActions';
import { TextField } from '../../ui/TextField';
import { useToast } from '../../ui/toast';
import { serviceAccountSchema, type ServiceAccountForm } from './serviceAccountForm';

const UpdateServiceAccountMutation = graphql(`
  mutation UpdateServiceAccount($input: UpdateServiceAccountInput!) {
    updateServiceAccount(input: $input) {
      serviceAccount {
        id
        name
        description
      }
    }
  }
`);

interface EditServiceAccountDialogProps {
  serviceAccount: { id: string; name: string; description: string };
  onClose: () => void;
  onSaved: () => void;
}

/** EditServiceAccountDialog renames a service account or changes its description; its keys and roles stay. */
export function EditServiceAccountDialog({ serviceAccount, onClose, onSaved }: EditServiceAccountDialogProps) {
  const toast = useToast();
  const [, updateServiceAccount] = useMutation(UpdateServiceAccountMutation);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ServiceAccountForm>({
    resolver: zodResolver(serviceAccountSchema),
    defaultValues: { name: serviceAccount.name, description: serviceAccount.description },
  });

  async function onSubmit(input: ServiceAccountForm) {
    const result = await updateServiceAccount({ input: { id: serviceAccount.id, ...input } });
    if (result.error) return showMutationError(result.error, setError, ['name', 'description']);
    toast(changeMessage('Service account', input.name, 'updated'));
    onSaved();
    onClose();
  }

  return (
    <Dialog title={`Edit service account ${serviceAccount.name}`} onClose={onClose}>
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="stack">
        <TextField label="Name" error={errors.name?.message} {...register('name')} />
        <TextField label="Description" error={errors.description?.message} {...register('description')} />
        <FormDialogActions submitLabel="Save service account" submitting={isSubmitting} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
