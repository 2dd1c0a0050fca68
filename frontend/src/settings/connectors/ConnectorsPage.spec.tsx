import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockClient, type Answer } from '../../test/mockClient';
import { renderRoute } from '../../test/renderRoute';
import { ConnectorsPage } from './ConnectorsPage';

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
const postgresql = {
  type: 'POSTGRESQL',
  label: 'PostgreSQL',
  testable: true,
  configFields: [
    field('host', 'Host', 'HOST', { required: true }),
    field('port', 'Port', 'PORT', { default: '5432' }),
    field('database', 'Database', 'STRING', { required: true }),
    field('sslMode', 'SSL mode', 'ENUM', { default: 'require', options: ['disable', 'require'] }),
  ],
  credentialFields: [field('password', 'Password', 'SECRET')],
};
const warehouse = {
  id: 'c1',
  name: 'Warehouse',
  type: 'POSTGRESQL',
  config: { host: 'db.example.com', port: 5432, database: 'dw', sslMode: 'require' },
  credentialFields: ['password'],
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-02T00:00:00Z',
  lastTest: null,
};

function renderConnectors(
  mutations: Record<string, (variables: Record<string, unknown>) => Answer> = {},
  connectors: ReadonlyArray<unknown> = [warehouse],
) {
  const mock = mockClient({
    ConnectorsPage: () => ({ data: { connectors, connectorTypes: [postgresql] } }),
    ...mutations,
  });
  renderRoute(ConnectorsPage, {
    url: '/settings/connectors',
    client: mock.client,
    permissions: ['connectors:read', 'connectors:write'],
  });
  return mock;
}

describe('Connectors', () => {
  it('lists connectors with their settings and which credentials are set, never their values', async () => {
    renderConnectors();
    const row = within(await screen.findByRole('table', { name: 'Connectors' })).getByRole('row', { name: /Warehouse/ });
    expect(row).toHaveTextContent('PostgreSQL');
    expect(row).toHaveTextContent('Hostdb.example.com');
    expect(within(row).getByRole('list', { name: 'Credentials of Warehouse' })).toHaveTextContent('Password: set');
  });

  it('builds the form from the type’s fields and checks required ones first', async () => {
    const { calls } = renderConnectors();
    await userEvent.click(await screen.findByRole('button', { name: 'Create connector' }));
    const dialog = screen.getByRole('dialog', { name: 'Create connector' });
    await userEvent.type(within(dialog).getByLabelText('Name'), 'Replica');
    await userEvent.selectOptions(within(dialog).getByLabelText('Type'), 'PostgreSQL');
    expect(within(dialog).getByLabelText('SSL mode')).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Password')).toHaveAttribute('type', 'password');
    await userEvent.type(within(dialog).getByLabelText('Port'), '99999');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create connector' }));
    // The form checks its rules asynchronously, after the click has returned.
    await waitFor(() => expect(within(dialog).getByLabelText('Host (required)')).toHaveAccessibleDescription(/Enter Host/));
    expect(within(dialog).getByLabelText('Port')).toHaveAccessibleDescription(/Enter a port from 1 to 65535/);
    expect(calls('CreateConnector')).toEqual([]);
  });

  it('creates a connector with typed values and shows the server’s objection next to its field', async () => {
    const { calls } = renderConnectors({
      CreateConnector: () => ({
        errors: [{ message: 'database is required', extensions: { code: 'BAD_USER_INPUT', field: 'config.database' } }],
      }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Create connector' }));
    const dialog = screen.getByRole('dialog', { name: 'Create connector' });
    await userEvent.type(within(dialog).getByLabelText('Name'), 'Replica');
    await userEvent.selectOptions(within(dialog).getByLabelText('Type'), 'PostgreSQL');
    await userEvent.type(within(dialog).getByLabelText('Host (required)'), 'replica.example.com');
    await userEvent.type(within(dialog).getByLabelText('Port'), '6432');
    await userEvent.type(within(dialog).getByLabelText('Database (required)'), 'dw');
    await userEvent.type(within(dialog).getByLabelText('Password'), 'pw');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create connector' }));
    await waitFor(() =>
      expect(within(dialog).getByLabelText('Database (required)')).toHaveAccessibleDescription('Database is required.'),
    );
    expect(calls('CreateConnector')).toEqual([
      {
        input: {
          name: 'Replica',
          type: 'POSTGRESQL',
          config: { host: 'replica.example.com', port: 6432, database: 'dw' },
          credentials: { password: 'pw' },
        },
      },
    ]);
  });

  it('sends only what changed when editing, keeping stored credentials', async () => {
    const { calls } = renderConnectors({
      UpdateConnector: () => ({ data: { updateConnector: { connector: warehouse } } }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Edit Warehouse' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit connector Warehouse' });
    expect(within(dialog).getByLabelText('Password')).toHaveValue('');
    expect(within(dialog).getByLabelText('Password')).toHaveAccessibleDescription(/A value is stored; it is never shown/);
    await userEvent.clear(within(dialog).getByLabelText('Database (required)'));
    await userEvent.type(within(dialog).getByLabelText('Database (required)'), 'analytics');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save connector' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(calls('UpdateConnector')).toEqual([{ input: { id: 'c1', name: 'Warehouse', config: { database: 'analytics' } } }]);
  });

  it('tests a connection, says what happened, and lists the connectors again to show it', async () => {
    const message = 'PostgreSQL rejected the password of user reader. Check the username and the password.';
    const { calls } = renderConnectors({
      TestConnector: () => ({ data: { testConnector: { supported: true, ok: false, message, durationMs: 42 } } }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Test connection Warehouse' }));
    const dialog = screen.getByRole('dialog', { name: 'Test connection: Warehouse' });
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Connection failed after 42 ms.');
    expect(within(dialog).getByRole('alert')).toHaveTextContent(message);
    await waitFor(() => expect(calls('ConnectorsPage').length).toBeGreaterThan(1));
  });

  it('shows each connector’s last test: whether it connected, and what to check when it failed', async () => {
    const failed = {
      ...warehouse,
      lastTest: {
        ok: false,
        message: 'The host name db.example.com did not resolve to any address.',
        testedAt: new Date(Date.now() - 120_000).toISOString(),
        durationMs: 12,
      },
    };
    const never = { ...warehouse, id: 'c2', name: 'Lake', lastTest: null };
    renderConnectors({}, [failed, never]);
    const table = await screen.findByRole('table', { name: 'Connectors' });
    const row = within(table).getByRole('row', { name: /Warehouse/ });
    expect(row).toHaveTextContent('Failed2 minutes ago, 12 msThe host name db.example.com did not resolve to any address.');
    expect(within(table).getByRole('row', { name: /Lake/ })).toHaveTextContent('Not tested');
  });
});
