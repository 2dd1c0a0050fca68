import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useMutation } from 'urql';
import { z } from '../../forms/zod';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { showExpiryMutationError } from '../../graphql/formErrors';
import { dateInputValue, endOfDay, isFutureDate } from '../../ui/dates';
import { Dialog } from '../../ui/Dialog';
import { DoneDialogAction, FormDialogActions } from '../../ui/DialogActions';
import { SecretOnce } from '../../ui/SecretOnce';
import { TextField } from '../../ui/TextField';
import { changeMessage } from '../../ui/changeMessage';
import { useToast } from '../../ui/toast';
import { usePermissions } from '../../viewer/permissions';

export const ApiAccessKeyFormDialog_ApiAccessKeyFragment = graphql(`
  fragment ApiAccessKeyFormDialog_ApiAccessKey on ApiAccessKey {
    id
    name
    permissions
    expiresAt
  }
`);

export const ApiAccessKeyFormDialog_PermissionFragment = graphql(`
  fragment ApiAccessKeyFormDialog_Permission on PermissionInfo {
    name
    description
  }
`);

const CreateApiAccessKeyMutation = graphql(`
  mutation CreateApiAccessKey($input: CreateApiAccessKeyInput!) {
    createApiAccessKey(input: $input) {
      apiAccessKey {
        id
      }
      key
    }
  }
`);

const UpdateApiAccessKeyMutation = graphql(`
  mutation UpdateApiAccessKey($input: UpdateApiAccessKeyInput!) {
    updateApiAccessKey(input: $input) {
      apiAccessKey {
        id
        ...ApiAccessKeyFormDialog_ApiAccessKey
      }
    }
  }
`);

// The server's rules for an API access key, checked here first to answer sooner.
const schema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Enter a name')
    .max(64, 'Use at most 64 characters')
    // eslint-disable-next-line no-control-regex -- finding control characters is this pattern's purpose.
    .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'Use printable characters only'),
  permissions: z.array(z.string()).min(1, 'Choose at least one permission'),
  expiresOn: z.string().refine(isFutureDate, 'Choose a date in the future'),
});
type ApiAccessKeyForm = z.infer<typeof schema>;

interface ApiAccessKeyFormDialogProps {
  /** apiAccessKey is the key to edit; without it the dialog creates one and shows it once. */
  apiAccessKey?: FragmentType<typeof ApiAccessKeyFormDialog_ApiAccessKeyFragment>;
  permissions: ReadonlyArray<FragmentType<typeof ApiAccessKeyFormDialog_PermissionFragment>>;
  onClose: () => void;
  onSaved: () => void;
}

/**
 * ApiAccessKeyFormDialog creates an API access key, showing it once, or
 * changes one's name, permissions and expiry. Only permissions the viewer
 * holds can be given, as the server requires.
 */
export function ApiAccessKeyFormDialog({
  apiAccessKey: keyRef,
  permissions: permissionRefs,
  onClose,
  onSaved,
}: ApiAccessKeyFormDialogProps) {
  const apiAccessKey = getFragmentData(ApiAccessKeyFormDialog_ApiAccessKeyFragment, keyRef);
  const catalog = getFragmentData(ApiAccessKeyFormDialog_PermissionFragment, permissionRefs);
  const held = usePermissions();
  const toast = useToast();
  const [, createKey] = useMutation(CreateApiAccessKeyMutation);
  const [, updateKey] = useMutation(UpdateApiAccessKeyMutation);
  const [newKey, setNewKey] = useState<string | null>(null);
  const originalExpiry = dateInputValue(apiAccessKey?.expiresAt);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ApiAccessKeyForm>({
    resolver: zodResolver(schema),
    defaultValues: {
      name: apiAccessKey?.name ?? '',
      permissions: apiAccessKey?.permissions ?? [],
      expiresOn: originalExpiry,
    },
  });

  async function onSubmit({ name, permissions, expiresOn }: ApiAccessKeyForm) {
    const expiresAt = expiresOn ? endOfDay(expiresOn) : null;
    if (!apiAccessKey) {
      const result = await createKey({ input: { name, permissions, expiresAt } });
      if (result.error) return showExpiryMutationError(result.error, setError, ['name', 'permissions']);
      if (result.data) setNewKey(result.data.createApiAccessKey.key);
      toast(changeMessage('API access key', name, 'created'));
      onSaved();
      return;
    }
    // An unchanged date keeps the exact expiry; a cleared one removes it.
    const expiry = expiresOn === originalExpiry ? {} : { expiresAt };
    const result = await updateKey({ input: { id: apiAccessKey.id, name, permissions, ...expiry } });
    if (result.error) return showExpiryMutationError(result.error, setError, ['name', 'permissions']);
    toast(changeMessage('API access key', name, 'updated'));
    onSaved();
    onClose();
  }

  const title = apiAccessKey ? `Edit API access key ${apiAccessKey.name}` : 'Create API access key';
  return (
    <Dialog title={title} onClose={onClose}>
      {newKey ? (
        <>
          <SecretOnce label="API access key" value={newKey} />
          <DoneDialogAction onDone={onClose} />
        </>
      ) : (
        <form onSubmit={handleSubmit(onSubmit)} noValidate className="stack">
          <TextField label="Name" error={errors.name?.message} {...register('name')} />
          <fieldset className="permissions">
            <legend>Permissions</legend>
            {catalog.map((p) => {
              const notHeld = !held.has(p.name);
              return (
                <label key={p.name} className="checkbox">
                  <input type="checkbox" value={p.name} disabled={notHeld} {...register('permissions')} />
                  <code>{p.name}</code> <span className="muted">{p.description}</span>
                  {notHeld && <span className="muted">(you do not hold it)</span>}
                </label>
              );
            })}
            {errors.permissions && (
            <p className="field-error" role="alert">
              {errors.permissions.message}
            </p>
          )}
          </fieldset>
          <TextField
            label="Expires on"
            type="date"
            hint="Leave empty for a key that does not expire."
            error={errors.expiresOn?.message}
            {...register('expiresOn')}
          />
          <FormDialogActions
            errors={errors}
            submitLabel={apiAccessKey ? 'Save key' : 'Create API access key'}
            submitting={isSubmitting}
            onCancel={onClose}
          />
        </form>
      )}
    </Dialog>
  );
}
