import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { gqlAs, launchBrowser, screenshot, screenshotsAt, signInAsAdmin, url, waitLimit } from './browser';

// Issue 16, item 10: the smaller things an admin saw on screen, each checked
// in the browser in an organization of this file's own.

let browser: Browser;
let page: Page;
const organization = 'Details Org 16';

/** gql runs a GraphQL request with the page's session, as the app does, and returns its data. */
const gql = <T = unknown>(query: string, variables?: Record<string, unknown>) => gqlAs<T>(page, query, variables);

/** scim sends a SCIM request with token, as an identity provider does, and returns the created resource's id. */
async function scim(token: string, path: string, body: unknown): Promise<string> {
  const response = await fetch(url(`/scim/v2${path}`), {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** shoot saves the page at 1280 and 390 px wide (screenshotsAt). */
const shoot = (name: string) => screenshotsAt(page, name);

/** openTab opens a Settings tab by its label. */
async function openTab(label: string) {
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: label, exact: true }).click();
}

/** toast waits for the toast saying message. */
async function toast(message: string) {
  await page.locator('.toasts').getByText(message, { exact: true }).waitFor();
}

// Each test starts by loading its tab, so one that fails leaves no dialog
// in the way of the next.

/** ids of this file's objects, made in beforeAll. */
const made = { support: '', escalations: '', bot: '' };

beforeAll(async () => {
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(waitLimit);
  await signInAsAdmin(page, '/settings');
  await page.waitForURL(/\/settings/);
  const created = await gql<{ createSiblingOrganization: { organization: { id: string } } }>(
    `mutation($name: String!) { createSiblingOrganization(input: {name: $name}) { organization { id } } }`,
    { name: organization },
  );
  await gql(`mutation($o: ID!) { switchOrganization(input: {organizationId: $o}) { viewer { organization { id } } } }`, {
    o: created.createSiblingOrganization.organization.id,
  });
  const me = await gql<{ viewer: { user: { id: string } } }>(`{ viewer { user { id } } }`);
  const role = async (name: string) =>
    (
      await gql<{ createRole: { role: { id: string } } }>(
        `mutation($name: String!) { createRole(input: {name: $name, permissions: ["members:read"]}) { role { id } } }`,
        { name },
      )
    ).createRole.role.id;
  made.support = await role('Support 16');
  made.escalations = await role('Escalations');
  made.bot = (
    await gql<{ createServiceAccount: { serviceAccount: { id: string } } }>(
      `mutation { createServiceAccount(input: {name: "helpdesk-bot"}) { serviceAccount { id } } }`,
    )
  ).createServiceAccount.serviceAccount.id;
  const assign = `mutation($r: ID!, $u: ID, $s: ID) { assignRole(input: {roleId: $r, userId: $u, serviceAccountId: $s}) { role { id } } }`;
  await gql(assign, { r: made.support, u: me.viewer.user.id });
  await gql(assign, { r: made.support, s: made.bot });
  await gql(
    `mutation { createApiAccessKey(input: {name: "Nightly export", permissions: ["audit_log:read", "members:read"]}) { key } }`,
  );
});

afterAll(async () => {
  // Later files sign in where the latest session was: leave it in the first organization.
  await gql(`mutation($o: ID!) { switchOrganization(input: {organizationId: $o}) { viewer { organization { id } } } }`, {
    o: inject('organizationId'),
  }).catch(() => undefined);
  await browser?.close();
});

describe('the smaller things of Settings', () => {
  it('Roles: Viewer and Auditor are built in, read-only, next to Admin', async () => {
    await page.goto(url('/settings/roles'));
    const roles = page.getByRole('table', { name: 'Roles' });
    for (const name of ['Admin', 'Viewer', 'Auditor']) {
      const row = roles.getByRole('row', { name: new RegExp(`^${name} Built-in`) });
      await row.waitFor();
      expect(await row.getByRole('button').count()).toBe(0);
    }
    expect(await roles.getByRole('row', { name: /^Auditor/ }).textContent()).toContain('audit_log:read');
    const viewer = (await roles.getByRole('row', { name: /^Viewer/ }).textContent()) ?? '';
    expect(viewer).toContain('api_access_keys:read');
    expect(viewer).not.toContain(':write');
    await shoot('roles-built-in');
  });

  it('Audit Log: an assigned role names the person or service account it went to', async () => {
    await page.goto(url('/settings/audit-log'));
    const assigned = page
      .getByRole('table', { name: 'Audit events' })
      .locator('tbody tr.audit-row')
      .filter({ hasText: 'Assigned role' })
      .filter({ hasText: 'Support 16' });
    await expect.poll(() => assigned.count()).toBe(2);
    const texts = await assigned.allTextContents();
    expect(texts.some((t) => t.includes('→') && t.includes(inject('adminEmail')))).toBe(true);
    expect(texts.some((t) => t.includes('→') && t.includes('helpdesk-bot'))).toBe(true);
    await shoot('audit-log-role-assignee');
  });

  it('Roles: deleting a role says who holds it, and how many', async () => {
    await page.goto(url('/settings/roles'));
    await page.getByRole('button', { name: 'Delete Support 16' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete role Support 16?' });
    const holders = dialog.getByRole('list', { name: 'Holders of Support 16' });
    await holders.waitFor();
    expect(await dialog.textContent()).toContain('1 member and 1 service account hold this role');
    expect(await holders.textContent()).toContain(inject('adminEmail'));
    expect(await holders.textContent()).toContain('helpdesk-bot');
    await shoot('role-delete-holders');
    await dialog.getByRole('button', { name: 'Delete role' }).click();
    await toast('Role “Support 16” deleted.');
  });

  it('Members: SCIM-provisioned members are marked; taking a role their group gave warns first', async () => {
    const { createScimToken } = await gql<{ createScimToken: { token: string } }>(
      `mutation { createScimToken(input: {name: "Details IdP"}) { token } }`,
    );
    const sam = await scim(createScimToken.token, '/Users', {
      userName: 'sam@details16.example',
      displayName: 'Sam Provisioned',
      emails: [{ value: 'sam@details16.example', type: 'work', primary: true }],
    });
    const group = await scim(createScimToken.token, '/Groups', { displayName: 'Helpdesk', members: [{ value: sam }] });
    await gql(`mutation($g: ID!, $r: ID!) { mapScimGroupToRole(input: {groupId: $g, roleId: $r}) { group { id } } }`, {
      g: group,
      r: made.escalations,
    });

    await page.goto(url('/settings/members'));
    const row = page.getByRole('table', { name: 'Members' }).getByRole('row', { name: /Sam Provisioned/ });
    await row.getByText('Provisioned by SCIM').waitFor();
    expect(await row.getByRole('list', { name: 'Roles of sam@details16.example' }).textContent()).toContain(
      'Escalations · from SCIM',
    );
    const admin = page.getByRole('table', { name: 'Members' }).getByRole('row', { name: new RegExp(inject('adminEmail')) });
    expect(await admin.getByText('Provisioned by SCIM').count()).toBe(0);

    await page.getByRole('button', { name: 'Edit roles of sam@details16.example' }).click();
    const dialog = page.getByRole('dialog', { name: 'Roles of sam@details16.example' });
    expect(await dialog.getByRole('alert').count()).toBe(0);
    await dialog.getByRole('checkbox', { name: /Escalations/ }).uncheck();
    const warning = dialog.getByRole('alert');
    await expect.poll(() => warning.textContent()).toContain(
      'The identity provider granted sam@details16.example this role through the SCIM group “Helpdesk”, and will grant it again',
    );
    await shoot('members-scim-role-warning');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('Members: an invitation offers Viewer first, and reads “in 7 days” once sent', async () => {
    await page.goto(url('/settings/members'));
    await page.getByRole('button', { name: 'Invite member' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite member' });
    expect(await dialog.getByRole('checkbox', { name: /^Viewer/ }).isChecked()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: /^Admin/ }).isChecked()).toBe(false);
    await dialog.getByLabel('Email').fill('newbie@details16.example');
    await shoot('members-invite-viewer');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await toast('Invitation sent to newbie@details16.example.');
    const invitation = page.getByRole('table', { name: 'Pending invitations' }).getByRole('row', { name: /newbie@/ });
    await invitation.waitFor();
    expect(await invitation.textContent()).toContain('Viewer');
    expect(await invitation.textContent()).toContain('in 7 days');
  });

  it('Service Accounts: renaming one, recorded as “Updated service account”', async () => {
    await page.goto(url('/settings/service-accounts'));
    await page.getByRole('button', { name: 'Edit helpdesk-bot' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit service account helpdesk-bot' });
    await dialog.getByLabel('Name').fill('support-bot');
    await dialog.getByLabel('Description').fill('Answers the helpdesk queue');
    await shoot('service-account-edit');
    await dialog.getByRole('button', { name: 'Save service account' }).click();
    await toast('Service account “support-bot” updated.');
    await page.getByRole('heading', { name: 'support-bot' }).waitFor();

    await openTab('Audit Log');
    const first = page.getByRole('table', { name: 'Audit events' }).locator('tbody tr.audit-row').first();
    await expect.poll(() => first.locator('td').nth(2).textContent()).toBe('Updated service account');
    expect(await first.locator('td').nth(3).locator('abbr').getAttribute('title')).toBe('Service Accounts');
  });

  it('every tab says what it created, changed or deleted, the same way', async () => {
    await page.goto(url('/settings/secrets'));
    await page.getByRole('button', { name: 'Create secret' }).click();
    const create = page.getByRole('dialog', { name: 'Create secret' });
    await create.getByLabel('Name').fill('DETAILS_TOKEN');
    await create.getByLabel('Value').fill('details-e2e-value');
    await create.getByRole('button', { name: 'Create secret' }).click();
    await toast('Secret “DETAILS_TOKEN” created.');
    await page.getByRole('button', { name: 'Delete DETAILS_TOKEN' }).click();
    await page.getByRole('dialog', { name: 'Delete secret DETAILS_TOKEN?' }).getByRole('button', { name: 'Delete secret' }).click();
    await toast('Secret “DETAILS_TOKEN” deleted.');

    await page.goto(url('/settings/roles'));
    await page.getByRole('button', { name: 'Create role' }).click();
    const role = page.getByRole('dialog', { name: 'Create role' });
    await role.getByLabel('Name').fill('Temp 16');
    await role.getByRole('button', { name: 'Create role' }).click();
    await toast('Role “Temp 16” created.');

    await page.goto(url('/settings/service-accounts'));
    await page.getByRole('button', { name: 'Create service account' }).click();
    const account = page.getByRole('dialog', { name: 'Create service account' });
    await account.getByLabel('Name').fill('temp-bot');
    await account.getByRole('button', { name: 'Create service account' }).click();
    await toast('Service account “temp-bot” created.');
  });

  it('General: leaving with unsaved changes asks first, in the app and when the page unloads', async () => {
    await page.goto(url('/settings/general'));
    const lifetime = page.getByLabel('Session lifetime (hours)');
    await lifetime.fill('13');
    await openTab('Members');
    const prompt = page.getByRole('dialog', { name: 'Leave without saving?' });
    await prompt.waitFor();
    await shoot('general-unsaved-prompt');
    await prompt.getByRole('button', { name: 'Stay on this page' }).click();
    expect(new URL(page.url()).pathname).toBe('/settings/general');
    expect(await lifetime.inputValue()).toBe('13');
    await openTab('Members');
    await prompt.getByRole('button', { name: 'Leave without saving' }).click();
    await page.waitForURL(/\/settings\/members$/);

    // Reloading or closing the tab asks through the browser's own prompt.
    const other = await page.context().newPage();
    await other.goto(url('/settings/general'));
    const field = other.getByLabel('Session lifetime (hours)');
    await field.click();
    await field.press('End');
    await field.press('3');
    const asked = new Promise<string>((resolve) => {
      other.once('dialog', (dialog) => {
        resolve(dialog.type());
        void dialog.dismiss();
      });
    });
    await other.close({ runBeforeUnload: true });
    expect(await asked).toBe('beforeunload');
    expect(other.isClosed()).toBe(false);
    await other.close();
  });

  it('the tabs fit one row at 1280 px, and row actions stay in view at 1024 px', async () => {
    await page.goto(url('/settings/api-access-keys'));
    const tabs = page.getByRole('navigation', { name: 'Settings' });
    await tabs.getByRole('link', { name: 'Audit Log' }).waitFor();
    await page.getByRole('table', { name: 'API access keys' }).waitFor();
    const tops = await tabs.getByRole('link').evaluateAll((links) => links.map((l) => l.getBoundingClientRect().top));
    expect(tops.length).toBe(10);
    expect(new Set(tops).size).toBe(1);
    const overflow = await tabs.evaluate((nav) => nav.scrollWidth - nav.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    await page.setViewportSize({ width: 1024, height: 768 });
    const table = page.getByRole('table', { name: 'API access keys' });
    const remove = table.getByRole('button', { name: 'Delete Nightly export' });
    await remove.waitFor();
    const scroller = (await table.locator('xpath=..').boundingBox())!;
    const button = (await remove.boundingBox())!;
    expect(button.x + button.width).toBeLessThanOrEqual(scroller.x + scroller.width);
    expect(button.x + button.width).toBeLessThanOrEqual(1024);
    await screenshot(page, 'layout-api-access-keys-1024');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
