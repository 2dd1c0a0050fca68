import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'urql';
import { makeFragmentData } from '../gql';
import { mockClient, type Answer } from '../test/mockClient';
import { navigateAway } from './navigateAway';
import { OrganizationSwitcher, OrganizationSwitcher_ViewerFragment } from './OrganizationSwitcher';

vi.mock('./navigateAway', () => ({ navigateAway: vi.fn() }));

const viewer = makeFragmentData(
  {
    user: { id: 'u1' },
    organization: { id: 'org-acme', name: 'Acme' },
    organizations: [
      { id: 'org-acme', name: 'Acme' },
      { id: 'org-eu', name: 'Acme EU' },
    ],
  },
  OrganizationSwitcher_ViewerFragment,
);

function renderSwitcher(switchOrganization: () => Answer) {
  const mock = mockClient({ SwitchOrganization: switchOrganization });
  render(
    <Provider value={mock.client}>
      <OrganizationSwitcher viewer={viewer} />
    </Provider>,
  );
  return mock;
}

afterEach(() => {
  vi.mocked(navigateAway).mockReset();
});

describe('Organization switcher', () => {
  it('moves the session to the chosen organization and reloads its settings', async () => {
    const { calls } = renderSwitcher(() => ({
      data: { switchOrganization: { viewer: { organization: { id: 'org-eu' } } } },
    }));
    await userEvent.selectOptions(screen.getByLabelText('Organization'), 'Acme EU');
    await waitFor(() => expect(navigateAway).toHaveBeenCalledWith('/settings'));
    expect(calls('SwitchOrganization')).toEqual([{ input: { organizationId: 'org-eu' } }]);
  });

  it('sends the person to sign in the way the organization asks when it refuses their sign-in', async () => {
    const signInUrl = '/sign-in?next=%2Fsettings&organization=org-eu';
    renderSwitcher(() => ({
      errors: [
        {
          message: 'Acme EU does not accept sign-in with an email link: sign in the way it asks to enter it',
          extensions: { code: 'FORBIDDEN', reason: 'SIGN_IN_REQUIRED', signInUrl },
        },
      ],
    }));
    await userEvent.selectOptions(screen.getByLabelText('Organization'), 'Acme EU');
    await waitFor(() => expect(navigateAway).toHaveBeenCalledWith(signInUrl));
    expect(navigateAway).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('never follows a sign-in address that leaves the site', async () => {
    renderSwitcher(() => ({
      errors: [
        {
          message: 'Acme EU does not accept sign-in with an email link: sign in the way it asks to enter it',
          extensions: { code: 'FORBIDDEN', reason: 'SIGN_IN_REQUIRED', signInUrl: '//evil.example/sign-in' },
        },
      ],
    }));
    await userEvent.selectOptions(screen.getByLabelText('Organization'), 'Acme EU');
    expect(await screen.findByRole('alert')).toHaveTextContent('Acme EU does not accept sign-in with an email link');
    expect(navigateAway).not.toHaveBeenCalled();
  });

  it('shows any other refusal and stays', async () => {
    renderSwitcher(() => ({
      errors: [{ message: 'organization org-eu not found', extensions: { code: 'NOT_FOUND' } }],
    }));
    await userEvent.selectOptions(screen.getByLabelText('Organization'), 'Acme EU');
    expect(await screen.findByRole('alert')).toHaveTextContent('Organization org-eu not found.');
    expect(navigateAway).not.toHaveBeenCalled();
  });
});
