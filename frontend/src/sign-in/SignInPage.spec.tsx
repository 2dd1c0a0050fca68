import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { SignInPage } from './SignInPage';

function renderSignIn(url: string) {
  const router = createMemoryRouter([{ path: '/sign-in', Component: SignInPage }], { initialEntries: [url] });
  render(<RouterProvider router={router} />);
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
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Enter a valid email address');
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
});
