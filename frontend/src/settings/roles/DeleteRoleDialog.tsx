import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { useConfirmedMutation } from '../../graphql/useConfirmedMutation';
import { changeMessage } from '../../ui/changeMessage';
import { ConfirmDialog } from '../../ui/ConfirmDialog';

const DeleteRoleDialogQuery = graphql(`
  query DeleteRoleDialog($id: ID!) {
    role(id: $id) {
      id
      holders {
        kind
        id
        name
      }
    }
  }
`);

const DeleteRoleMutation = graphql(`
  mutation DeleteRole($input: DeleteRoleInput!) {
    deleteRole(input: $input) {
      deletedRoleId
    }
  }
`);

/** count says how many, e.g. count(2, 'member') is “2 members”. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

interface DeleteRoleDialogProps {
  role: { id: string; name: string };
  onClose: () => void;
  onDeleted: () => void;
}

/**
 * DeleteRoleDialog confirms deleting a role, saying first who holds it (the
 * members and service accounts that lose its permissions, and how many).
 */
export function DeleteRoleDialog({ role, onClose, onDeleted }: DeleteRoleDialogProps) {
  const [{ data, error }] = useQuery({
    query: DeleteRoleDialogQuery,
    variables: { id: role.id },
    requestPolicy: 'network-only',
  });
  const deleteRole = useConfirmedMutation(DeleteRoleMutation, onDeleted, changeMessage('Role', role.name, 'deleted'));
  const holders = data?.role.holders ?? [];
  const members = holders.filter((h) => h.kind === 'MEMBER');
  const accounts = holders.filter((h) => h.kind === 'SERVICE_ACCOUNT');

  let who;
  if (error) {
    who = <p>Members and service accounts holding this role lose its permissions.</p>;
  } else if (!data) {
    who = <p role="status">Finding who holds {role.name}…</p>;
  } else if (holders.length === 0) {
    who = <p>Nobody holds this role.</p>;
  } else {
    const parts = [
      members.length > 0 && count(members.length, 'member'),
      accounts.length > 0 && count(accounts.length, 'service account'),
    ];
    who = (
      <>
        <p>
          {parts.filter(Boolean).join(' and ')} {holders.length === 1 ? 'holds' : 'hold'} this role and will lose its
          permissions:
        </p>
        <ul aria-label={`Holders of ${role.name}`} className="holder-list">
          {holders.map((h) => (
            <li key={h.id}>
              {h.name} <span className="muted">{h.kind === 'MEMBER' ? 'member' : 'service account'}</span>
            </li>
          ))}
        </ul>
      </>
    );
  }

  return (
    <ConfirmDialog
      title={`Delete role ${role.name}?`}
      confirmLabel="Delete role"
      onConfirm={() => deleteRole({ input: { id: role.id } })}
      onClose={onClose}
    >
      {who}
    </ConfirmDialog>
  );
}
