import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, signIn } from './browser';

let browser: Browser;
let page: Page;

/**
 * expectLatestAuditAction opens the Audit Log and waits for action to be the
 * newest event.
 */
async function expectLatestAuditAction(action: string) {
  await page.getByRole('link', { name: 'Audit Log' }).click();
  const firstRow = page.getByRole('table', { name: 'Audit events' }).locator('tbody tr.audit-row').first();
  await expect.poll(() => firstRow.locator('td').nth(2).textContent()).toBe(action);
}

beforeAll(async () => {
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(10_000);
  await signIn(page, '/settings/roles', inject('adminEmail'));
  await page.waitForURL(/\/settings\/roles$/);
});

afterAll(async () => {
  await browser?.close();
});

describe('each Settings tab’s change lands at the top of the Audit Log', () => {
  it('Roles & Permissions: creating a role', async () => {
    await page.getByRole('link', { name: 'Roles & Permissions' }).click();
    await page.getByRole('button', { name: 'Create role' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create role' });
    await dialog.getByLabel('Name').fill('Auditors');
    await dialog.getByRole('checkbox', { name: /audit_log:read/ }).check();
    await dialog.getByRole('button', { name: 'Create role' }).click();
    await page.getByRole('row', { name: /Auditors/ }).waitFor();
    await expectLatestAuditAction('Created role');
  });

  it('Roles & Permissions: a duplicate name is refused next to the form', async () => {
    await page.getByRole('link', { name: 'Roles & Permissions' }).click();
    await page.getByRole('button', { name: 'Create role' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create role' });
    await dialog.getByLabel('Name').fill('Auditors');
    await dialog.getByRole('button', { name: 'Create role' }).click();
    await page.locator('.toast, .field-error').first().waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('Service Accounts: creating one and an API key, shown once', async () => {
    await page.getByRole('link', { name: 'Service Accounts' }).click();
    await page.getByRole('button', { name: 'Create service account' }).click();
    const create = page.getByRole('dialog', { name: 'Create service account' });
    await create.getByLabel('Name').fill('Exporter');
    await create.getByRole('button', { name: 'Create service account' }).click();
    await page.getByRole('heading', { name: 'Exporter' }).waitFor();
    await expectLatestAuditAction('Created service account');

    await page.getByRole('link', { name: 'Service Accounts' }).click();
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
});
