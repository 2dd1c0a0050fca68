import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, url } from './browser';
import { signInToOwnOrganization } from './ownOrganization';

// Issue 16's accessibility scan: axe-core (injected by @axe-core/playwright
// into Debian's Chromium) over every Settings tab, the dialogs that matter
// and the sign-in page. A serious or critical violation fails the test.
// To scan another screen, add it to `screens`.

let browser: Browser;
let page: Page;
let gql: <T = unknown>(query: string, variables?: Record<string, unknown>) => Promise<T>;

/** The rules checked: WCAG 2.1 A and AA, and axe's best practices. */
const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const failingImpacts = ['serious', 'critical'];

/** settingsTabs are the tabs the scan opens, by label; a test checks it is every tab an admin sees. */
const settingsTabs = [
  'General',
  'Members',
  'Roles & Permissions',
  'Service Accounts',
  'API Access Keys',
  'Secrets',
  'Connectors',
  'Identity Providers',
  'SCIM',
  'Audit Log',
];

/** Screen is one state of the app to scan, and how to reach it from anywhere, signed in. */
interface Screen {
  name: string;
  open: () => Promise<void>;
}

/** openTab loads a Settings tab afresh, by its label, and waits for its heading. */
async function openTab(label: string) {
  await page.goto(url('/settings'));
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { name: label, level: 2 }).waitFor();
  // Lists have loaded once nothing says "Loading…".
  await page.getByText(/^Loading/).waitFor({ state: 'detached' });
}

const screens: Screen[] = [
  ...settingsTabs.map((tab) => ({ name: tab, open: () => openTab(tab) })),
  {
    name: 'Roles & Permissions › Create role, with a name already taken',
    open: async () => {
      await openTab('Roles & Permissions');
      await page.getByRole('button', { name: 'Create role' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create role' });
      await dialog.getByLabel('Name').fill('Scanned');
      await dialog.getByRole('button', { name: 'Create role' }).click();
      await dialog.getByRole('alert').waitFor();
    },
  },
  {
    name: 'Service Accounts › a new API key, shown once',
    open: async () => {
      await openTab('Service Accounts');
      await page.getByRole('button', { name: 'Create API key for Scanner' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create API key for Scanner' });
      await dialog.getByLabel('Name').fill('scan');
      await dialog.getByRole('button', { name: 'Create API key' }).click();
      await dialog.getByRole('button', { name: 'Copy API key' }).waitFor();
    },
  },
  {
    name: 'Service Accounts › closing a key not copied',
    open: async () => {
      await screens.find((s) => s.name === 'Service Accounts › a new API key, shown once')!.open();
      await page.keyboard.press('Escape');
      await page.getByRole('alertdialog').waitFor();
    },
  },
  {
    name: 'General › a sign-in change that would lock everyone out, refused',
    open: async () => {
      await openTab('General');
      await page.getByRole('checkbox', { name: 'Magic link sent by email' }).uncheck();
      await page.getByRole('checkbox', { name: 'Identity providers (OpenID Connect)' }).check();
      await page.getByRole('button', { name: 'Save settings' }).click();
      // A confirmation first (the change would end this session), then the refusal.
      const confirm = page.getByRole('dialog', { name: 'Save these settings?' });
      if (await confirm.isVisible()) await confirm.getByRole('button', { name: 'Save settings' }).click();
      await page.locator('#sign-in-methods-error').waitFor();
    },
  },
  {
    name: 'General › a retention cut, confirmed with what it hides',
    open: async () => {
      await openTab('General');
      await page.getByLabel('Audit log retention (days)').fill('30');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByRole('dialog', { name: 'Save these settings?' }).waitFor();
    },
  },
  {
    name: 'Roles & Permissions › deleting a role, with who holds it',
    open: async () => {
      await openTab('Roles & Permissions');
      await page.getByRole('button', { name: 'Delete Scanned' }).click();
      await page.getByRole('dialog', { name: 'Delete role Scanned?' }).waitFor();
    },
  },
  {
    name: 'Identity Providers › adding one, with the redirect URI',
    open: async () => {
      await openTab('Identity Providers');
      await page.getByRole('button', { name: 'Add identity provider' }).click();
      await page.getByRole('dialog', { name: 'Add identity provider' }).waitFor();
    },
  },
  {
    name: 'Audit Log › a search too short',
    open: async () => {
      await openTab('Audit Log');
      await page.getByLabel('Search').fill('S');
      await page.locator('.search-error').waitFor();
    },
  },
  {
    name: 'Audit Log › a pivot chip, and a query refused at its token',
    open: async () => {
      await openTab('Audit Log');
      await page.getByRole('table', { name: 'Audit events' }).locator('tbody tr.audit-row').first().locator('button[aria-haspopup="dialog"]').click();
      await page.getByRole('dialog').getByRole('button', { name: 'On this resource' }).click();
      await page.getByRole('list', { name: 'Narrowed to' }).waitFor();
      await page.getByLabel('Search').fill('categry:secrets');
      await page.locator('.search-error').waitFor();
    },
  },
  {
    name: 'Audit Log › the live tail, paused',
    open: async () => {
      await openTab('Audit Log');
      await page.getByRole('button', { name: 'Live' }).click();
      await page.getByRole('button', { name: 'Pause' }).click();
      await page.getByText(/^Paused:/).waitFor();
    },
  },
  {
    name: 'Audit Log › an event’s details',
    open: async () => {
      await openTab('Audit Log');
      await page.getByRole('table', { name: 'Audit events' }).locator('tbody tr.audit-row').first().locator('button[aria-haspopup="dialog"]').click();
      await page.getByRole('dialog').waitFor();
    },
  },
  {
    name: 'Audit Log › Streams',
    open: openStreams,
  },
  {
    name: 'Audit Log › Streams › adding a webhook stream',
    open: async () => {
      await openStreams();
      await page.getByRole('button', { name: 'Add stream' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add log stream' });
      await dialog.getByLabel('Destination').selectOption({ label: 'HTTPS webhook' });
      await dialog.getByLabel('URL (required)').waitFor();
    },
  },
  {
    name: 'Audit Log › Streams › deleting a stream',
    open: async () => {
      await openStreams();
      await page.getByRole('button', { name: 'Delete Splunk' }).click();
      await page.getByRole('dialog', { name: 'Delete log stream Splunk?' }).waitFor();
    },
  },
];

/** openStreams loads Settings › Audit Log › Streams and waits for its list. */
async function openStreams() {
  await page.goto(url('/settings/audit-log/streams'));
  await page.getByRole('heading', { name: 'Log streams' }).waitFor();
  await page.getByRole('table', { name: 'Log streams' }).waitFor();
}

/** violationsOf scans the page as it is and describes each serious or critical violation, with where it is. */
async function violationsOf(target: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page: target }).withTags(tags).analyze();
  return results.violations
    .filter((v) => failingImpacts.includes(v.impact ?? ''))
    .flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id} (${v.help}): ${n.target.join(' ')}\n  ${n.failureSummary ?? ''}`));
}

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page, gql } = await signInToOwnOrganization(browser, {
    organization: 'Accessibility E2E',
    email: 'a11y-admin@e2e.example.com',
  }));
  // Something in each list, so rows and their actions are scanned too.
  await gql(`mutation { createRole(input: {name: "Scanned", description: "Reads things"}) { role { id } } }`);
  const sa = await gql<{ createServiceAccount: { serviceAccount: { id: string } } }>(
    `mutation { createServiceAccount(input: {name: "Scanner"}) { serviceAccount { id } } }`,
  );
  await gql(`mutation($sa: ID!) { createApiKey(input: {serviceAccountId: $sa, name: "nightly"}) { key } }`, {
    sa: sa.createServiceAccount.serviceAccount.id,
  });
  // A connector tested once, so the Connectors tab shows its last test.
  const connector = await gql<{ createConnector: { connector: { id: string } } }>(
    `mutation { createConnector(input: {name: "Warehouse", type: POSTGRESQL,
      config: {host: "127.0.0.1", port: 1, database: "warehouse", username: "reader", sslMode: "disable"}}) { connector { id } } }`,
  );
  await gql(`mutation($id: ID!) { testConnector(input: {id: $id}) { ok } }`, {
    id: connector.createConnector.connector.id,
  });
  await gql(`mutation { inviteMember(input: {email: "pat@e2e.example.com"}) { invitation { id } } }`);
  await gql(`mutation { createApiAccessKey(input: {name: "CI", permissions: ["audit_log:read"]}) { key } }`);
  await gql(`mutation { createSecret(input: {name: "DB_PASSWORD", value: "scanned"}) { secret { id } } }`);
  await gql(`mutation { createScimToken(input: {name: "Okta"}) { token } }`);
  // Paused: listed with its state, never sent anywhere.
  await gql(`mutation { createLogStream(input: {name: "Splunk", destination: SPLUNK_HEC, paused: true,
    config: {url: "https://splunk.e2e.example.com:8088"}, credentials: {token: "scanned"}}) { logStream { id } } }`);
});

afterAll(async () => {
  await browser?.close();
});

describe('no serious or critical accessibility violation', () => {
  it('scans every Settings tab an admin sees', async () => {
    await page.goto(url('/settings'));
    const links = page.getByRole('navigation', { name: 'Settings' }).getByRole('link');
    await links.first().waitFor();
    expect(await links.allTextContents()).toEqual(settingsTabs);
  });

  // Each screen at a desktop width and a phone's, whose layout differs (rows become cards).
  const widths = [1280, 390];
  it.each(screens.flatMap((screen) => widths.map((width) => ({ ...screen, width }))))(
    '$name at $width px',
    async ({ open, width }) => {
      await page.setViewportSize({ width, height: 800 });
      await open();
      expect(await violationsOf(page)).toEqual([]);
    },
  );

  it('the sign-in page', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const signedOut = await context.newPage();
    await signedOut.goto(url('/sign-in'));
    await signedOut.getByRole('button', { name: 'Email me a sign-in link' }).waitFor();
    expect(await violationsOf(signedOut)).toEqual([]);
    await context.close();
  });
});
