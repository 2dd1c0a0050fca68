import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { navigateAway } from '../layout/navigateAway';
import { mockClient } from '../test/mockClient';
import { renderRoute } from '../test/renderRoute';
import { AcceptInvitationPage } from './AcceptInvitationPage';

vi.mock('../layout/navigateAway', () => ({ navigateAway: vi.fn() }));

describe('Accepting an invitation', () => {
  it('joins the organization once, then opens it', async () => {
    const { client, calls } = mockClient({
      AcceptInvitation: () => ({ data: { acceptInvitation: { organization: { id: 'o2', name: 'Acme' } } } }),
      SwitchToJoinedOrganization: () => ({ data: { switchOrganization: { viewer: { organization: { id: 'o2' } } } } }),
    });
    renderRoute(AcceptInvitationPage, { url: '/invitations/accept?token=tok123', client });
    expect(await screen.findByText(/You joined/)).toHaveTextContent('You joined Acme.');
    await userEvent.click(screen.getByRole('button', { name: 'Open Acme' }));
    await waitFor(() => expect(navigateAway).toHaveBeenCalledWith('/settings'));
    expect(calls('AcceptInvitation')).toEqual([{ input: { token: 'tok123' } }]);
    expect(calls('SwitchToJoinedOrganization')).toEqual([{ input: { organizationId: 'o2' } }]);
  });

  it('says why an invitation cannot be accepted', async () => {
    const { client } = mockClient({
      AcceptInvitation: () => ({
        errors: [{ message: 'this invitation has expired; ask for a new one', extensions: { code: 'CONFLICT' } }],
      }),
    });
    renderRoute(AcceptInvitationPage, { url: '/invitations/accept?token=old', client });
    expect(await screen.findByRole('alert')).toHaveTextContent('This invitation has expired; ask for a new one.');
    expect(screen.getByRole('link', { name: 'Go to Settings' })).toBeInTheDocument();
  });

  it('tells a person signed in with another address how to accept', async () => {
    const { client } = mockClient({
      AcceptInvitation: () => ({
        errors: [{ message: 'this invitation is for another email address', extensions: { code: 'FORBIDDEN' } }],
      }),
    });
    renderRoute(AcceptInvitationPage, { url: '/invitations/accept?token=t', client });
    expect(await screen.findByRole('alert')).toHaveTextContent('sign in with the email address the invitation was sent to');
  });
});

describe('An invitation accepted while signing in', () => {
  it('says the person is a member already', async () => {
    const { client } = mockClient({
      AcceptInvitation: () => ({
        errors: [{ message: 'this invitation has already been accepted', extensions: { code: 'CONFLICT' } }],
      }),
    });
    renderRoute(AcceptInvitationPage, { url: '/invitations/accept?token=t', client });
    expect(await screen.findByRole('status')).toHaveTextContent('This invitation has been accepted: you are a member.');
  });
});
