import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockClient } from '../../../test/mockClient';
import { renderRoute } from '../../../test/renderRoute';
import { LogStreamTestDialog } from './LogStreamTestDialog';

function renderTest(answer: { ok: boolean; message: string }, onClose = () => {}) {
  const mock = mockClient({
    TestLogStream: () => ({ data: { testLogStream: { ...answer, durationMs: 42 } } }),
  });
  renderRoute(() => <LogStreamTestDialog stream={{ id: 's1', name: 'SIEM' }} onClose={onClose} />, {
    url: '/settings/audit-log/streams',
    client: mock.client,
  });
  return mock;
}

describe('Send test event', () => {
  it('sends one test event through the stream as soon as it opens, and says it arrived', async () => {
    const { calls } = renderTest({ ok: true, message: 'The receiver answered HTTP 204.' });
    expect(await screen.findByText('Test event delivered')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('in 42 ms');
    expect(screen.getByRole('status')).toHaveTextContent('The receiver answered HTTP 204.');
    expect(calls('TestLogStream')).toEqual([{ input: { id: 's1' } }]);
  });

  it('says what to check when the event did not arrive', async () => {
    const onClose = vi.fn();
    renderTest({ ok: false, message: 'nothing accepted the connection at siem.example:443' }, onClose);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Test event not delivered');
    expect(alert).toHaveTextContent('nothing accepted the connection at siem.example:443');
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalled();
  });
});
