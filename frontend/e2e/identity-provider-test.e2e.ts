import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { gqlAs, launchBrowser, screenshotsAt, signInAsAdmin, url, waitLimit } from './browser';
import { startOidcIssuer, type OidcIssuer } from './oidcIssuer';

// Issue 16, item 6: the redirect URI is shown before a provider is added, and
// "Test sign-in" runs the provider's code flow in a new window and reports
// what it answered, signing nobody in.

let browser: Browser;
let page: Page;
let issuer: OidcIssuer;
const organization = 'IdP Test Org';
const provider = 'Test IdP 16';

/** gql runs a GraphQL request with the page's session, as the app does, and returns its data. */
const gql = <T = unknown>(query: string, variables?: Record<string, unknown>) => gqlAs<T>(page, query, variables);

/** shoot saves the page at 1280 and 390 px wide (screenshotsAt). */
const shoot = (name: string) => screenshotsAt(page, name);

/** runTest clicks "Test sign-in", lets the new window run the flow and waits until it hands back and closes. */
async function runTest() {
  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    page.getByRole('button', { name: `Test sign-in with ${provider}` }).click(),
  ]);
  await popup.waitForEvent('close');
  const dialog = page.getByRole('dialog', { name: `Test sign-in with ${provider}` });
  await dialog.waitFor();
  return dialog;
}

beforeAll(async () => {
  issuer = await startOidcIssuer();
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(waitLimit);
  await signInAsAdmin(page, '/settings');
  await page.waitForURL(/\/settings/);
  // An organization of this file's own, so the other files' data does not show.
  const created = await gql<{ createSiblingOrganization: { organization: { id: string } } }>(
    `mutation($name: String!) { createSiblingOrganization(input: {name: $name}) { organization { id } } }`,
    { name: organization },
  );
  await gql(`mutation($o: ID!) { switchOrganization(input: {organizationId: $o}) { viewer { organization { id } } } }`, {
    o: created.createSiblingOrganization.organization.id,
  });
  // Added as an admin would, not linked to any organization yet (each test
  // loads its tab afresh, so one that fails leaves no dialog in the way).
  await gql(`mutation($name: String!, $issuer: String!) {
    createOidcProvider(input: {name: $name, issuer: $issuer, clientId: "orgtrail-e2e"}) { oidcProvider { id } } }`, {
    name: provider,
    issuer: issuer.issuer,
  });
});

afterAll(async () => {
  // Later files sign in where the latest session was: leave it in the first organization.
  await gql(`mutation($o: ID!) { switchOrganization(input: {organizationId: $o}) { viewer { organization { id } } } }`, {
    o: inject('organizationId'),
  }).catch(() => undefined);
  await browser?.close();
  await issuer?.close();
});

describe('adding and testing an identity provider', () => {
  it('shows the redirect URI, with a copy button, before the provider is added', async () => {
    await page.goto(url('/settings/identity-providers'));
    await page.getByRole('button', { name: 'Add identity provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add identity provider' });
    const redirect = dialog.getByRole('group', { name: 'Redirect URI' });
    await expect.poll(() => redirect.textContent()).toContain(`${inject('baseURL')}/auth/oidc/callback`);
    expect(await redirect.getByRole('button', { name: 'Copy the redirect URI' }).isVisible()).toBe(true);
    await shoot('identity-provider-add');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('tests the sign-in of the provider before it is linked, signing nobody in', async () => {
    const admin = inject('adminEmail');
    await page.goto(url('/settings/identity-providers'));
    issuer.signInAs({ subject: 'e2e|ada', email: admin });
    const dialog = await runTest();
    const result = dialog.getByRole('status', { name: 'Sign-in test result' });
    await expect.poll(() => result.textContent()).toContain(`${provider} answered, but this person could not sign in`);
    expect(await result.textContent()).toContain(`${provider} is not linked to ${organization} yet`);
    const claims = dialog.getByRole('table', { name: `What ${provider} answered` });
    expect(await claims.getByRole('row', { name: /^sub/ }).textContent()).toContain('e2e|adaID token');
    expect(await claims.getByRole('row', { name: /^email_verified/ }).textContent()).toContain('trueID token');
    expect(await claims.getByRole('row', { name: /^name/ }).textContent()).toContain('not sent');
    await shoot('identity-provider-test-unlinked');
    await dialog.getByRole('button', { name: 'Close' }).click();

    // Still the same person, in the same organization: the test signed nobody in.
    const viewer = await gql<{ viewer: { user: { email: string }; organization: { name: string } } }>(
      `{ viewer { user { email } organization { name } } }`,
    );
    expect(viewer.viewer).toEqual({ user: { email: admin }, organization: { name: organization } });
  });

  it('says the person could sign in once the provider is linked', async () => {
    await page.goto(url('/settings/identity-providers'));
    await page.getByRole('button', { name: `Link ${provider} to this organization` }).click();
    await page.getByText(`Identity provider “${provider}” linked to this organization.`).waitFor();
    const dialog = await runTest();
    const result = dialog.getByRole('status', { name: 'Sign-in test result' });
    await expect.poll(() => result.textContent()).toContain(`${provider} signs this person in to ${organization}.`);
    expect(await result.textContent()).toContain(`is an active member of ${organization} and could sign in with ${provider}`);
    await shoot('identity-provider-test-works');
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('reports the provider’s refusal in words', async () => {
    await page.goto(url('/settings/identity-providers'));
    await page.getByRole('button', { name: `Edit ${provider}` }).click();
    const edit = page.getByRole('dialog', { name: `Edit identity provider ${provider}` });
    await edit.getByLabel('Client ID').fill('not-the-registered-client');
    await edit.getByRole('button', { name: 'Save provider' }).click();
    await page.getByText(`Identity provider “${provider}” updated.`).waitFor();

    const dialog = await runTest();
    const alert = dialog.getByRole('alert', { name: 'Sign-in test result' });
    await expect.poll(() => alert.textContent()).toContain(`${provider}’s answer signs nobody in.`);
    expect(await alert.textContent()).toContain(`${provider} refused the sign-in`);
    expect(await alert.getByText('access_denied').isVisible()).toBe(true);
    await shoot('identity-provider-test-refused');
    await dialog.getByRole('button', { name: 'Close' }).click();
  });
});
