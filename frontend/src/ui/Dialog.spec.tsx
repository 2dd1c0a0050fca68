import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { ConfirmDialog } from './ConfirmDialog';
import { Dialog } from './Dialog';

/** escape does what the browser does when Escape is pressed in a modal dialog: a cancel event. */
function escape(dialog: HTMLElement) {
  return fireEvent(dialog, new Event('cancel', { cancelable: true }));
}

function Opener() {
  const [open, setOpen] = useState(false);
  return (
    <main>
      <h2>Roles</h2>
      <button type="button" onClick={() => setOpen(true)}>
        Create role
      </button>
      {open && (
        <Dialog title="Create role" onClose={() => setOpen(false)}>
          <input aria-label="Name" />
          <button type="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </Dialog>
      )}
    </main>
  );
}

/** Rows lists rows whose Delete asks first; deleted removes the row at once, or only when told (a refetch). */
function Rows({ removeAfterwards }: { removeAfterwards?: boolean }) {
  const [rows, setRows] = useState(['Support', 'Billing']);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [gone, setGone] = useState<string | null>(null);
  return (
    <main>
      <h2>Roles</h2>
      <ul>
        {rows.map((row) => (
          <li key={row}>
            {row}
            <button type="button" onClick={() => setDeleting(row)}>
              Delete {row}
            </button>
          </li>
        ))}
      </ul>
      {gone && (
        <button type="button" onClick={() => setRows((all) => all.filter((r) => r !== gone))}>
          Refetch
        </button>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete role ${deleting}?`}
          confirmLabel="Delete role"
          onConfirm={async () => {
            if (removeAfterwards) setGone(deleting);
            else setRows((all) => all.filter((r) => r !== deleting));
            return null;
          }}
          onClose={() => setDeleting(null)}
        >
          <p>Members holding it lose its permissions.</p>
        </ConfirmDialog>
      )}
    </main>
  );
}

describe('Dialog', () => {
  it('gives the focus back to the button that opened it when it closes', async () => {
    render(<Opener />);
    const opener = screen.getByRole('button', { name: 'Create role' });
    await userEvent.click(opener);
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Create role' })).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await waitFor(() => expect(opener).toHaveFocus());
  });

  it('closes on Escape, and gives the focus back then too', async () => {
    render(<Opener />);
    const opener = screen.getByRole('button', { name: 'Create role' });
    await userEvent.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'Create role' });
    expect(escape(dialog)).toBe(false);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await waitFor(() => expect(opener).toHaveFocus());
  });

  it('gives the focus to the tab’s heading when the opener went with the change', async () => {
    render(<Rows />);
    await userEvent.click(screen.getByRole('button', { name: 'Delete Support' }));
    await userEvent.click(screen.getByRole('button', { name: 'Delete role' }));
    expect(screen.queryByRole('button', { name: 'Delete Support' })).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Roles' })).toHaveFocus());
  });

  it('moves the focus to the heading when the opener goes only later, with the list fetched again', async () => {
    render(<Rows removeAfterwards />);
    const opener = screen.getByRole('button', { name: 'Delete Support' });
    await userEvent.click(opener);
    await userEvent.click(screen.getByRole('button', { name: 'Delete role' }));
    await waitFor(() => expect(opener).toHaveFocus());
    // The refetch lands: the row goes while its button has the focus.
    fireEvent.click(screen.getByRole('button', { name: 'Refetch' }));
    expect(opener).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Roles' })).toHaveFocus());
  });

  it('follows when the browser closes it itself', async () => {
    const onClose = vi.fn();
    render(
      <Dialog title="Create role" onClose={onClose}>
        <p>Content</p>
      </Dialog>,
    );
    fireEvent(screen.getByRole('dialog'), new Event('close'));
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});
