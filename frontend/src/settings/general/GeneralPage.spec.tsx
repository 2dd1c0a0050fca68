import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { navigateAway } from '../../layout/navigateAway';
import { clearNotice, peekNotice } from '../../layout/notice';
import { mockClient, type Answer } from '../../test/mockClient';
import { renderRoute } from '../../test/renderRoute';
import { GeneralPage } from './GeneralPage';

vi.mock('../../layout/navigateAway', () => ({ navigateAway: vi.fn() }));

const settings = { sessionLifetimeHours: 336, sessionIdleMinutes: 1440, signInMethods: ['MAGIC_LINK'], auditRetentionDays: 365 };

function renderGeneral(
  mutations: Record<string, (variables: Record<string, unknown>) => Answer> = {},
  signIn: { method: string; providerName: string | null } | null = { method: 'MAGIC_LINK', providerName: null },
) {
  const mock = mockClient({
    GeneralPage: () => ({ data: { organization: { id: 'o1', name: 'Acme', settings }, viewer: { signIn } } }),
    ...mutations,
  });
  const router = renderRoute(GeneralPage, {
    url: '/settings/general',
    client: mock.client,
    permissions: ['organization:write'],
  });
  return { ...mock, router };
}

beforeEach(() => {
  vi.mocked(navigateAway).mockClear();
  clearNotice();
});

describe('General', () => {
  it('asks before leaving with unsaved changes, and stays when asked to', async () => {
    const { router } = renderGeneral();
    const lifetime = await screen.findByLabelText('Session lifetime (hours)');
    await userEvent.clear(lifetime);
    await userEvent.type(lifetime, '12');
    await act(async () => {
      await router.navigate('/settings/members');
    });
    const prompt = await screen.findByRole('dialog', { name: 'Leave without saving?' });
    await userEvent.click(within(prompt).getByRole('button', { name: 'Stay on this page' }));
    expect(router.state.location.pathname).toBe('/settings/general');
    expect(lifetime).toHaveValue(12);

    await act(async () => {
      await router.navigate('/settings/members');
    });
    const again = await screen.findByRole('dialog', { name: 'Leave without saving?' });
    await userEvent.click(within(again).getByRole('button', { name: 'Leave without saving' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/settings/members'));
  });

  it('lets a saved form go without asking', async () => {
    const organization = { id: 'o1', name: 'Acme', settings };
    const { router } = renderGeneral({
      UpdateOrganizationSettings: () => ({ data: { updateOrganizationSettings: { organization } } }),
    });
    const lifetime = await screen.findByLabelText('Session lifetime (hours)');
    await userEvent.clear(lifetime);
    await userEvent.type(lifetime, '12');
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Settings saved.');
    await act(async () => {
      await router.navigate('/settings/members');
    });
    expect(router.state.location.pathname).toBe('/settings/members');
    expect(screen.queryByRole('dialog', { name: 'Leave without saving?' })).not.toBeInTheDocument();
  });

  it('shows the organization’s settings and saves a change', async () => {
    const organization = { id: 'o1', name: 'Acme', settings };
    const { calls } = renderGeneral({
      UpdateOrganizationSettings: () => ({ data: { updateOrganizationSettings: { organization } } }),
    });
    const lifetime = await screen.findByLabelText('Session lifetime (hours)');
    expect(lifetime).toHaveValue(336);
    expect(screen.getByRole('checkbox', { name: 'Magic link sent by email' })).toBeChecked();
    await userEvent.clear(lifetime);
    await userEvent.type(lifetime, '12');
    await userEvent.click(screen.getByRole('checkbox', { name: /OpenID Connect/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Settings saved.');
    expect(calls('UpdateOrganizationSettings')).toEqual([
      {
        input: {
          name: 'Acme',
          sessionLifetimeHours: 12,
          sessionIdleMinutes: 1440,
          signInMethods: ['MAGIC_LINK', 'OIDC'],
          auditRetentionDays: 365,
        },
      },
    ]);
    expect(calls('GeneralPage').length).toBeGreaterThan(1);
  });

  it('checks the settings against the server’s limits before saving', async () => {
    const { calls } = renderGeneral();
    const retention = await screen.findByLabelText('Audit log retention (days)');
    await userEvent.clear(retention);
    await userEvent.type(retention, '7');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Magic link sent by email' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    // The form checks its rules asynchronously, after the click has returned.
    await waitFor(() => expect(retention).toHaveAccessibleDescription(/Enter a whole number from 30 to 3650/));
    expect(await screen.findByText('Allow at least one sign-in method')).toBeInTheDocument();
    expect(calls('UpdateOrganizationSettings')).toEqual([]);
  });

  it('shows the server’s objection next to the field it names', async () => {
    renderGeneral({
      UpdateOrganizationSettings: () => ({
        errors: [{ message: 'organization name must be 1 to 100 characters', extensions: { code: 'BAD_USER_INPUT', field: 'name' } }],
      }),
    });
    const name = await screen.findByLabelText('Organization name');
    await userEvent.type(name, ' Corp');
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(name).toHaveAccessibleDescription('Organization name must be 1 to 100 characters.'));
  });

  it('asks before cutting the audit retention, saying how many events it hides', async () => {
    const organization = { id: 'o1', name: 'Acme', settings };
    const { calls } = renderGeneral({
      AuditEventsHiddenByRetention: () => ({ data: { auditEventsHiddenByRetention: 1234 } }),
      UpdateOrganizationSettings: () => ({ data: { updateOrganizationSettings: { organization } } }),
    });
    const retention = await screen.findByLabelText('Audit log retention (days)');
    await userEvent.clear(retention);
    await userEvent.type(retention, '30');
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    const dialog = screen.getByRole('dialog', { name: 'Save these settings?' });
    expect(await within(dialog).findByText(/1,234 events older than 30 days will no longer be shown/)).toBeInTheDocument();
    expect(calls('AuditEventsHiddenByRetention')).toEqual([{ retentionDays: 30 }]);
    expect(calls('UpdateOrganizationSettings')).toEqual([]);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Settings saved.');
    expect(calls('UpdateOrganizationSettings')).toMatchObject([{ input: { auditRetentionDays: 30 } }]);
  });

  it('saves a longer retention without asking', async () => {
    const organization = { id: 'o1', name: 'Acme', settings };
    const { calls } = renderGeneral({
      UpdateOrganizationSettings: () => ({ data: { updateOrganizationSettings: { organization } } }),
    });
    const retention = await screen.findByLabelText('Audit log retention (days)');
    await userEvent.clear(retention);
    await userEvent.type(retention, '400');
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Settings saved.');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(calls('AuditEventsHiddenByRetention')).toEqual([]);
  });

  it('warns a person whose own sign-in the change stops accepting, then sends them to sign in', async () => {
    const organization = { id: 'o1', name: 'Acme', settings };
    const { calls } = renderGeneral({
      UpdateOrganizationSettings: () => ({ data: { updateOrganizationSettings: { organization } } }),
    });
    await userEvent.click(await screen.findByRole('checkbox', { name: /OpenID Connect/ }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Magic link sent by email' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    const dialog = screen.getByRole('dialog', { name: 'Save these settings?' });
    expect(dialog).toHaveTextContent(
      'You will be signed out. You signed in with an email link, which Acme will no longer accept: you will be asked to sign in through an identity provider.',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save settings' }));
    await waitFor(() =>
      expect(navigateAway).toHaveBeenCalledWith('/sign-in?organization=o1&next=%2Fsettings%2Fgeneral'),
    );
    expect(calls('UpdateOrganizationSettings')).toMatchObject([{ input: { signInMethods: ['OIDC'] } }]);
  });

  it('shows why the server refuses sign-in methods that would lock everyone out, next to them', async () => {
    const refusal =
      'Acme would be left with no way to sign in: it would accept only identity providers (OpenID Connect) and none would be linked to it.';
    renderGeneral(
      {
        UpdateOrganizationSettings: () => ({
          errors: [{ message: refusal, extensions: { code: 'BAD_USER_INPUT', field: 'signInMethods' } }],
        }),
      },
      null,
    );
    await userEvent.click(await screen.findByRole('checkbox', { name: /OpenID Connect/ }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Magic link sent by email' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(refusal);
    expect(screen.getByRole('group', { name: 'Sign-in methods' })).toHaveAccessibleDescription(refusal);
    expect(navigateAway).not.toHaveBeenCalled();
  });

  it('deletes the organization once its name is typed, and lands in another of the person’s organizations', async () => {
    const { calls } = renderGeneral({
      DeleteOrganization: () => ({
        data: {
          deleteOrganization: {
            deletedOrganizationId: 'o1',
            viewer: { organization: { id: 'o2', name: 'Globex' } },
            signInUrl: null,
          },
        },
      }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Delete organization' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete organization Acme?' });
    await userEvent.type(within(dialog).getByLabelText('Type Acme to confirm'), 'Acme');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete this organization' }));
    await waitFor(() => expect(navigateAway).toHaveBeenCalledWith('/settings'));
    expect(peekNotice()).toBe('Acme was deleted. You are now in Globex.');
    expect(calls('DeleteOrganization')).toEqual([{ input: { confirmName: 'Acme' } }]);
  });

  it('deletes the organization only once its name is typed, then goes to sign-in', async () => {
    const { calls } = renderGeneral({
      DeleteOrganization: () => ({ data: { deleteOrganization: { deletedOrganizationId: 'o1', viewer: null, signInUrl: null } } }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Delete organization' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete organization Acme?' });
    const confirm = within(dialog).getByRole('button', { name: 'Delete this organization' });
    await userEvent.type(within(dialog).getByLabelText('Type Acme to confirm'), 'acme');
    expect(confirm).toBeDisabled();
    await userEvent.clear(within(dialog).getByLabelText('Type Acme to confirm'));
    await userEvent.type(within(dialog).getByLabelText('Type Acme to confirm'), 'Acme');
    await userEvent.click(confirm);
    await waitFor(() => expect(navigateAway).toHaveBeenCalledWith('/sign-in'));
    expect(calls('DeleteOrganization')).toEqual([{ input: { confirmName: 'Acme' } }]);
  });
});
