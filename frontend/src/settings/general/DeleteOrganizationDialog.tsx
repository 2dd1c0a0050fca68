import { zodResolver } from '@hookform/resolvers/zod';
import { useForm, useWatch } from 'react-hook-form';
import { useMutation } from 'urql';
import { z } from 'zod';
import { graphql } from '../../gql';
import { showMutationError } from '../../graphql/formErrors';
import { navigateAway } from '../../layout/navigateAway';
import { Dialog } from '../../ui/Dialog';
import { FormError } from '../../ui/FormError';
import { TextField } from '../../ui/TextField';

const DeleteOrganizationMutation = graphql(`
  mutation DeleteOrganization($input: DeleteOrganizationInput!) {
    deleteOrganization(input: $input) {
      deletedOrganizationId
    }
  }
`);

interface DeleteOrganizationDialogProps {
  /** name is the organization's name, which the person types to confirm. */
  name: string;
  onClose: () => void;
}

/**
 * DeleteOrganizationDialog deletes the organization once its name is typed
 * exactly, then leaves for the sign-in page: the deletion ends every session
 * in it.
 */
export function DeleteOrganizationDialog({ name, onClose }: DeleteOrganizationDialogProps) {
  const [, deleteOrganization] = useMutation(DeleteOrganizationMutation);
  const schema = z.object({ confirmName: z.string().refine((typed) => typed === name, 'Type the name exactly as shown') });
  const {
    register,
    handleSubmit,
    setError,
    control,
    formState: { errors, isSubmitting },
  } = useForm<{ confirmName: string }>({ resolver: zodResolver(schema), defaultValues: { confirmName: '' } });
  const confirmName = useWatch({ control, name: 'confirmName' });

  async function onSubmit(input: { confirmName: string }) {
    const result = await deleteOrganization({ input });
    if (result.error) return showMutationError(result.error, setError, ['confirmName']);
    navigateAway('/sign-in');
  }

  return (
    <Dialog title={`Delete organization ${name}?`} onClose={onClose}>
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="stack">
        <p>
          Everyone is signed out of <strong>{name}</strong> and its API keys stop working. This cannot be undone from
          Orgtrail.
        </p>
        <TextField
          label={`Type ${name} to confirm`}
          autoComplete="off"
          error={errors.confirmName?.message}
          {...register('confirmName')}
        />
        <FormError errors={errors} />
        <div className="dialog-actions">
          <button type="button" className="button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button-danger" disabled={isSubmitting || confirmName !== name}>
            Delete this organization
          </button>
        </div>
      </form>
    </Dialog>
  );
}
