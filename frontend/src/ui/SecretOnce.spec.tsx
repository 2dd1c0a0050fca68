import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Dialog } from './Dialog';
import { DoneDialogAction } from './DialogActions';
import { SecretOnce } from './SecretOnce';

function renderNewKey() {
  const onClose = vi.fn();
  const writeText = vi.fn(async () => {});
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
  render(
    <Dialog title="New API key" onClose={onClose}>
      <SecretOnce label="API key" value="otsa_secret123" />
      <DoneDialogAction onDone={onClose} />
    </Dialog>,
  );
  const dialog = screen.getByRole('dialog', { name: 'New API key' });
  return { dialog, onClose, writeText };
}

const question = 'You have not copied the API key. Close anyway?';

describe('A key shown once', () => {
  it('puts the focus on its Copy button', () => {
    const { dialog } = renderNewKey();
    expect(within(dialog).getByRole('button', { name: 'Copy API key' })).toHaveFocus();
  });

  it('asks before Escape closes it uncopied, and stays open when told to', async () => {
    const { dialog, onClose } = renderNewKey();
    fireEvent(dialog, new Event('cancel', { cancelable: true }));
    const ask = screen.getByRole('alertdialog', { name: question });
    expect(onClose).not.toHaveBeenCalled();
    await userEvent.click(within(ask).getByRole('button', { name: 'Keep open' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(screen.getByLabelText('API key')).toHaveTextContent('otsa_secret123');
    expect(onClose).not.toHaveBeenCalled();
  });

  it('closes on Escape uncopied when told to', async () => {
    const { dialog, onClose } = renderNewKey();
    fireEvent(dialog, new Event('cancel', { cancelable: true }));
    await userEvent.click(within(screen.getByRole('alertdialog', { name: question })).getByRole('button', { name: 'Close anyway' }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('closes on Done without asking: a choice made', async () => {
    const { dialog, onClose } = renderNewKey();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('closes without asking once copied', async () => {
    const { dialog, onClose, writeText } = renderNewKey();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Copy API key' }));
    expect(writeText).toHaveBeenCalledWith('otsa_secret123');
    fireEvent(dialog, new Event('cancel', { cancelable: true }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('counts a key selected and copied by hand as copied', async () => {
    const { dialog, onClose } = renderNewKey();
    fireEvent.copy(screen.getByLabelText('API key'));
    fireEvent(dialog, new Event('cancel', { cancelable: true }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});
