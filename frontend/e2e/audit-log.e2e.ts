import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, screenshot, signIn, url, waitLimit } from './browser';

let browser: Browser;
let context: BrowserContext;
let page: Page;

const table = () => page.getByRole('table', { name: 'Audit events' });
const eventRows = () => table().locator('tbody tr.audit-row');
const cellTexts = async (column: number) =>
  eventRows().evaluateAll((rows, i) => rows.map((r) => r.children[i]?.textContent ?? ''), column);

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.setDefaultTimeout(waitLimit);
  await signIn(page, '/settings/audit-log', inject('adminEmail'));
});

afterAll(async () => {
  await browser?.close();
});

describe('Audit Log tab', () => {
  it('returns to the Audit Log after sign-in, with the sign-in at the top', async () => {
    await page.waitForURL(url('/settings/audit-log'));
    await eventRows().first().waitFor();
    expect(await cellTexts(2)).toContain('Logged in');
    expect((await cellTexts(2))[0]).toBe('Logged in');
    await screenshot(page, 'audit-log-1280x800');
  });

  it('loads more events below those already shown', async () => {
    const before = await eventRows().count();
    expect(before).toBe(50);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => eventRows().count()).toBeGreaterThan(before);
  });

  it('narrows the table by category, and keeps the filter through a reload', async () => {
    await page.getByLabel('Category').selectOption({ label: 'Authentication' });
    await expect.poll(() => page.url()).toContain('category=AUTHENTICATION');
    await expect.poll(async () => new Set(await cellTexts(3))).toEqual(new Set(['Auth']));
    await page.reload();
    await eventRows().first().waitFor();
    expect(await page.getByLabel('Category').inputValue()).toBe('AUTHENTICATION');
    expect(new Set(await cellTexts(3))).toEqual(new Set(['Auth']));
  });

  it('narrows the table by action, offering only the category’s actions', async () => {
    const actions = await page.getByLabel('Action').locator('option').allTextContents();
    expect(actions).toContain('Logged in');
    expect(actions).not.toContain('Created role');
    await page.getByLabel('Action').selectOption({ label: 'Logged in' });
    await expect.poll(async () => new Set(await cellTexts(2))).toEqual(new Set(['Logged in']));
  });

  it('narrows the table to today', async () => {
    await page.getByLabel('Date range').selectOption({ label: 'Today' });
    await expect.poll(() => page.url()).toContain('range=TODAY');
    await eventRows().first().waitFor();
    const times = await eventRows().locator('time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')));
    const startOfToday = new Date();
    startOfToday.setHours(0, 0, 0, 0);
    for (const time of times) expect(new Date(time!).getTime()).toBeGreaterThanOrEqual(startOfToday.getTime());
  });

  it('searches, and says so when nothing matches', async () => {
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect.poll(() => eventRows().count()).toBe(50);
    await page.getByLabel('Search').fill(inject('adminEmail'));
    await expect.poll(() => page.url()).toContain('q=');
    // The seeded events are by other people: searching for the admin leaves the admin's own
    // (polled together: while the search loads the table is briefly empty).
    const narrowedToAdmin = async () =>
      (await eventRows().count()) < 50 &&
      (await eventRows().locator('.actor').allTextContents()).includes(inject('adminEmail'));
    await expect.poll(narrowedToAdmin).toBe(true);
    await page.getByLabel('Search').fill('no-such-thing-anywhere');
    await page.getByText('No events match these filters').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).last().click();
    await eventRows().first().waitFor();
  });

  it('opens an event’s details', async () => {
    await eventRows().first().locator('button[aria-haspopup="dialog"]').click();
    const panel = page.getByRole('dialog');
    await panel.waitFor();
    await expect.poll(() => panel.textContent()).toContain('Request ID');
    await screenshot(page, 'audit-log-detail');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
  });

  it('is usable on a narrow screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await eventRows().first().waitFor();
    expect(await page.getByLabel('Category').isVisible()).toBe(true);
    // Every field of a row is on screen, not behind a sideways scroll.
    const row = eventRows().first();
    const action = row.locator('button[aria-haspopup="dialog"]');
    const box = await action.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    expect(await row.getByRole('button', { name: /^Copy resource ID/ }).isVisible()).toBe(true);
    await action.click();
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await screenshot(page, 'audit-log-390x844');
  });
});
