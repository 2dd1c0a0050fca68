import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useMutation } from 'urql';
import { z } from '../../forms/zod';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { showMutationError } from '../../graphql/formErrors';
import { Dialog } from '../../ui/Dialog';
import { FormDialogActions } from '../../ui/DialogActions';
import { TextField } from '../../ui/TextField';
import { useToast } from '../../ui/toast';
import { notHeld, usePermissions } from '../../viewer/permissions';
import { RoleChecklistDialog_RoleFragment } from '../roles/RoleChecklistDialog';

const InviteMemberMutation = graphql(`
  mutation InviteMember($input: InviteMemberInput!) {
    inviteMember(input: $input) {
      invitation {
        id
        email
      }
    }
  }
`);

const schema = z.object({
  email: z.email('Enter a valid email address'),
  roleIds: z.array(z.string()),
});
type InviteForm = z.infer<typeof schema>;

interface InviteMemberDialogProps {
  /** roles are those an invitation may grant on joining (empty without roles:read). */
  roles: ReadonlyArray<FragmentType<typeof RoleChecklistDialog_RoleFragment>>;
  onClose: () => void;
  onInvited: () => void;
}

/**
 * InviteMemberDialog invites an email address, with the roles granted on
 * joining; the server emails the link. Only roles whose permissions the
 * viewer holds can be granted, as the server requires.
 */
export function InviteMemberDialog({ roles: roleRefs, onClose, onInvited }: InviteMemberDialogProps) {
  const roles = getFragmentData(RoleChecklistDialog_RoleFragment, roleRefs);
  const held = usePermissions();
  const toast = useToast();
  const [, invite] = useMutation(InviteMemberMutation);
  // The built-in Viewer (reads everything, changes nothing) is the sensible
  // default, when the viewer may grant it.
  const viewer = roles.find((r) => r.builtInRole === 'VIEWER' && notHeld(held, r.permissions).length === 0);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<InviteForm>({
    resolver: zodResolver(schema),
    defaultValues: { email: '', roleIds: viewer ? [viewer.id] : [] },
  });

  async function onSubmit(input: InviteForm) {
    const result = await invite({ input });
    if (result.error) return showMutationError(result.error, setError, ['email', 'roleIds']);
    toast(`Invitation sent to ${result.data?.inviteMember.invitation.email ?? input.email}.`);
    onInvited();
    onClose();
  }

  return (
    <Dialog title="Invite member" onClose={onClose}>
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="stack">
        <TextField label="Email" type="email" autoComplete="off" error={errors.email?.message} {...register('email')} />
        {roles.length > 0 && (
          <fieldset className="permissions">
            <legend>Roles on joining</legend>
            {roles.map((role) => {
              const cannotGrant = notHeld(held, role.permissions).length > 0;
              return (
                <label key={role.id} className="checkbox">
                  <input type="checkbox" value={role.id} disabled={cannotGrant} {...register('roleIds')} />
                  {role.name} {role.description && <span className="muted">{role.description}</span>}
                  {cannotGrant && <span className="muted">(it holds permissions you do not)</span>}
                </label>
              );
            })}
          </fieldset>
        )}
        <p className="muted">The invitation link works for 7 days.</p>
        <FormDialogActions errors={errors} submitLabel="Send invitation" submitting={isSubmitting} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
