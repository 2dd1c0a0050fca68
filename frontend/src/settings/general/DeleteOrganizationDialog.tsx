import { zodResolver } from '@hookform/resolvers/zod';
import { useForm, useWatch } from 'react-hook-form';
import { useMutation } from 'urql';
import { z } from '../../forms/zod';
import { graphql } from '../../gql';
import { showMutationError } from '../../graphql/formErrors';
import { navigateAway } from '../../layout/navigateAway';
import { leaveNotice } from '../../layout/notice';
import { Dialog } from '../../ui/Dialog';
import { FormError } from '../../ui/FormError';
import { TextField } from '../../ui/TextField';

const DeleteOrganizationMutation = graphql(`
  mutation DeleteOrganization($input: DeleteOrganizationInput!) {
    deleteOrganization(input: $input) {
      deletedOrganizationId
      viewer {
        organization {
          id
          name
        }
      }
      signInUrl
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
 * exactly. The deletion ends every other session in it; the viewer's moves to
 * another organization of theirs that accepts how they signed in, where they
 * land, told what was deleted (PageNotice). When none does, they go to sign
 * in to one of their organizations, told the same.
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
    const payload = result.data?.deleteOrganization;
    const landed = payload?.viewer?.organization;
    if (landed) {
      leaveNotice(`${name} was deleted. You are now in ${landed.name}.`);
      navigateAway('/settings');
    } else if (payload?.signInUrl) {
      leaveNotice(`${name} was deleted. Sign in to continue in another of your organizations.`);
      navigateAway(payload.signInUrl);
    } else {
      leaveNotice(`${name} was deleted. You are not a member of any other organization.`);
      navigateAway('/sign-in');
    }
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
