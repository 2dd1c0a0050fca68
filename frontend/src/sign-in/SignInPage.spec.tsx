import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { Provider as UrqlProvider } from 'urql';
import { mockClient } from '../test/mockClient';
import { SignInPage } from './SignInPage';

type ProviderOption = { id: string; name: string; loginUrl: string };

function renderSignIn(
  url: string,
  providers: ProviderOption[] = [],
  { magicLink = true, organizations = [] as Array<{ id: string; name: string }> } = {},
) {
  const { client, calls } = mockClient({
    SignInPage: () => ({ data: { signInOptions: { magicLink, providers } } }),
    SignInPageOrganizations: () => ({ data: { viewer: organizations.length > 0 ? { organizations } : null } }),
  });
  const router = createMemoryRouter([{ path: '/sign-in', Component: SignInPage }], { initialEntries: [url] });
  render(
    <UrqlProvider value={client}>
      <RouterProvider router={router} />
    </UrqlProvider>,
  );
  return { calls };
}

function answer(status: number) {
  const fetch = vi.fn(async () => new Response(JSON.stringify({ ok: status === 200 }), { status }));
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('Sign-in', () => {
  it('asks for a magic link that returns to where the person was, then says to check their email', async () => {
    const fetch = answer(200);
    renderSignIn('/sign-in?next=%2Fsettings%2Faudit-log%3Fcategory%3DSECRETS');
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Email me a sign-in link' }));
    expect(await screen.findByRole('heading', { name: 'Check your email' })).toBeInTheDocument();
    expect(screen.getByText('ada@example.com')).toBeInTheDocument();
    expect(fetch).toHaveBeenCalledWith('/auth/magic-link', expect.objectContaining({ method: 'POST' }));
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(JSON.parse(init.body as string)).toEqual({
      email: 'ada@example.com',
      next: '/settings/audit-log?category=SECRETS',
    });
    expect(init.headers).toMatchObject({ 'X-Orgtrail-CSRF': '1' });
  });

  it('never sends the person to another site afterwards', async () => {
    const fetch = answer(200);
    renderSignIn('/sign-in?next=%2F%2Fevil.example');
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Email me a sign-in link' }));
    await screen.findByRole('heading', { name: 'Check your email' });
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(JSON.parse(init.body as string).next).toBe('/');
  });

  it('checks the email address before asking the server', async () => {
    const fetch = answer(200);
    renderSignIn('/sign-in');
    await userEvent.type(screen.getByLabelText('Email'), 'not-an-email');
    await userEvent.click(screen.getByRole('button', { name: 'Email me a sign-in link' }));
    // The form checks its rules asynchronously, after the click has returned.
    await waitFor(() => expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Enter a valid email address'));
    expect(fetch).not.toHaveBeenCalled();
  });

  it('says when there were too many requests', async () => {
    answer(429);
    renderSignIn('/sign-in');
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Email me a sign-in link' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many sign-in requests');
  });

  it('explains why a sign-in link did not work', () => {
    renderSignIn('/sign-in?error=expired');
    expect(screen.getByRole('alert')).toHaveTextContent('That sign-in link has expired');
  });

  it('offers a button per identity provider that returns to where the person was', async () => {
    renderSignIn('/sign-in?next=%2Fsettings%2Fmembers', [
      { id: 'p1', name: 'Okta', loginUrl: '/auth/oidc/p1/login' },
      { id: 'p2', name: 'Google', loginUrl: '/auth/oidc/p2/login' },
    ]);
    const okta = await screen.findByRole('link', { name: 'Sign in with Okta' });
    expect(okta).toHaveAttribute('href', '/auth/oidc/p1/login?next=%2Fsettings%2Fmembers');
    expect(screen.getByRole('link', { name: 'Sign in with Google' })).toHaveAttribute(
      'href',
      '/auth/oidc/p2/login?next=%2Fsettings%2Fmembers',
    );
    expect(screen.getByRole('button', { name: 'Email me a sign-in link' })).toBeInTheDocument();
  });

  it.each([
    ['bad_state', 'started in another window'],
    ['provider_error', 'identity provider did not complete the sign-in'],
    ['invalid_token', 'could not be verified'],
    ['unverified_email', 'has not verified your email address'],
    ['provider_not_linked', 'not enabled for your organization'],
    ['unknown_provider', 'not known here any more'],
    ['deactivated', 'has been deactivated'],
    ['method_not_allowed', 'does not allow this way of signing in'],
    ['not_member', 'not a member of any organization'],
    ['used', 'has been used already'],
    ['invalid', 'is not valid'],
    ['rate_limited', 'Too many sign-in attempts'],
    ['internal', 'Something went wrong on our side'],
  ])('explains the sign-in error %s', (code, explanation) => {
    renderSignIn(`/sign-in?error=${code}`);
    expect(screen.getByRole('alert')).toHaveTextContent(explanation);
  });

  describe('asked by an organization that does not accept how the person signed in', () => {
    const euSSO = { id: 'p9', name: 'Acme EU SSO', loginUrl: '/auth/oidc/p9/login?organization=org-eu' };

    it('explains what the organization asks for and offers only that, landing there', async () => {
      const fetch = answer(200);
      const { calls } = renderSignIn('/sign-in?organization=org-eu&next=%2Fsettings', [euSSO], {
        magicLink: false,
        organizations: [
          { id: 'org-acme', name: 'Acme' },
          { id: 'org-eu', name: 'Acme EU' },
        ],
      });
      expect(await screen.findByText('Acme EU asks you to sign in with Acme EU SSO.')).toBeInTheDocument();
      expect(screen.getByRole('link', { name: 'Sign in with Acme EU SSO' })).toHaveAttribute(
        'href',
        '/auth/oidc/p9/login?organization=org-eu&next=%2Fsettings',
      );
      expect(screen.queryByLabelText('Email')).not.toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Email me a sign-in link' })).not.toBeInTheDocument();
      expect(calls('SignInPage')).toEqual([{ organizationId: 'org-eu' }]);
      expect(fetch).not.toHaveBeenCalled();
    });

    it('asks for a magic link that lands in the organization when it accepts one', async () => {
      const fetch = answer(200);
      renderSignIn('/sign-in?organization=org-eu&next=%2Fsettings', [euSSO], {
        organizations: [{ id: 'org-eu', name: 'Acme EU' }],
      });
      expect(await screen.findByText('Acme EU asks you to sign in with Acme EU SSO or an email link.')).toBeInTheDocument();
      await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
      await userEvent.click(screen.getByRole('button', { name: 'Email me a sign-in link' }));
      await screen.findByRole('heading', { name: 'Check your email' });
      const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
      expect(JSON.parse(init.body as string)).toEqual({
        email: 'ada@example.com',
        next: '/settings',
        organization: 'org-eu',
      });
    });

    it('speaks of "this organization" when nobody signed in can name it', async () => {
      renderSignIn('/sign-in?organization=org-eu', [], {});
      expect(await screen.findByText('This organization asks you to sign in with an email link.')).toBeInTheDocument();
    });
  });

  it('asks for the options of no organization without ?organization=', async () => {
    const { calls } = renderSignIn('/sign-in');
    await screen.findByRole('button', { name: 'Email me a sign-in link' });
    expect(calls('SignInPage')).toEqual([{ organizationId: null }]);
    expect(calls('SignInPageOrganizations')).toEqual([]);
    expect(screen.queryByText(/asks you to sign in/)).not.toBeInTheDocument();
  });
});
