import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { leaveNotice, peekNotice } from './notice';
import { PageNotice } from './PageNotice';

describe('PageNotice', () => {
  it('shows the notice the previous page left, once, until dismissed', async () => {
    leaveNotice('Doomed was deleted. You are now in Acme.');
    const { unmount } = render(<PageNotice />);
    expect(screen.getByRole('status')).toHaveTextContent('Doomed was deleted. You are now in Acme.');
    expect(peekNotice()).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    unmount();
    render(<PageNotice />);
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });
});
