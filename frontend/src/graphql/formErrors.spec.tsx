import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useForm } from 'react-hook-form';
import { CombinedError } from 'urql';
import { Dialog } from '../ui/Dialog';
import { FormDialogActions } from '../ui/DialogActions';
import { TextField } from '../ui/TextField';
import { ToastProvider } from '../ui/ToastProvider';
import { showExpiryMutationError, showMutationError } from './formErrors';

type Failure = ReadonlyArray<{ message: string; extensions: Record<string, unknown> }> | null;

/** RoleDialog is a form dialog whose save answers each failure in turn (null: it succeeds). */
function RoleDialog({ failures }: { failures: Failure[] }) {
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<{ name: string; description: string }>({ defaultValues: { name: '', description: '' } });
  async function save() {
    const failure = failures.shift();
    if (failure) showMutationError(new CombinedError({ graphQLErrors: [...failure] }), setError, ['name', 'description']);
  }
  return (
    <Dialog title="Create role" onClose={() => {}}>
      <form onSubmit={handleSubmit(save)} noValidate>
        <TextField label="Name" error={errors.name?.message} {...register('name')} />
        <TextField label="Description" error={errors.description?.message} {...register('description')} />
        <FormDialogActions submitLabel="Create role" submitting={isSubmitting} onCancel={() => {}} errors={errors} />
      </form>
    </Dialog>
  );
}

function renderRoleDialog(...failures: Failure[]) {
  render(
    <ToastProvider>
      <RoleDialog failures={failures} />
    </ToastProvider>,
  );
  const dialog = screen.getByRole('dialog', { name: 'Create role' });
  return { dialog, save: () => userEvent.click(within(dialog).getByRole('button', { name: 'Create role' })) };
}

const conflictOnName = [{ message: 'a role named "Support" already exists', extensions: { code: 'CONFLICT', field: 'name' } }];
const refused = [{ message: 'the organization is being deleted', extensions: { code: 'CONFLICT' } }];

describe('A server error in a form dialog', () => {
  it('goes to the field it names, as an announced sentence, and takes the focus there', async () => {
    const { dialog, save } = renderRoleDialog(conflictOnName);
    await save();
    const name = within(dialog).getByLabelText('Name');
    await waitFor(() => expect(name).toHaveAccessibleDescription('A role named "Support" already exists.'));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('A role named "Support" already exists.');
    expect(name).toHaveFocus();
    expect(document.querySelector('.toast')).toBeNull();
  });

  it('without a field, shows inside the dialog above its buttons, never as a toast', async () => {
    const { dialog, save } = renderRoleDialog(refused);
    await save();
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('The organization is being deleted.');
    expect(alert.nextElementSibling).toContainElement(within(dialog).getByRole('button', { name: 'Create role' }));
    expect(document.querySelector('.toast')).toBeNull();
  });

  it('naming a field the form does not have, still shows, beside the ones it has', async () => {
    const { dialog, save } = renderRoleDialog([
      ...conflictOnName,
      { message: 'unknown permission "x"', extensions: { code: 'BAD_USER_INPUT', field: 'permissions' } },
    ]);
    await save();
    await waitFor(() => expect(within(dialog).getAllByRole('alert')).toHaveLength(2));
    expect(within(dialog).getByLabelText('Name')).toHaveAccessibleDescription('A role named "Support" already exists.');
    expect(within(dialog).getByText('Unknown permission "x".')).toHaveClass('form-error');
  });

  it('does not outlive the next successful save', async () => {
    const { dialog, save } = renderRoleDialog(refused, conflictOnName, null);
    await save();
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('The organization is being deleted.');
    await save();
    await waitFor(() => expect(within(dialog).getByRole('alert')).toHaveTextContent('A role named "Support" already exists.'));
    expect(within(dialog).queryByText('The organization is being deleted.')).not.toBeInTheDocument();
    await save();
    await waitFor(() => expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument());
  });
});

describe('showExpiryMutationError', () => {
  it('puts the server’s expiresAt on the form’s expiresOn', async () => {
    function KeyForm() {
      const {
        register,
        handleSubmit,
        setError,
        formState: { errors },
      } = useForm<{ name: string; expiresOn: string }>({ defaultValues: { name: 'nightly', expiresOn: '' } });
      const failure = new CombinedError({
        graphQLErrors: [{ message: 'expiresAt must be in the future', extensions: { code: 'BAD_USER_INPUT', field: 'expiresAt' } }],
      });
      return (
        <form onSubmit={handleSubmit(() => showExpiryMutationError(failure, setError, ['name']))}>
          <TextField label="Expires on" error={errors.expiresOn?.message} {...register('expiresOn')} />
          <button type="submit">Create</button>
        </form>
      );
    }
    render(<KeyForm />);
    await userEvent.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Expires on')).toHaveAccessibleDescription('expiresAt must be in the future.'),
    );
  });
});
