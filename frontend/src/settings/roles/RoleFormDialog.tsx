import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { type CombinedError, useMutation } from 'urql';
import { z } from '../../forms/zod';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { showMutationError } from '../../graphql/formErrors';
import { Dialog } from '../../ui/Dialog';
import { FormDialogActions } from '../../ui/DialogActions';
import { TextField } from '../../ui/TextField';
import { usePermissions } from '../../viewer/permissions';
import { changeMessage } from '../../ui/changeMessage';
import { useToast } from '../../ui/toast';

export const RoleFormDialog_RoleFragment = graphql(`
  fragment RoleFormDialog_Role on Role {
    id
    name
    description
    permissions
  }
`);

export const RoleFormDialog_PermissionFragment = graphql(`
  fragment RoleFormDialog_Permission on PermissionInfo {
    name
    description
  }
`);

const CreateRoleMutation = graphql(`
  mutation CreateRole($input: CreateRoleInput!) {
    createRole(input: $input) {
      role {
        id
      }
    }
  }
`);

const UpdateRoleMutation = graphql(`
  mutation UpdateRole($input: UpdateRoleInput!) {
    updateRole(input: $input) {
      role {
        id
      }
    }
  }
`);

const GrantPermissionMutation = graphql(`
  mutation GrantPermission($input: GrantPermissionInput!) {
    grantPermission(input: $input) {
      role {
        id
      }
    }
  }
`);

const RevokePermissionMutation = graphql(`
  mutation RevokePermission($input: RevokePermissionInput!) {
    revokePermission(input: $input) {
      role {
        id
      }
    }
  }
`);

// The server's rules for a role, checked here first to answer sooner.
const schema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Enter a name')
    .max(64, 'Use at most 64 characters'),
  description: z.string().trim().max(500, 'Use at most 500 characters'),
  permissions: z.array(z.string()),
});
type RoleForm = z.infer<typeof schema>;

interface RoleFormDialogProps {
  /** role is the role to edit; without it the dialog creates one. */
  role?: FragmentType<typeof RoleFormDialog_RoleFragment>;
  permissions: ReadonlyArray<FragmentType<typeof RoleFormDialog_PermissionFragment>>;
  onClose: () => void;
  onSaved: () => void;
}

/**
 * RoleFormDialog creates a role, or edits one: its name and description, and
 * each permission granted or revoked. A permission the viewer does not hold
 * cannot be added (the server refuses it too), only taken away.
 */
export function RoleFormDialog({ role: roleRef, permissions: permissionRefs, onClose, onSaved }: RoleFormDialogProps) {
  const role = getFragmentData(RoleFormDialog_RoleFragment, roleRef);
  const catalog = getFragmentData(RoleFormDialog_PermissionFragment, permissionRefs);
  const held = usePermissions();
  const toast = useToast();
  const [, createRole] = useMutation(CreateRoleMutation);
  const [, updateRole] = useMutation(UpdateRoleMutation);
  const [, grantPermission] = useMutation(GrantPermissionMutation);
  const [, revokePermission] = useMutation(RevokePermissionMutation);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<RoleForm>({
    resolver: zodResolver(schema),
    defaultValues: { name: role?.name ?? '', description: role?.description ?? '', permissions: role?.permissions ?? [] },
  });

  function failed(error: CombinedError) {
    showMutationError(error, setError, ['name', 'description', 'permissions']);
  }

  async function save(form: RoleForm) {
    if (!role) {
      const created = await createRole({ input: form });
      if (created.error) return failed(created.error);
    } else {
      const updated = await updateRole({ input: { id: role.id, name: form.name, description: form.description } });
      if (updated.error) return failed(updated.error);
      const granted = form.permissions.filter((p) => !role.permissions.includes(p));
      const revoked = role.permissions.filter((p) => !form.permissions.includes(p));
      for (const permission of granted) {
        const result = await grantPermission({ input: { roleId: role.id, permission } });
        if (result.error) return failed(result.error);
      }
      for (const permission of revoked) {
        const result = await revokePermission({ input: { roleId: role.id, permission } });
        if (result.error) return failed(result.error);
      }
    }
    toast(changeMessage('Role', form.name, role ? 'updated' : 'created'));
    onSaved();
    onClose();
  }

  return (
    <Dialog title={role ? `Edit role ${role.name}` : 'Create role'} onClose={onClose}>
      <form onSubmit={handleSubmit(save)} noValidate className="stack">
        <TextField label="Name" error={errors.name?.message} {...register('name')} />
        <TextField label="Description" error={errors.description?.message} {...register('description')} />
        <fieldset className="permissions">
          <legend>Permissions</legend>
          {catalog.map((p) => {
            const cannotAdd = !held.has(p.name) && !role?.permissions.includes(p.name);
            return (
              <label key={p.name} className="checkbox">
                <input type="checkbox" value={p.name} disabled={cannotAdd} {...register('permissions')} />
                <code>{p.name}</code> <span className="muted">{p.description}</span>
                {cannotAdd && <span className="muted">(you do not hold it)</span>}
              </label>
            );
          })}
          {errors.permissions && (
            <p className="field-error" role="alert">
              {errors.permissions.message}
            </p>
          )}
        </fieldset>
        <FormDialogActions
          errors={errors}
          submitLabel={role ? 'Save role' : 'Create role'}
          submitting={isSubmitting}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
