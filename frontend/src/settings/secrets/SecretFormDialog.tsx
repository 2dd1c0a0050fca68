import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useMutation } from 'urql';
import { z } from '../../forms/zod';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { showMutationError } from '../../graphql/formErrors';
import { Dialog } from '../../ui/Dialog';
import { FormDialogActions } from '../../ui/DialogActions';
import { TextAreaField } from '../../ui/TextAreaField';
import { TextField } from '../../ui/TextField';
import { changeMessage } from '../../ui/changeMessage';
import { useToast } from '../../ui/toast';

export const SecretFormDialog_SecretFragment = graphql(`
  fragment SecretFormDialog_Secret on Secret {
    id
    name
    description
  }
`);

const CreateSecretMutation = graphql(`
  mutation CreateSecret($input: CreateSecretInput!) {
    createSecret(input: $input) {
      secret {
        id
      }
    }
  }
`);

const UpdateSecretMutation = graphql(`
  mutation UpdateSecret($input: UpdateSecretInput!) {
    updateSecret(input: $input) {
      secret {
        id
        ...SecretFormDialog_Secret
      }
    }
  }
`);

/** maxValueBytes is the largest value the server stores (64 KiB). */
const maxValueBytes = 64 * 1024;

// The server's rules for a secret, checked here first to answer sooner.
const name = z
  .string()
  .trim()
  .regex(/^[A-Z][A-Z0-9_]{0,127}$/, 'Use 1 to 128 of A–Z, 0–9 and _, starting with a letter (e.g. DATABASE_PASSWORD)');
const description = z.string().trim().max(500, 'Use at most 500 characters');
const value = z.string().refine((v) => new TextEncoder().encode(v).length <= maxValueBytes, 'Use at most 64 KiB');
const createSchema = z.object({ name, description, value: value.refine((v) => v.length > 0, 'Enter the value') });
const updateSchema = z.object({ name, description, value });
type SecretForm = z.infer<typeof updateSchema>;

interface SecretFormDialogProps {
  /** secret is the secret to edit; without it the dialog creates one. */
  secret?: FragmentType<typeof SecretFormDialog_SecretFragment>;
  onClose: () => void;
  onSaved: () => void;
}

/**
 * SecretFormDialog creates a secret or changes one. The value is write-only:
 * editing never shows it, and a value typed replaces the stored one.
 */
export function SecretFormDialog({ secret: secretRef, onClose, onSaved }: SecretFormDialogProps) {
  const secret = getFragmentData(SecretFormDialog_SecretFragment, secretRef);
  const toast = useToast();
  const [, createSecret] = useMutation(CreateSecretMutation);
  const [, updateSecret] = useMutation(UpdateSecretMutation);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<SecretForm>({
    resolver: zodResolver(secret ? updateSchema : createSchema),
    defaultValues: { name: secret?.name ?? '', description: secret?.description ?? '', value: '' },
  });

  async function onSubmit(form: SecretForm) {
    const result = secret
      ? await updateSecret({
          input: {
            id: secret.id,
            name: form.name,
            description: form.description,
            // Left empty, the stored value stays.
            ...(form.value ? { value: form.value } : {}),
          },
        })
      : await createSecret({ input: form });
    if (result.error) return showMutationError(result.error, setError, ['name', 'description', 'value']);
    toast(changeMessage('Secret', form.name, secret ? 'updated' : 'created'));
    onSaved();
    onClose();
  }

  return (
    <Dialog title={secret ? `Edit secret ${secret.name}` : 'Create secret'} onClose={onClose}>
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="stack" autoComplete="off">
        <TextField
          label="Name"
          hint="Upper snake case, e.g. DATABASE_PASSWORD."
          spellCheck={false}
          error={errors.name?.message}
          {...register('name')}
        />
        <TextField label="Description" error={errors.description?.message} {...register('description')} />
        <TextAreaField
          label={secret ? 'New value' : 'Value'}
          hint={
            secret
              ? 'The current value is never shown. Leave empty to keep it; anything typed here replaces it.'
              : 'Stored encrypted; it will not be shown again.'
          }
          spellCheck={false}
          className="secret-input"
          error={errors.value?.message}
          {...register('value')}
        />
        <FormDialogActions
          errors={errors}
          submitLabel={secret ? 'Save secret' : 'Create secret'}
          submitting={isSubmitting}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
