import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockClient, type Answer } from '../../../test/mockClient';
import { renderRoute } from '../../../test/renderRoute';
import { LogStreamsPage } from './LogStreamsPage';

// A row needs the page around it (its fragment, the destinations, the
// categories), so it is rendered by the page, with one stream.

const stream = {
  id: 's1',
  name: 'SIEM',
  destination: 'SPLUNK_HEC',
  format: 'OCSF',
  config: { url: 'https://splunk.example:8088' },
  credentialFields: ['token'],
  categories: [],
  actions: [],
  state: 'RETRYING',
  lagEvents: 1,
  lagSeconds: 12,
  lastDeliveryAt: null,
  lastError: 'the receiver answered HTTP 503 Service Unavailable',
  lastErrorAt: '2026-12-03T10:00:00Z',
  failureReason: null,
  nextAttemptAt: '2026-12-03T10:00:05Z',
  deliveredEvents: 0,
  resentEvents: 3,
};

function renderRow(mutations: Record<string, (variables: Record<string, unknown>) => Answer>) {
  const mock = mockClient({
    LogStreamsPage: () => ({ data: { logStreams: [stream], logStreamDestinations: [], auditCategories: [] } }),
    ...mutations,
  });
  renderRoute(LogStreamsPage, {
    url: '/settings/audit-log/streams',
    client: mock.client,
    permissions: ['audit_log:read', 'organization:write'],
  });
  return mock;
}

describe('A log stream’s row', () => {
  it('shows a retrying stream’s lag and last error, and pauses it', async () => {
    const { calls } = renderRow({
      PauseLogStream: () => ({ data: { pauseLogStream: { logStream: { id: 's1', state: 'PAUSED' } } } }),
    });
    const row = await screen.findByRole('row', { name: /SIEM/ });
    expect(row).toHaveTextContent('Retrying');
    expect(row).toHaveTextContent('1 event, 12 s');
    expect(row).toHaveTextContent('HTTP 503');
    await userEvent.click(within(row).getByRole('button', { name: 'Pause SIEM' }));
    await waitFor(() => expect(calls('PauseLogStream')).toEqual([{ input: { id: 's1' } }]));
  });

  it('deletes only once the admin confirms', async () => {
    const { calls } = renderRow({
      DeleteLogStream: () => ({ data: { deleteLogStream: { deletedLogStreamId: 's1' } } }),
    });
    const row = await screen.findByRole('row', { name: /SIEM/ });
    await userEvent.click(within(row).getByRole('button', { name: 'Delete SIEM' }));
    const confirm = screen.getByRole('dialog', { name: 'Delete log stream SIEM?' });
    await userEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(calls('DeleteLogStream')).toEqual([]);
    await userEvent.click(within(row).getByRole('button', { name: 'Delete SIEM' }));
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Delete log stream SIEM?' })).getByRole('button', { name: 'Delete stream' }));
    await waitFor(() => expect(calls('DeleteLogStream')).toEqual([{ input: { id: 's1' } }]));
  });
});
