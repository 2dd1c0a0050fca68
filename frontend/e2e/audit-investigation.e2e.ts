import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { gqlAs, launchBrowser, screenshotsAt, signIn, url, waitLimit } from './browser';
import { runOrgtrail } from './orgtrail';
import { signInToOwnOrganization } from './ownOrganization';

// Issue 13: the Audit Log as an investigation tool. One organization of this
// file's own, with seeded history, walked through the histogram, pivots,
// qualifiers, a change search, the live tail (fed from a second browser) and
// the keys, while every console message and CSP violation is collected.

const email = 'investigator@e2e.example.com';
let browser: Browser;
let page: Page;
let gql: <T = unknown>(query: string, variables?: Record<string, unknown>) => Promise<T>;
let second: BrowserContext;
let other: Page;
const consoleProblems: string[] = [];

const table = () => page.getByRole('table', { name: 'Audit events' });
const rows = () => table().locator('tbody tr.audit-row');
const columnTexts = (column: number) => rows().evaluateAll((rs, i) => rs.map((r) => r.children[i]?.textContent ?? ''), column);
const search = () => page.getByRole('searchbox', { name: 'Search' });

/** openLog loads the Audit Log at query (a URL query string) and waits for its rows. */
async function openLog(query = '') {
  await page.goto(url(`/settings/audit-log${query}`));
  await rows().first().waitFor();
}

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page, gql } = await signInToOwnOrganization(browser, { organization: 'Investigation E2E', email }));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleProblems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleProblems.push(`page error: ${e.message}`));
  // A CSP violation is also reported as a DOM event: count those we would not see in the console.
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP: ${e.violatedDirective} ${e.blockedURI}`)),
  );
  const { organization } = await gql<{ organization: { id: string } }>(`{ organization { id } }`);
  // History to investigate: made-up events over 120 days, and a few of ours.
  await runOrgtrail(inject('workDir'), inject('baseURL'), 'seed', '--org', organization.id, '--events', '600');
  await gql(`mutation { createRole(input: {name: "Incident responders", permissions: ["audit_log:read"]}) { role { id } } }`);
  await gql(`mutation { createRole(input: {name: "Temp helpers"}) { role { id } } }`);
  // Whatever the default, the newest change of signInMethods adds OIDC.
  await gql(`mutation { updateOrganizationSettings(input: {signInMethods: [MAGIC_LINK]}) { organization { id } } }`);
  await gql(`mutation { updateOrganizationSettings(input: {signInMethods: [MAGIC_LINK, OIDC]}) { organization { id } } }`);

  second = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  other = await second.newPage();
  other.setDefaultTimeout(waitLimit);
  await signIn(other, '/settings', email);
  await other.waitForURL(/\/settings/);
});

afterAll(async () => {
  await browser?.close();
});

describe('the Audit Log as an investigation tool', () => {
  it('narrows the range to a histogram bar, and the table agrees', async () => {
    await openLog();
    const bars = page.locator('.timeline-bar');
    await bars.first().waitFor();
    const labels = await bars.evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label') ?? ''));
    // A bar with events, not the newest (which holds this file's own).
    const index = labels.findIndex((l, i) => i < labels.length - 1 && !/: 0 events/.test(l));
    expect(index).toBeGreaterThanOrEqual(0);
    const count = Number(/: ([\d,]+) events?/.exec(labels[index]!)![1]!.replace(/,/g, ''));
    await bars.nth(index).click();
    await expect.poll(() => page.url()).toMatch(/from=.*to=/);
    const params = new URL(page.url()).searchParams;
    const from = new Date(params.get('from')!).getTime();
    const to = new Date(params.get('to')!).getTime();
    await expect
      .poll(() => page.locator('#audit-timeline-caption').textContent())
      .toMatch(new RegExp(`^${count.toLocaleString('en-US')} events? from`));
    await rows().first().waitFor();
    const times = await rows()
      .locator('time')
      .evaluateAll((ts) => ts.map((t) => new Date(t.getAttribute('datetime')!).getTime()));
    for (const t of times) {
      expect(t).toBeGreaterThanOrEqual(from);
      expect(t).toBeLessThanOrEqual(to + 1);
    }
    expect(times.length).toBe(Math.min(count, 50));
    await screenshotsAt(page, 'audit-investigation-histogram');
  });

  it('pivots to an actor, a resource, a request and an address, each a chip in the URL', async () => {
    const pivots = [
      { button: 'By this actor', param: 'actor', chip: /^Remove Actor: / },
      { button: 'On this resource', param: 'resource', chip: /^Remove Resource: role/ },
      { button: 'Of this request', param: 'request', chip: /^Remove Request: / },
      { button: 'From this IP address', param: 'ip', chip: /^Remove IP address: / },
    ];
    for (const pivot of pivots) {
      await openLog('?q=%22Incident+responders%22');
      await rows().first().getByRole('button', { name: 'Created role' }).click();
      const panel = page.getByRole('dialog', { name: 'Created role' });
      await panel.getByRole('button', { name: pivot.button }).click();
      await panel.waitFor({ state: 'detached' });
      await expect.poll(() => new URL(page.url()).searchParams.has(pivot.param)).toBe(true);
      const chip = page.getByRole('list', { name: 'Narrowed to' }).getByRole('button', { name: pivot.chip });
      await chip.waitFor();
      await rows().first().waitFor();
      expect(await columnTexts(2)).toContain('Created role');
      if (pivot.param === 'actor') expect(new Set(await rows().locator('.actor').allTextContents())).toEqual(new Set([email]));
      if (pivot.param === 'resource') await screenshotsAt(page, 'audit-investigation-pivot');
      await chip.click();
      await expect.poll(() => new URL(page.url()).searchParams.has(pivot.param)).toBe(false);
    }
  });

  it('searches with qualifiers, and points at the token of a bad one', async () => {
    await openLog();
    await search().fill('action:created_role -"Temp helpers"');
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('action:created_role -"Temp helpers"');
    await expect.poll(async () => new Set(await columnTexts(2))).toEqual(new Set(['Created role']));
    expect((await columnTexts(4)).join(' ')).not.toContain('Temp helpers');
    const shown = await rows().count();

    await search().fill('action:created_role categry:secrets');
    const error = page.locator('.search-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/categry/);
    expect(await page.locator('.search-echo mark').textContent()).toBe('categry:secrets');
    expect(await search().getAttribute('aria-invalid')).toBe('true');
    // The events of the last good search stay.
    expect(new URL(page.url()).searchParams.get('q')).toBe('action:created_role -"Temp helpers"');
    expect(await rows().count()).toBe(shown);
    await screenshotsAt(page, 'audit-investigation-bad-query');
  });

  it('finds the events that changed a field, and shows the change as a diff', async () => {
    await openLog();
    await search().fill('changed:signInMethods');
    await expect.poll(async () => new Set(await columnTexts(2))).toEqual(new Set(['Updated org settings']));
    await rows().first().getByRole('button', { name: 'Updated org settings' }).click();
    const panel = page.getByRole('dialog', { name: 'Updated org settings' });
    const changes = panel.locator('table.changes');
    await changes.waitFor();
    expect(await changes.locator('ins').allTextContents()).toContain('added OIDC');
    await screenshotsAt(page, 'audit-investigation-diff');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
  });

  it('streams an event made in another browser into the top of the table, and holds them while paused', async () => {
    await openLog();
    const live = page.getByRole('button', { name: 'Live' });
    await live.click();
    expect(await live.getAttribute('aria-pressed')).toBe('true');
    const status = page.locator('.live-status [role="status"]');
    await expect.poll(() => status.textContent()).toBe('Live: 0 new events since Live began');

    await gqlAs(other, `mutation { createRole(input: {name: "Made elsewhere"}) { role { id } } }`);
    const fresh = table().locator('tbody tr.audit-row.fresh');
    await fresh.first().waitFor();
    expect(await fresh.first().locator('.resource-name').textContent()).toBe('Made elsewhere');
    expect(await status.textContent()).toBe('Live: 1 new event since Live began');
    await screenshotsAt(page, 'audit-investigation-live');

    await page.getByRole('button', { name: 'Pause' }).click();
    await gqlAs(other, `mutation { createRole(input: {name: "Made while paused"}) { role { id } } }`);
    await expect.poll(() => status.textContent()).toBe('Paused: 1 new event held back, 2 since Live began');
    expect(await fresh.count()).toBe(1);
    await page.getByRole('button', { name: 'Resume and show 1 new event' }).click();
    await expect.poll(() => fresh.first().locator('.resource-name').textContent()).toBe('Made while paused');
    await live.click();
    await page.locator('.live-status').waitFor({ state: 'detached' });
  });

  it('is driven from the keyboard: / searches, j and k move, Enter opens, Escape closes', async () => {
    await openLog();
    await page.keyboard.press('/');
    expect(await search().evaluate((e) => e === document.activeElement)).toBe(true);
    await page.locator('h2#audit-log-heading').click(); // out of the search box
    const selected = () => table().locator('tr[aria-selected="true"]').getAttribute('data-event-id');
    const ids = await rows().evaluateAll((rs) => rs.map((r) => r.getAttribute('data-event-id')));
    await page.keyboard.press('j');
    await expect.poll(selected).toBe(ids[0]);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await expect.poll(selected).toBe(ids[1]);
    await page.keyboard.press('Enter');
    const panel = page.getByRole('dialog');
    await panel.waitFor();
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
  });

  it('leaves the console clean: no errors, no warnings, no CSP violations', () => {
    expect(consoleProblems).toEqual([]);
  });
});
