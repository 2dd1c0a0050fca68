import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useMutation } from 'urql';
import { z } from '../forms/zod';
import { graphql } from '../gql';
import { showMutationError } from '../graphql/formErrors';
import { Dialog } from '../ui/Dialog';
import { FormDialogActions } from '../ui/DialogActions';
import { TextField } from '../ui/TextField';

const CreateSiblingOrganizationMutation = graphql(`
  mutation CreateSiblingOrganization($input: CreateSiblingOrganizationInput!) {
    createSiblingOrganization(input: $input) {
      organization {
        id
      }
    }
  }
`);

const schema = z.object({ name: z.string().trim().min(1, 'Enter a name').max(100, 'Use at most 100 characters') });
type CreateOrganizationForm = z.infer<typeof schema>;

interface CreateOrganizationDialogProps {
  onClose: () => void;
  onCreated: (organizationId: string) => void;
}

/** CreateOrganizationDialog creates a sibling organization, with the viewer as its Admin. */
export function CreateOrganizationDialog({ onClose, onCreated }: CreateOrganizationDialogProps) {
  const [, create] = useMutation(CreateSiblingOrganizationMutation);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<CreateOrganizationForm>({ resolver: zodResolver(schema) });

  async function onSubmit(input: CreateOrganizationForm) {
    const result = await create({ input });
    if (result.error) showMutationError(result.error, setError, ['name']);
    else if (result.data) onCreated(result.data.createSiblingOrganization.organization.id);
  }

  return (
    <Dialog title="New organization" onClose={onClose}>
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="stack">
        <p className="muted">A new organization in the same account. You become its Admin.</p>
        <TextField label="Name" error={errors.name?.message} {...register('name')} />
        <FormDialogActions errors={errors} submitLabel="Create organization" submitting={isSubmitting} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
