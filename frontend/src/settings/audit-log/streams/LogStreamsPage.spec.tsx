import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockClient, type Answer } from '../../../test/mockClient';
import { renderRoute } from '../../../test/renderRoute';
import { LogStreamsPage } from './LogStreamsPage';

const field = (name: string, label: string, kind: string, extra: Record<string, unknown> = {}) => ({
  name,
  label,
  description: '',
  kind,
  required: false,
  default: null,
  options: [],
  ...extra,
});
const webhook = {
  destination: 'WEBHOOK',
  label: 'HTTPS webhook',
  formats: ['JSON', 'OCSF'],
  configFields: [field('url', 'URL', 'URL', { required: true }), field('caCertificate', 'CA certificate (PEM)', 'CERTIFICATE')],
  credentialFields: [field('secret', 'Signing secret', 'SECRET')],
};
const stream = (extra: Record<string, unknown> = {}) => ({
  id: 's1',
  name: 'SIEM',
  destination: 'WEBHOOK',
  format: 'JSON',
  config: { url: 'https://siem.example/hook' },
  credentialFields: ['secret'],
  categories: [],
  actions: [],
  state: 'ACTIVE',
  lagEvents: 0,
  lagSeconds: 0,
  lastDeliveryAt: '2026-12-03T10:00:00Z',
  lastError: null,
  lastErrorAt: null,
  failureReason: null,
  nextAttemptAt: null,
  deliveredEvents: 1200,
  resentEvents: 0,
  ...extra,
});

function renderStreams(
  mutations: Record<string, (variables: Record<string, unknown>) => Answer> = {},
  streams: ReadonlyArray<unknown> = [stream()],
  permissions = ['audit_log:read', 'organization:write'],
) {
  const mock = mockClient({
    LogStreamsPage: () => ({
      data: {
        logStreams: streams,
        logStreamDestinations: [webhook],
        auditCategories: [
          { category: 'AUTHENTICATION', label: 'Authentication' },
          { category: 'SECRETS', label: 'Secrets' },
        ],
      },
    }),
    ...mutations,
  });
  renderRoute(LogStreamsPage, { url: '/settings/audit-log/streams', client: mock.client, permissions });
  return mock;
}

describe('Log streams', () => {
  it('shows each stream’s state, lag, deliveries and last error', async () => {
    renderStreams(undefined, [
      stream(),
      stream({
        id: 's2',
        name: 'Archive',
        state: 'FAILED',
        lagEvents: 4200,
        lagSeconds: 7200,
        lastError: 'the receiver answered HTTP 503 Service Unavailable',
        lastErrorAt: '2026-12-03T10:00:00Z',
        failureReason: 'Nothing could be delivered for 7 days',
      }),
    ]);
    const table = await screen.findByRole('table', { name: 'Log streams' });
    const ok = within(table).getByRole('row', { name: /SIEM/ });
    expect(ok).toHaveTextContent('Active');
    expect(ok).toHaveTextContent('Up to date');
    expect(ok).toHaveTextContent('1,200 delivered');
    const failed = within(table).getByRole('row', { name: /Archive/ });
    expect(failed).toHaveTextContent('Failed');
    expect(failed).toHaveTextContent('4,200 events, 2 h');
    expect(failed).toHaveTextContent('HTTP 503');
    expect(within(failed).getByRole('button', { name: 'Resume Archive' })).toBeInTheDocument();
    expect(within(ok).getByRole('button', { name: 'Pause SIEM' })).toBeInTheDocument();
  });

  it('adds a webhook stream and shows its signing secret once', async () => {
    const { calls } = renderStreams({
      CreateLogStream: () => ({ data: { createLogStream: { logStream: { id: 's3' }, signingSecret: 'whsec_abc' } } }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Add stream' }));
    const dialog = screen.getByRole('dialog', { name: 'Add log stream' });
    await userEvent.type(within(dialog).getByLabelText('Name'), 'Hook');
    await userEvent.selectOptions(within(dialog).getByLabelText('Destination'), 'HTTPS webhook');
    await userEvent.type(within(dialog).getByLabelText('URL (required)'), 'https://hooks.example/in');
    await userEvent.selectOptions(within(dialog).getByLabelText('Format'), 'OCSF');
    await userEvent.click(within(dialog).getByLabelText('Secrets'));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add stream' }));
    // The form checks its rules asynchronously, after the click has returned.
    await waitFor(() => expect(calls('CreateLogStream')).toHaveLength(1));
    expect(calls('CreateLogStream')).toEqual([
      {
        input: {
          name: 'Hook',
          destination: 'WEBHOOK',
          format: 'OCSF',
          filter: { categories: ['SECRETS'], actions: [] },
          config: { url: 'https://hooks.example/in' },
          credentials: {},
        },
      },
    ]);
    expect(await screen.findByLabelText('signing secret')).toHaveTextContent('whsec_abc');
  });

  it('offers no changes to a viewer who cannot change settings', async () => {
    renderStreams(undefined, [stream()], ['audit_log:read']);
    await screen.findByRole('table', { name: 'Log streams' });
    expect(screen.queryByRole('button', { name: 'Add stream' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Pause/ })).not.toBeInTheDocument();
  });
});
