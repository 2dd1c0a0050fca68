import { useState } from 'react';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { useConfirmedMutation } from '../../graphql/useConfirmedMutation';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { RelativeTime } from '../../ui/RelativeTime';
import { RowActionButton } from '../../ui/RowActionButton';
import { SecretFormDialog } from './SecretFormDialog';
import { changeMessage } from '../../ui/changeMessage';

export const SecretRow_SecretFragment = graphql(`
  fragment SecretRow_Secret on Secret {
    id
    name
    description
    createdAt
    createdBy {
      email
      name
    }
    updatedAt
    updatedBy {
      email
      name
    }
    ...SecretFormDialog_Secret
  }
`);

const DeleteSecretMutation = graphql(`
  mutation DeleteSecret($input: DeleteSecretInput!) {
    deleteSecret(input: $input) {
      deletedSecretId
    }
  }
`);

/** actorName names who did something, as the audit log recorded them. */
function actorName(actor: { email?: string | null; name?: string | null }): string | null {
  return actor.email || actor.name || null;
}

interface SecretRowProps {
  secret: FragmentType<typeof SecretRow_SecretFragment>;
  canWrite: boolean;
  onChanged: () => void;
}

/** SecretRow is one secret: its name and history, never its value. */
export function SecretRow({ secret: secretRef, canWrite, onChanged }: SecretRowProps) {
  const secret = getFragmentData(SecretRow_SecretFragment, secretRef);
  const deleteSecret = useConfirmedMutation(
    DeleteSecretMutation,
    onChanged,
    changeMessage('Secret', secret.name, 'deleted'),
  );
  const [open, setOpen] = useState<'edit' | 'delete' | null>(null);
  const updatedBy = actorName(secret.updatedBy);
  const createdBy = actorName(secret.createdBy);

  return (
    <tr>
      <th scope="row">
        <code>{secret.name}</code>
        {secret.description && <div className="muted">{secret.description}</div>}
      </th>
      <td>
        <span className="muted" aria-label="Value hidden">
          ••••••••
        </span>
      </td>
      <td>
        <RelativeTime iso={secret.updatedAt} />
        {updatedBy && <div className="muted">by {updatedBy}</div>}
      </td>
      <td>
        <RelativeTime iso={secret.createdAt} />
        {createdBy && <div className="muted">by {createdBy}</div>}
      </td>
      <td>
        {canWrite && (
          <div className="row-actions">
            <RowActionButton label="Edit" target={secret.name} onClick={() => setOpen('edit')} />
            <RowActionButton label="Delete" target={secret.name} onClick={() => setOpen('delete')} />
          </div>
        )}
        {open === 'edit' && <SecretFormDialog secret={secret} onClose={() => setOpen(null)} onSaved={onChanged} />}
        {open === 'delete' && (
          <ConfirmDialog
            title={`Delete secret ${secret.name}?`}
            confirmLabel="Delete secret"
            onConfirm={() => deleteSecret({ input: { id: secret.id } })}
            onClose={() => setOpen(null)}
          >
            <p>Its value is gone for good; whatever reads it stops working.</p>
          </ConfirmDialog>
        )}
      </td>
    </tr>
  );
}
