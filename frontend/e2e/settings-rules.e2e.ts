import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { followMagicLink, gqlAs, launchBrowser, screenshotsAt, signIn, url, waitLimit } from './browser';
import { startOidcIssuer, type OidcIssuer } from './oidcIssuer';
import { runOrgtrail } from './orgtrail';

// Issue 16, items 1, 2, 3, 5 and 8: settings an admin can trust with their
// organization. These tests run in an account of their own ("Rules Co",
// bootstrapped here with its own admin), so nothing they change reaches the
// other test files' organization.

const admin = 'rules-admin@e2e.example.com';

let browser: Browser;
let page: Page;
let issuer: OidcIssuer;
let rulesCo = '';

/** orgtrail runs a command of the binary against the server's own database (its working directory). */
const orgtrail = (...args: string[]) => runOrgtrail(inject('workDir'), inject('baseURL'), ...args);

/** gql runs a GraphQL request with the page's session, as the app does, and returns its data. */
const gql = <T = unknown>(query: string, variables?: Record<string, unknown>) => gqlAs<T>(page, query, variables);

/** openTab opens a Settings tab by its label. */
async function openTab(label: string) {
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: label, exact: true }).click();
}

/**
 * screenshots saves the page at 1280 px and at 390 px wide, as
 * test-results/settings-rules-<name>-<width>.png, once the toasts of earlier
 * steps have gone (they last a few seconds); narrow, when given, readies the
 * narrow page (scrolls to what the screenshot is of).
 */
async function screenshots(name: string, narrow?: () => Promise<void>) {
  await expect.poll(() => page.locator('.toast').count(), { timeout: 10_000 }).toBe(0);
  await screenshotsAt(page, `settings-rules-${name}`, narrow);
}

const currentOrganization = () => page.locator('.organization-switcher select option:checked').textContent();

beforeAll(async () => {
  const created = JSON.parse(await orgtrail('bootstrap', '--org', 'Rules Co', '--admin', admin)) as {
    organizationId: string;
  };
  rulesCo = created.organizationId;
  // Events over the last 120 days, so a shorter retention has something to hide.
  await orgtrail('seed', '--org', rulesCo, '--events', '40');
  issuer = await startOidcIssuer();
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(waitLimit);
  await signIn(page, '/settings/general', admin);
  await page.waitForURL(/\/settings\/general$/);
});

afterAll(async () => {
  await browser?.close();
  await issuer?.close();
});

describe('Settings an admin can trust', () => {
  it('item 3: refuses a second organization of the same name in the account, beside the name', async () => {
    await page.getByRole('button', { name: 'New organization' }).click();
    const create = page.getByRole('dialog', { name: 'New organization' });
    await create.getByLabel('Name').fill('rules co');
    await create.getByRole('button', { name: 'Create organization' }).click();
    await create.getByText('an organization named "rules co" already exists in this account').waitFor();
    await screenshots('duplicate-name-dialog');
    await create.getByLabel('Name').fill('Rules EU');
    await create.getByRole('button', { name: 'Create organization' }).click();
    await expect.poll(currentOrganization).toBe('Rules EU');

    // Renaming Rules EU to its sibling's name is refused beside the name too.
    await openTab('General');
    await page.getByLabel('Organization name').fill('RULES CO');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page
      .getByRole('form', { name: 'Organization settings' })
      .getByText('an organization named "RULES CO" already exists in this account')
      .waitFor();
    await screenshots('duplicate-name-general');

    await page.locator('.organization-switcher select').selectOption({ label: 'Rules Co' });
    await expect.poll(currentOrganization).toBe('Rules Co');
  });

  it('item 5: asks before cutting the audit retention, says how many events it hides, and says so where the log ends', async () => {
    await openTab('General');
    await page.getByLabel('Audit log retention (days)').fill('30');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save these settings?' });
    const count = dialog.getByText(/\d+ events? older than 30 days will no longer be shown in the Audit Log/);
    await count.waitFor();
    expect(Number((await count.textContent())?.match(/^\d+/)?.[0])).toBeGreaterThan(0);
    await screenshots('retention-confirm');
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();

    await openTab('Audit Log');
    const table = page.getByRole('table', { name: 'Audit events' });
    await table.locator('tbody tr.audit-row').first().waitFor();
    await table.getByText('Older events are hidden by the 30-day retention.').waitFor();
    await screenshots('audit-log-retention');
    // A range that stops short of the retention says nothing of it.
    await page.getByRole('combobox', { name: 'Date range' }).selectOption({ label: 'Last 7 Days' });
    await table.locator('tbody tr.audit-row').first().waitFor();
    expect(await table.getByText(/hidden by the 30-day retention/).count()).toBe(0);
  });

  it('item 8: refuses the metadata address on save, and says in words what a failed test means, kept on the row', async () => {
    await openTab('Connectors');
    await page.getByRole('button', { name: 'Create connector' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create connector' });
    await dialog.getByLabel('Name').fill('Lake');
    await dialog.getByLabel('Type').selectOption({ label: 'PostgreSQL' });
    await dialog.getByLabel('Host (required)').fill('169.254.169.254');
    await dialog.getByLabel('Database (required)').fill('lake');
    await dialog.getByLabel('Username (required)').fill('reader');
    await dialog.getByRole('button', { name: 'Create connector' }).click();
    await dialog.getByText('host 169.254.169.254 is an address Orgtrail never connects to').waitFor();
    await screenshots('connector-blocked-host');
    await dialog.getByLabel('Host (required)').fill('db.rules-e2e.invalid');
    await dialog.getByRole('button', { name: 'Create connector' }).click();
    const row = page.getByRole('table', { name: 'Connectors' }).getByRole('row', { name: /Lake/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Not tested');

    await page.getByRole('button', { name: 'Test connection Lake' }).click();
    const test = page.getByRole('dialog', { name: 'Test connection: Lake' });
    await test.getByText('Connection failed').waitFor({ timeout: 30_000 });
    const said = (await test.getByRole('alert').textContent()) ?? '';
    expect(said).toContain('The host name db.rules-e2e.invalid ');
    expect(said).not.toMatch(/lookup|dial|failed to connect|:53/);
    await screenshots('connector-test-failed');
    await test.getByRole('button', { name: 'Close' }).click();
    await expect.poll(async () => row.textContent()).toContain('Failed');
    expect(await row.textContent()).toContain('The host name db.rules-e2e.invalid ');
    // At 390 px the table scrolls sideways: show the Last test column.
    await screenshots('connectors-last-test', () => row.locator('.connector-test').scrollIntoViewIfNeeded());
  });

  it('item 2: deleting an organization lands in another of the person’s, saying what was deleted', async () => {
    await page.getByRole('button', { name: 'New organization' }).click();
    const create = page.getByRole('dialog', { name: 'New organization' });
    await create.getByLabel('Name').fill('Rules Doomed');
    await create.getByRole('button', { name: 'Create organization' }).click();
    await expect.poll(currentOrganization).toBe('Rules Doomed');

    await openTab('General');
    await page.getByRole('button', { name: 'Delete organization' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete organization Rules Doomed?' });
    await dialog.getByLabel('Type Rules Doomed to confirm').fill('Rules Doomed');
    await dialog.getByRole('button', { name: 'Delete this organization' }).click();
    // Rules Co and Rules EU both accept the email link: the first by name.
    await page.getByRole('status').getByText('Rules Doomed was deleted. You are now in Rules Co.').waitFor();
    expect(page.url()).toMatch(/\/settings/);
    expect(await currentOrganization()).toBe('Rules Co');
    const options = await page.locator('.organization-switcher select option').allTextContents();
    expect(options).not.toContain('Rules Doomed');
    await screenshots('deleted-organization-notice');
  });

  it('item 1: refuses sign-in settings that would lock everyone out, in the form and in the Identity Providers tab', async () => {
    // A session of its own, by email link, in Rules Co.
    await page.context().clearCookies();
    await page.goto(url(`/sign-in?organization=${rulesCo}&next=%2Fsettings%2Fgeneral`));
    await followMagicLink(page, admin);
    await page.waitForURL(/\/settings\/general$/);
    await expect.poll(currentOrganization).toBe('Rules Co');

    // No identity provider is linked: turning the email link off would leave none.
    await page.getByRole('checkbox', { name: 'Magic link sent by email' }).uncheck();
    await page.getByRole('button', { name: 'Save settings' }).click();
    const confirm = page.getByRole('dialog', { name: 'Save these settings?' });
    await confirm.getByText('You will be signed out.').waitFor();
    await confirm.getByRole('button', { name: 'Save settings' }).click();
    const methods = page.getByRole('group', { name: 'Sign-in methods' });
    await methods.getByRole('alert').getByText(/Rules Co would be left with no way to sign in/).waitFor();
    expect(page.url()).toMatch(/\/settings\/general$/);
    await screenshots('lockout-general');

    // With a provider linked, and signed in through it, OIDC alone is a way
    // in, but unlinking that last provider is not.
    const provider = await gql<{ createOidcProvider: { oidcProvider: { id: string } } }>(
      `mutation($issuer: String!) { createOidcProvider(input: {name: "Rules SSO", issuer: $issuer, clientId: "orgtrail-e2e"}) { oidcProvider { id } } }`,
      { issuer: issuer.issuer },
    );
    await gql(`mutation($p: ID!) { addOidcProviderToOrganization(input: {providerId: $p}) { oidcProvider { id } } }`, {
      p: provider.createOidcProvider.oidcProvider.id,
    });
    issuer.signInAs({ subject: 'rules-admin', email: admin });
    await page.goto(url('/sign-in?next=%2Fsettings%2Fgeneral'));
    await page.getByRole('link', { name: 'Sign in with Rules SSO' }).click();
    await page.waitForURL(/\/settings\/general$/);
    await expect.poll(currentOrganization).toBe('Rules Co');
    await page.getByRole('checkbox', { name: 'Magic link sent by email' }).uncheck();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();

    await openTab('Identity Providers');
    await page.getByRole('button', { name: 'Unlink Rules SSO from this organization' }).click();
    const unlink = page.getByRole('dialog', { name: 'Unlink Rules SSO from this organization?' });
    await unlink.getByText('you signed in through Rules SSO').waitFor();
    await unlink.getByRole('button', { name: 'Unlink provider' }).click();
    await unlink.getByRole('alert').getByText(/Rules Co would be left with no way to sign in/).waitFor();
    await screenshots('lockout-identity-providers');
    await unlink.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('listitem', { name: /Rules SSO/ }).getByText('Linked to this organization').waitFor();
  });
});
