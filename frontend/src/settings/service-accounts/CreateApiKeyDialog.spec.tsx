import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'urql';
import { mockClient } from '../../test/mockClient';
import { CreateApiKeyDialog } from './CreateApiKeyDialog';

describe('Creating an API key', () => {
  it('shows the new key once, with a button that copies it', async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const onCreated = vi.fn();
    const { client, calls } = mockClient({ CreateApiKey: () => ({ data: { createApiKey: { key: 'ot_sa_secret123' } } }) });
    render(
      <Provider value={client}>
        <CreateApiKeyDialog serviceAccount={{ id: 'sa1', name: 'Exporter' }} onClose={() => {}} onCreated={onCreated} />
      </Provider>,
    );
    const dialog = screen.getByRole('dialog', { name: 'Create API key for Exporter' });
    await userEvent.type(within(dialog).getByLabelText('Name'), 'nightly');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create API key' }));

    expect(await within(dialog).findByLabelText('API key')).toHaveTextContent('ot_sa_secret123');
    expect(dialog).toHaveTextContent('it will not be shown again');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Copy API key' }));
    expect(writeText).toHaveBeenCalledWith('ot_sa_secret123');
    expect(calls('CreateApiKey')).toEqual([{ input: { serviceAccountId: 'sa1', name: 'nightly', expiresAt: null } }]);
    expect(onCreated).toHaveBeenCalled();
  });
});
