import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { followMagicLink, launchBrowser, screenshot, signIn, url, waitLimit } from './browser';
import { startOidcIssuer, type OidcIssuer } from './oidcIssuer';
import { logLength, mailedLinkFor } from './orgtrail';

let browser: Browser;
let page: Page;
let issuer: OidcIssuer;

const invitee = 'grace@e2e.example.com';

/**
 * expectLatestAuditAction saves a screenshot of the tab as it is (as
 * test-results/settings-<tab>.png), opens the Audit Log and waits for action
 * to be the newest event.
 */
async function expectLatestAuditAction(action: string) {
  const tab = new URL(page.url()).pathname.split('/').at(-1);
  await screenshot(page, `settings-${tab}`);
  await page.getByRole('link', { name: 'Audit Log' }).click();
  const firstRow = page.getByRole('table', { name: 'Audit events' }).locator('tbody tr.audit-row').first();
  await expect.poll(() => firstRow.locator('td').nth(2).textContent()).toBe(action);
}

/** openTab opens a Settings tab by its label. */
async function openTab(label: string) {
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: label, exact: true }).click();
}

beforeAll(async () => {
  issuer = await startOidcIssuer();
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(waitLimit);
  await signIn(page, '/settings/roles', inject('adminEmail'));
  await page.waitForURL(/\/settings\/roles$/);
});

afterAll(async () => {
  await browser?.close();
  await issuer?.close();
});

describe('each Settings tab’s change lands at the top of the Audit Log', () => {
  it('Roles & Permissions: creating a role', async () => {
    await openTab('Roles & Permissions');
    await page.getByRole('button', { name: 'Create role' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create role' });
    await dialog.getByLabel('Name').fill('Auditors');
    await dialog.getByRole('checkbox', { name: /audit_log:read/ }).check();
    await dialog.getByRole('button', { name: 'Create role' }).click();
    await page.getByRole('row', { name: /Auditors/ }).waitFor();
    await expectLatestAuditAction('Created role');
  });

  it('Roles & Permissions: a duplicate name is refused next to the form', async () => {
    await openTab('Roles & Permissions');
    await page.getByRole('button', { name: 'Create role' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create role' });
    await dialog.getByLabel('Name').fill('Auditors');
    await dialog.getByRole('button', { name: 'Create role' }).click();
    await page.locator('.toast, .field-error').first().waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('Service Accounts: creating one and an API key, shown once', async () => {
    await openTab('Service Accounts');
    await page.getByRole('button', { name: 'Create service account' }).click();
    const create = page.getByRole('dialog', { name: 'Create service account' });
    await create.getByLabel('Name').fill('Exporter');
    await create.getByRole('button', { name: 'Create service account' }).click();
    await page.getByRole('heading', { name: 'Exporter' }).waitFor();
    await expectLatestAuditAction('Created service account');

    await openTab('Service Accounts');
    await page.getByRole('button', { name: 'Create API key for Exporter' }).click();
    const keyDialog = page.getByRole('dialog', { name: 'Create API key for Exporter' });
    await keyDialog.getByLabel('Name').fill('nightly');
    await keyDialog.getByRole('button', { name: 'Create API key' }).click();
    const key = (await keyDialog.getByLabel('API key', { exact: true }).textContent()) ?? '';
    expect(key.length).toBeGreaterThan(20);
    await keyDialog.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('table', { name: 'API keys of Exporter' }).getByRole('row', { name: /nightly/ }).waitFor();
    expect(await page.content()).not.toContain(key);
    await expectLatestAuditAction('Created API key');
  });

  it('Service Accounts: giving one a role', async () => {
    await openTab('Service Accounts');
    await page.getByRole('button', { name: 'Edit roles of Exporter' }).click();
    const dialog = page.getByRole('dialog', { name: 'Roles of Exporter' });
    await dialog.getByRole('checkbox', { name: /Auditors/ }).check();
    await dialog.getByRole('button', { name: 'Save roles' }).click();
    await page.getByText('Roles: Auditors').waitFor();
    await expectLatestAuditAction('Assigned role');
  });

  it('General: changing the session lifetime and allowing identity providers', async () => {
    await openTab('General');
    await page.getByLabel('Session lifetime (hours)').fill('48');
    await page.getByRole('checkbox', { name: 'Identity providers (OpenID Connect)' }).check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await expectLatestAuditAction('Updated org settings');
    await openTab('General');
    expect(await page.getByLabel('Session lifetime (hours)').inputValue()).toBe('48');
  });

  it('Members: inviting someone, who joins through the invitation link', async () => {
    const logFile = inject('logFile');
    await openTab('Members');
    await page.getByRole('button', { name: 'Invite member' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite member' });
    const seen = await logLength(logFile);
    await dialog.getByLabel('Email').fill(invitee);
    await dialog.getByRole('checkbox', { name: 'Auditors' }).check();
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByRole('table', { name: 'Pending invitations' }).getByRole('row', { name: /grace@/ }).waitFor();
    await expectLatestAuditAction('Invited member');

    const context = await browser.newContext();
    const inviteePage = await context.newPage();
    inviteePage.setDefaultTimeout(waitLimit);
    await inviteePage.goto(await mailedLinkFor(logFile, invitee, seen, '/invitations/accept'));
    await inviteePage.waitForURL(/\/sign-in\?next=%2Finvitations%2Faccept/);
    await followMagicLink(inviteePage, invitee);
    await inviteePage.waitForURL(/\/invitations\/accept\?token=/);
    await inviteePage.getByText(/You joined|you are a member/).waitFor();
    await context.close();

    await openTab('Members');
    await page.getByRole('table', { name: 'Members' }).getByRole('row', { name: /grace@/ }).waitFor();
  });

  it('Members: giving a member a role, and refusing to remove the last administrator', async () => {
    const admin = inject('adminEmail');
    await openTab('Members');
    await page.getByRole('button', { name: `Edit roles of ${admin}` }).click();
    const dialog = page.getByRole('dialog', { name: `Roles of ${admin}` });
    await dialog.getByRole('checkbox', { name: /Auditors/ }).check();
    await dialog.getByRole('button', { name: 'Save roles' }).click();
    await page.getByRole('list', { name: `Roles of ${admin}` }).getByText('Auditors').waitFor();
    await expectLatestAuditAction('Assigned role');

    await openTab('Members');
    await page.getByRole('button', { name: `Remove ${admin}` }).click();
    const confirm = page.getByRole('dialog', { name: `Remove ${admin}?` });
    await confirm.getByRole('button', { name: 'Remove member' }).click();
    await expect.poll(() => confirm.getByRole('alert').textContent()).toContain('last administrator');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
  });

  it('Members: removing a member', async () => {
    await openTab('Members');
    await page.getByRole('button', { name: `Remove ${invitee}` }).click();
    await page.getByRole('dialog', { name: `Remove ${invitee}?` }).getByRole('button', { name: 'Remove member' }).click();
    await page.getByRole('row', { name: /grace@/ }).waitFor({ state: 'detached' });
    await expectLatestAuditAction('Removed member');
  });

  it('Members: withdrawing a pending invitation', async () => {
    await openTab('Members');
    await page.getByRole('button', { name: 'Invite member' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite member' });
    await dialog.getByLabel('Email').fill('wrong.address@example.com');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    const invitations = page.getByRole('table', { name: 'Pending invitations' });
    await invitations.getByRole('row', { name: /wrong\.address@/ }).waitFor();
    await page.getByRole('button', { name: 'Withdraw wrong.address@example.com' }).click();
    await page
      .getByRole('dialog', { name: 'Withdraw the invitation to wrong.address@example.com?' })
      .getByRole('button', { name: 'Withdraw invitation' })
      .click();
    await page.getByText('No pending invitations.').waitFor();
    await expectLatestAuditAction('Removed member');
  });

  it('API Access Keys: creating one, shown once, that works against the API', async () => {
    await openTab('API Access Keys');
    await page.getByRole('button', { name: 'Create API access key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API access key' });
    await dialog.getByLabel('Name').fill('CI export');
    await dialog.getByRole('checkbox', { name: /audit_log:read/ }).check();
    await dialog.getByRole('button', { name: 'Create API access key' }).click();
    const key = (await dialog.getByLabel('API access key', { exact: true }).textContent()) ?? '';
    expect(key.length).toBeGreaterThan(20);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('table', { name: 'API access keys' }).getByRole('row', { name: /CI export/ }).waitFor();
    expect(await page.content()).not.toContain(key);
    await expectLatestAuditAction('Created API access key');

    const response = await fetch(url('/graphql'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ viewer { permissions } }' }),
    });
    expect(((await response.json()) as { data: { viewer: { permissions: string[] } } }).data.viewer.permissions).toEqual([
      'audit_log:read',
    ]);
  });

  it('Secrets: creating one, whose value is never shown', async () => {
    const value = 'hunter2-e2e-value';
    await openTab('Secrets');
    await page.getByRole('button', { name: 'Create secret' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create secret' });
    await dialog.getByLabel('Name').fill('E2E_DB_PASSWORD');
    await dialog.getByLabel('Value').fill(value);
    await dialog.getByRole('button', { name: 'Create secret' }).click();
    await page.getByRole('table', { name: 'Secrets' }).getByRole('row', { name: /E2E_DB_PASSWORD/ }).waitFor();
    expect(await page.content()).not.toContain(value);
    await expectLatestAuditAction('Created secret');
  });

  it('Connectors: creating a PostgreSQL connector and testing it', async () => {
    await openTab('Connectors');
    await page.getByRole('button', { name: 'Create connector' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create connector' });
    await dialog.getByLabel('Name').fill('Warehouse');
    await dialog.getByLabel('Type').selectOption({ label: 'PostgreSQL' });
    await dialog.getByLabel('Host (required)').fill('127.0.0.1');
    await dialog.getByLabel('Port', { exact: true }).fill('1');
    await dialog.getByLabel('Database (required)').fill('warehouse');
    await dialog.getByLabel('Username (required)').fill('reader');
    await dialog.getByLabel('Password', { exact: true }).fill('e2e-connector-password');
    await dialog.getByRole('button', { name: 'Create connector' }).click();
    const row = page.getByRole('table', { name: 'Connectors' }).getByRole('row', { name: /Warehouse/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Password: set');
    expect(await page.content()).not.toContain('e2e-connector-password');
    await expectLatestAuditAction('Created connector');

    await openTab('Connectors');
    await page.getByRole('button', { name: 'Test connection Warehouse' }).click();
    const test = page.getByRole('dialog', { name: 'Test connection: Warehouse' });
    await test.getByText('Connection failed').waitFor({ timeout: 30_000 });
    await test.getByRole('button', { name: 'Close' }).click();
  });

  it('Identity Providers: adding one linked to this organization, offered on the sign-in page', async () => {
    await openTab('Identity Providers');
    await page.getByRole('button', { name: 'Add identity provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add identity provider' });
    await dialog.getByLabel('Name').fill('E2E IdP');
    await dialog.getByLabel('Issuer URL').fill(issuer.issuer);
    await dialog.getByLabel('Client ID').fill('orgtrail-e2e');
    await dialog.getByRole('button', { name: 'Add identity provider' }).click();
    await page.getByRole('listitem', { name: /E2E IdP/ }).getByText('Linked to this organization').waitFor();
    await expectLatestAuditAction('Added OIDC provider to org');

    const context = await browser.newContext();
    const signInPage = await context.newPage();
    await signInPage.goto(url('/sign-in?next=%2Fsettings'));
    const link = signInPage.getByRole('link', { name: 'Sign in with E2E IdP' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toMatch(/^\/auth\/oidc\/[^/]+\/login\?next=%2Fsettings$/);
    await context.close();
  });

  it('SCIM: creating a token, shown once, next to the base URL', async () => {
    await openTab('SCIM');
    await page.getByText(/\/scim\/v2$/).waitFor();
    await page.getByRole('button', { name: 'Create SCIM token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create SCIM token' });
    await dialog.getByLabel('Name').fill('Okta');
    await dialog.getByRole('button', { name: 'Create SCIM token' }).click();
    const token = (await dialog.getByLabel('SCIM token', { exact: true }).textContent()) ?? '';
    expect(token.length).toBeGreaterThan(20);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('table', { name: 'SCIM tokens' }).getByRole('row', { name: /Okta/ }).waitFor();
    expect(await page.content()).not.toContain(token);
    await expectLatestAuditAction('Created SCIM token');
  });

  it('General: deleting an organization, typed name confirmed, lands in another of the person’s', async () => {
    await page.getByRole('button', { name: 'New organization' }).click();
    const create = page.getByRole('dialog', { name: 'New organization' });
    await create.getByLabel('Name').fill('Doomed');
    await create.getByRole('button', { name: 'Create organization' }).click();
    await expect.poll(async () => page.getByLabel('Organization').locator('option:checked').textContent()).toBe('Doomed');

    await openTab('General');
    await page.getByRole('button', { name: 'Delete organization' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete organization Doomed?' });
    await dialog.getByLabel('Type Doomed to confirm').fill('Doomed');
    await dialog.getByRole('button', { name: 'Delete this organization' }).click();
    await page.getByRole('status').getByText(/^Doomed was deleted\. You are now in /).waitFor();
  });
});
