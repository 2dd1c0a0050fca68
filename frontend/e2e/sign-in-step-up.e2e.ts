import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { followMagicLink, gqlAs, launchBrowser, screenshot, signInAsAdmin, url, waitLimit } from './browser';
import { startOidcIssuer, type OidcIssuer } from './oidcIssuer';

let browser: Browser;
let page: Page;
let issuer: OidcIssuer;

/** gql runs a GraphQL request with the page's session, as the app does, and returns its data. */
const gql = <T = unknown>(query: string, variables?: Record<string, unknown>) => gqlAs<T>(page, query, variables);

const switcher = () => page.locator('.organization-switcher select');
const currentOrganization = () => switcher().locator('option:checked').textContent();

beforeAll(async () => {
  issuer = await startOidcIssuer();
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(waitLimit);
  await signInAsAdmin(page, '/settings');
  await page.waitForURL(/\/settings/);
});

afterAll(async () => {
  await browser?.close();
  await issuer?.close();
});

// Issue 10, path 1's rule in the browser: an organization trusts only the
// sign-in it chose, and the app sends the person to sign in that way.
describe('switching into an organization that accepts only its identity provider', () => {
  it('goes to sign in with that provider, which lands in the organization', async () => {
    const admin = inject('adminEmail');
    // Step-up EU, a sibling, accepts sign-in only through Step-up SSO.
    const created = await gql<{ createSiblingOrganization: { organization: { id: string } } }>(`mutation { createSiblingOrganization(input: {name: "Step-up EU"}) { organization { id } } }`);
    const eu = created.createSiblingOrganization.organization.id;
    const provider = await gql<{ createOidcProvider: { oidcProvider: { id: string } } }>(
      `mutation($issuer: String!) { createOidcProvider(input: {name: "Step-up SSO", issuer: $issuer, clientId: "orgtrail-e2e"}) { oidcProvider { id } } }`,
      { issuer: issuer.issuer },
    );
    await gql(`mutation($p: ID!, $o: ID) { addOidcProviderToOrganization(input: {providerId: $p, organizationId: $o}) { oidcProvider { id } } }`, {
      p: provider.createOidcProvider.oidcProvider.id,
      o: eu,
    });
    await gql(`mutation($o: ID!) { switchOrganization(input: {organizationId: $o}) { viewer { organization { id } } } }`, { o: eu });
    await gql(`mutation { updateOrganizationSettings(input: {signInMethods: [OIDC]}) { organization { id } } }`);

    // That session signed in by email link: Step-up EU no longer accepts it,
    // and an email link lands in the organization that does.
    await page.goto(url('/settings'));
    await page.waitForURL(/\/sign-in\?next=/);
    await followMagicLink(page, admin);
    await page.waitForURL(/\/settings/);
    await expect.poll(currentOrganization).toBe('E2E Organization');

    await switcher().selectOption({ label: 'Step-up EU' });
    await page.waitForURL(/\/sign-in\?.*organization=/);
    await page.getByText('Step-up EU asks you to sign in with Step-up SSO.').waitFor();
    expect(await page.getByLabel('Email').count()).toBe(0);
    await screenshot(page, 'sign-in-step-up');

    issuer.signInAs({ subject: 'e2e-admin', email: admin });
    await page.getByRole('link', { name: 'Sign in with Step-up SSO' }).click();
    await page.waitForURL(/\/settings/);
    await expect.poll(currentOrganization).toBe('Step-up EU');
  });
});
