import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, url } from './browser';
import { signInToOwnOrganization } from './ownOrganization';

// Issue 16, items 4, 7 and 9: server errors where the eye is, focus that
// comes back after a dialog, and an Audit Log search that keeps its results.

let browser: Browser;
let page: Page;
let gql: <T = unknown>(query: string, variables?: Record<string, unknown>) => Promise<T>;

/**
 * openTab loads a Settings tab afresh, by its label, so that each test starts
 * from a page no earlier test left a dialog open on.
 */
async function openTab(label: string) {
  await page.goto(url('/settings'));
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { name: label, level: 2 }).waitFor();
}

/** focused describes the element holding the keyboard focus: its tag and accessible text. */
function focused(): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return 'body';
    return `${element.tagName.toLowerCase()}: ${element.getAttribute('aria-label') ?? element.textContent?.trim()}`;
  });
}

/** isOnTop tells whether locator is what a person sees at its centre: not covered, e.g. by a dialog's backdrop. */
async function isOnTop(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return top !== null && (element === top || element.contains(top));
  });
}

/** description is the accessible description of a form control: the text of the elements it names in aria-describedby. */
function description(control: Locator): Promise<string> {
  return control.evaluate((element) =>
    (element.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ')
      .trim(),
  );
}

/** screenshots saves the page at 1280 px and at 390 px wide, as test-results/<name>-1280.png and -390.png. */
async function screenshots(name: string) {
  await screenshot(page, `${name}-1280`);
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, `${name}-390`);
  await page.setViewportSize({ width: 1280, height: 800 });
}

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page, gql } = await signInToOwnOrganization(browser, {
    organization: 'Feedback E2E',
    email: 'feedback-admin@e2e.example.com',
    context: { permissions: ['clipboard-read', 'clipboard-write'] },
  }));
});

afterAll(async () => {
  await browser?.close();
});

describe('a server error shows at the field it concerns, inside the dialog (item 4)', () => {
  it('a role name already taken: at Name, announced, as a sentence, and gone after the next save', async () => {
    await gql(`mutation { createRole(input: {name: "Support"}) { role { id } } }`);
    await openTab('Roles & Permissions');
    await page.getByRole('button', { name: 'Create role' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create role' });
    const name = dialog.getByLabel('Name');
    await name.fill('Support');
    await dialog.getByRole('button', { name: 'Create role' }).click();

    const error = dialog.getByRole('alert');
    await expect.poll(() => error.textContent()).toBe('A role named "Support" already exists.');
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await description(name)).toBe('A role named "Support" already exists.');
    expect(await name.evaluate((input) => input === document.activeElement)).toBe(true);
    expect(await isOnTop(error)).toBe(true);
    expect(await page.locator('.toast').count()).toBe(0);
    await screenshots('feedback-role-name-taken');

    await name.fill('Support desk');
    await dialog.getByRole('button', { name: 'Create role' }).click();
    await page.getByRole('row', { name: /Support desk/ }).waitFor();
    expect(await page.getByText(/already exists/).count()).toBe(0);
  });

  it('an email already invited: at Email, inside the dialog; the next invitation sent says so in a toast alone', async () => {
    await gql(`mutation { inviteMember(input: {email: "bob@acme.test"}) { invitation { id } } }`);
    await openTab('Members');
    await page.getByRole('button', { name: 'Invite member' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite member' });
    const email = dialog.getByLabel('Email');
    await email.fill('bob@acme.test');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    const error = dialog.getByRole('alert');
    await expect.poll(() => error.textContent()).toBe('An invitation to bob@acme.test is already pending.');
    expect(await description(email)).toBe('An invitation to bob@acme.test is already pending.');
    expect(await isOnTop(error)).toBe(true);
    expect(await page.locator('.toast').count()).toBe(0);
    await screenshots('feedback-invitation-pending');

    await email.fill('carol@acme.test');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await dialog.waitFor({ state: 'detached' });
    const toast = page.locator('.toast');
    await expect.poll(() => toast.allTextContents()).toEqual(['Invitation sent to carol@acme.test.']);
    expect(await isOnTop(toast)).toBe(true);
    expect(await page.getByText(/already pending/).count()).toBe(0);
  });
});

describe('focus comes back after a dialog (item 7)', () => {
  it('to the button that opened it, after Escape and after Cancel', async () => {
    await openTab('Roles & Permissions');
    const create = page.getByRole('button', { name: 'Create role' });
    await create.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Create role' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await focused()).toBe('button: Create role');

    await create.click();
    await page.getByRole('dialog', { name: 'Create role' }).getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await focused()).toBe('button: Create role');
  });

  it('to the tab’s heading when the row it was opened from is deleted', async () => {
    await gql(`mutation { createRole(input: {name: "Short-lived"}) { role { id } } }`);
    await openTab('Roles & Permissions');
    await page.getByRole('button', { name: 'Delete Short-lived' }).click();
    await page.getByRole('dialog', { name: 'Delete role Short-lived?' }).getByRole('button', { name: 'Delete role' }).click();
    await page.getByRole('row', { name: /Short-lived/ }).waitFor({ state: 'detached' });
    await expect.poll(focused).toBe('h2: Roles & Permissions');
  });

  it('a new key takes the focus on its Copy button, and Escape asks before closing it uncopied', async () => {
    await gql(`mutation { createServiceAccount(input: {name: "Exporter"}) { serviceAccount { id } } }`);
    await openTab('Service Accounts');
    const opener = page.getByRole('button', { name: 'Create API key for Exporter' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Create API key for Exporter' });
    await dialog.getByLabel('Name').fill('nightly');
    await dialog.getByRole('button', { name: 'Create API key' }).click();
    await dialog.getByLabel('API key', { exact: true }).waitFor();
    expect(await focused()).toBe('button: Copy API key');
    await screenshots('feedback-new-key-copy-focused');

    await page.keyboard.press('Escape');
    const ask = page.getByRole('alertdialog', { name: 'You have not copied the API key. Close anyway?' });
    await ask.waitFor();
    await screenshots('feedback-close-uncopied-key');
    await ask.getByRole('button', { name: 'Keep open' }).click();
    await ask.waitFor({ state: 'detached' });
    expect(await dialog.getByLabel('API key', { exact: true }).isVisible()).toBe(true);

    await page.keyboard.press('Escape');
    await ask.getByRole('button', { name: 'Close anyway' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await focused()).toBe('button: Create API key for Exporter');
  });

  it('a key copied closes on Escape without asking', async () => {
    await openTab('Service Accounts');
    await page.getByRole('button', { name: 'Create API key for Exporter' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API key for Exporter' });
    await dialog.getByLabel('Name').fill('weekly');
    await dialog.getByRole('button', { name: 'Create API key' }).click();
    const key = await dialog.getByLabel('API key', { exact: true }).textContent();
    // The key shows a moment before the focus moves to its Copy button.
    await expect.poll(focused).toBe('button: Copy API key');
    await page.keyboard.press('Enter'); // the focused Copy button
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    // The dialog learns of the copy when the clipboard's promise settles, a moment after the text lands.
    await dialog.getByRole('status').getByText('Copied').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    expect(await focused()).toBe('button: Create API key for Exporter');
  });
});

describe('the Audit Log search keeps its results while the term is too short (item 9)', () => {
  it('shows a hint under the search box instead of an error screen', async () => {
    await openTab('Audit Log');
    const rows = page.getByRole('table', { name: 'Audit events' }).locator('tbody tr.audit-row');
    await rows.first().waitFor();
    const before = await rows.count();
    const search = page.getByLabel('Search');
    await search.fill('S');
    // The search box asks the server's grammar, which says what the term lacks.
    const hint = page.getByText('"S" needs at least 3 letters or digits in a row to be searched');
    await hint.waitFor();
    // Long enough for the search to have run, had it been sent.
    await page.waitForTimeout(1500);
    expect(await page.getByText(/Could not load audit events/).count()).toBe(0);
    expect(await rows.count()).toBe(before);
    expect(new URL(page.url()).searchParams.has('q')).toBe(false);
    await screenshots('feedback-audit-search-hint');

    await search.fill('bob@acme');
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('bob@acme');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().locator('td').nth(2).textContent()).toBe('Invited member');
    expect(await hint.count()).toBe(0);
  });
});
