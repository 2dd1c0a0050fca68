import { act, render, screen, within } from '@testing-library/react';
import { Provider } from 'urql';
import { mockClient } from '../../test/mockClient';
import { signInTestMessageType } from './signInTestMessage';
import { SignInTestDialog } from './SignInTestDialog';

const answered = {
  providerName: 'Okta',
  organizationName: 'Acme',
  succeeded: true,
  problem: null,
  claims: [
    { name: 'sub', value: '00u1', source: 'ID_TOKEN' },
    { name: 'email', value: 'ada@acme.test', source: 'USERINFO' },
    { name: 'email_verified', value: 'true', source: 'USERINFO' },
    { name: 'name', value: '', source: null },
  ],
  signIn: { canSignIn: true, message: 'ada@acme.test is an active member of Acme and could sign in with Okta.' },
};

function renderDialog(testWindow: Window | null) {
  const mock = mockClient({ SignInTestResult: () => ({ data: { oidcSignInTest: answered } }) });
  render(
    <Provider value={mock.client}>
      <SignInTestDialog
        provider={{ name: 'Okta', testUrl: '/auth/oidc/p1/test' }}
        testWindow={testWindow}
        onClose={() => {}}
      />
    </Provider>,
  );
  return mock;
}

/** post delivers a message to this window as if source had sent it from origin. */
function post(data: unknown, source: unknown, origin = window.location.origin) {
  act(() => {
    window.dispatchEvent(new MessageEvent('message', { data, origin, source: source as Window }));
  });
}

describe('Test sign-in', () => {
  it('shows what the provider answered once the test’s window hands the result back', async () => {
    const testWindow = {} as Window;
    const { calls } = renderDialog(testWindow);
    const dialog = screen.getByRole('dialog', { name: 'Test sign-in with Okta' });
    expect(dialog).toHaveTextContent('Sign in with Okta in the new window');

    post({ type: signInTestMessageType, outcome: { result: 'sealed' } }, testWindow);
    const result = await within(dialog).findByRole('status', { name: 'Sign-in test result' });
    expect(result).toHaveTextContent('Okta signs this person in to Acme.');
    const claims = within(result).getByRole('table', { name: 'What Okta answered' });
    expect(within(claims).getByRole('row', { name: /email_verified/ })).toHaveTextContent('trueUserInfo endpoint');
    expect(within(claims).getByRole('row', { name: /name/ })).toHaveTextContent('not sent');
    expect(calls('SignInTestResult')).toEqual([{ result: 'sealed' }]);
  });

  it('ignores messages from any other window or origin', async () => {
    const testWindow = {} as Window;
    const { calls } = renderDialog(testWindow);
    post({ type: signInTestMessageType, outcome: { result: 'forged' } }, {});
    post({ type: signInTestMessageType, outcome: { result: 'forged' } }, testWindow, 'https://evil.example');
    expect(calls('SignInTestResult')).toEqual([]);
    expect(screen.getByRole('dialog')).toHaveTextContent('Sign in with Okta in the new window');
  });

  it('explains a test that stopped before the provider', async () => {
    const testWindow = {} as Window;
    renderDialog(testWindow);
    post({ type: signInTestMessageType, outcome: { problem: 'forbidden' } }, testWindow);
    expect(await screen.findByRole('alert')).toHaveTextContent('needs the identity_providers:write permission');
  });

  it('offers a new tab when the browser blocked the window', () => {
    renderDialog(null);
    expect(screen.getByRole('link', { name: 'Run the test in a new tab' })).toHaveAttribute('href', '/auth/oidc/p1/test');
  });
});
