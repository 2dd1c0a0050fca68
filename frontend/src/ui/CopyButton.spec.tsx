import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CopyButton } from './CopyButton';

function stubClipboard(writeText: (text: string) => Promise<void>) {
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
}

describe('CopyButton', () => {
  it('copies the value and says so', async () => {
    const writeText = vi.fn(async () => {});
    stubClipboard(writeText);
    render(<CopyButton value="01a2-id" label="Copy resource ID" />);
    await userEvent.click(screen.getByRole('button', { name: 'Copy resource ID' }));
    expect(writeText).toHaveBeenCalledWith('01a2-id');
    expect(screen.getByRole('status')).toHaveTextContent('Copied');
  });

  it('says when the browser refuses to copy', async () => {
    stubClipboard(async () => {
      throw new DOMException('Write permission denied.', 'NotAllowedError');
    });
    render(<CopyButton value="01a2-id" label="Copy resource ID" />);
    await userEvent.click(screen.getByRole('button', { name: 'Copy resource ID' }));
    expect(screen.getByRole('status')).toHaveTextContent('Could not copy');
  });
});
