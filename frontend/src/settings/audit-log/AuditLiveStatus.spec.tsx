import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { vi } from 'vitest';
import { AuditLiveStatus } from './AuditLiveStatus';
import type { LiveTail } from './useLiveTail';

function tail(overrides: Partial<LiveTail>): LiveTail {
  return { status: 'live', shown: [], held: 0, arrived: 0, paused: false, setPaused: vi.fn(), ...overrides };
}

describe('AuditLiveStatus', () => {
  it('says nothing while the live tail is off', () => {
    const { container } = render(<AuditLiveStatus tail={tail({ status: 'off' })} onRestart={vi.fn()} />);
    expect(container).toBeEmptyDOMElement();
  });

  it('counts what arrived and pauses', async () => {
    const live = tail({ arrived: 3 });
    render(<AuditLiveStatus tail={live} onRestart={vi.fn()} />);
    expect(screen.getByRole('status')).toHaveTextContent('Live: 3 new events since Live began');
    await userEvent.click(screen.getByRole('button', { name: 'Pause' }));
    expect(live.setPaused).toHaveBeenCalledWith(true);
  });

  it('says how many events it holds back while paused, and shows them on resume', async () => {
    const paused = tail({ paused: true, held: 1, arrived: 4 });
    render(<AuditLiveStatus tail={paused} onRestart={vi.fn()} />);
    expect(screen.getByRole('status')).toHaveTextContent('Paused: 1 new event held back, 4 since Live began');
    await userEvent.click(screen.getByRole('button', { name: 'Resume and show 1 new event' }));
    expect(paused.setPaused).toHaveBeenCalledWith(false);
  });

  it('says why it stopped and offers to reconnect', async () => {
    const onRestart = vi.fn();
    render(<AuditLiveStatus tail={tail({ status: 'stopped', error: 'the connection was lost' })} onRestart={onRestart} />);
    expect(screen.getByRole('status')).toHaveTextContent('The live tail stopped: the connection was lost.');
    await userEvent.click(screen.getByRole('button', { name: 'Reconnect' }));
    expect(onRestart).toHaveBeenCalled();
  });
});
