import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockClient, type Answer } from '../../test/mockClient';
import { renderRoute } from '../../test/renderRoute';
import { SecretsPage } from './SecretsPage';

const actor = { email: 'ada@example.com', name: 'Ada' };
const dbPassword = {
  id: 's1',
  name: 'DB_PASSWORD',
  description: 'Warehouse',
  createdAt: '2025-01-01T00:00:00Z',
  createdBy: actor,
  updatedAt: '2025-01-02T00:00:00Z',
  updatedBy: actor,
};

function renderSecrets(mutations: Record<string, (variables: Record<string, unknown>) => Answer> = {}) {
  const mock = mockClient({ SecretsPage: () => ({ data: { secrets: [dbPassword] } }), ...mutations });
  renderRoute(SecretsPage, { url: '/settings/secrets', client: mock.client, permissions: ['secrets:read', 'secrets:write'] });
  return mock;
}

describe('Secrets', () => {
  it('lists secrets by name and never shows a value', async () => {
    renderSecrets();
    const row = within(await screen.findByRole('table', { name: 'Secrets' })).getByRole('row', { name: /DB_PASSWORD/ });
    expect(within(row).getByLabelText('Value hidden')).toBeInTheDocument();
    expect(row).toHaveTextContent('by ada@example.com');
  });

  it('checks the name rule before creating', async () => {
    const { calls } = renderSecrets();
    await userEvent.click(await screen.findByRole('button', { name: 'Create secret' }));
    const dialog = screen.getByRole('dialog', { name: 'Create secret' });
    await userEvent.type(within(dialog).getByLabelText('Name'), 'db-password');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create secret' }));
    // The form checks its rules asynchronously, after the click has returned.
    await waitFor(() => expect(within(dialog).getByLabelText('Name')).toHaveAccessibleDescription(/Use 1 to 128 of A–Z, 0–9 and _/));
    expect(within(dialog).getByLabelText('Value')).toHaveAccessibleDescription(/Enter the value/);
    expect(calls('CreateSecret')).toEqual([]);
  });

  it('creates a secret and shows the list as the server has it', async () => {
    const { calls } = renderSecrets({ CreateSecret: () => ({ data: { createSecret: { secret: { id: 's2' } } } }) });
    await userEvent.click(await screen.findByRole('button', { name: 'Create secret' }));
    const dialog = screen.getByRole('dialog', { name: 'Create secret' });
    await userEvent.type(within(dialog).getByLabelText('Name'), 'API_TOKEN');
    await userEvent.type(within(dialog).getByLabelText('Value'), 's3cr3t');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create secret' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(calls('CreateSecret')).toEqual([{ input: { name: 'API_TOKEN', description: '', value: 's3cr3t' } }]);
    expect(calls('SecretsPage').length).toBeGreaterThan(1);
  });

  it('keeps the stored value when editing without typing a new one', async () => {
    const { calls } = renderSecrets({ UpdateSecret: () => ({ data: { updateSecret: { secret: dbPassword } } }) });
    await userEvent.click(await screen.findByRole('button', { name: 'Edit DB_PASSWORD' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit secret DB_PASSWORD' });
    expect(within(dialog).getByLabelText('New value')).toHaveValue('');
    await userEvent.type(within(dialog).getByLabelText('Description'), ' replica');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save secret' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(calls('UpdateSecret')).toEqual([
      { input: { id: 's1', name: 'DB_PASSWORD', description: 'Warehouse replica' } },
    ]);
  });

  it('shows a name clash from the server at the name, inside the dialog', async () => {
    renderSecrets({
      CreateSecret: () => ({
        errors: [{ message: 'a secret named DB_PASSWORD already exists', extensions: { code: 'CONFLICT', field: 'name' } }],
      }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Create secret' }));
    const dialog = screen.getByRole('dialog', { name: 'Create secret' });
    await userEvent.type(within(dialog).getByLabelText('Name'), 'DB_PASSWORD');
    await userEvent.type(within(dialog).getByLabelText('Value'), 'x');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create secret' }));
    await waitFor(() =>
      expect(within(dialog).getByLabelText('Name')).toHaveAccessibleDescription(/A secret named DB_PASSWORD already exists\.$/),
    );
  });
});
