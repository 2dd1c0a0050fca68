import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, screenshot, signIn, url, waitLimit } from './browser';
import { binary } from './orgtrail';

const run = promisify(execFile);

let browser: Browser;
let page: Page;
let downloads: string;

beforeAll(async () => {
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  page = await context.newPage();
  page.setDefaultTimeout(waitLimit);
  downloads = await mkdtemp(join(tmpdir(), 'orgtrail-e2e-bundle-'));
  await signIn(page, '/settings/audit-log', inject('adminEmail'));
});

afterAll(async () => {
  await browser?.close();
  await rm(downloads, { recursive: true, force: true });
});

describe('Verifiable audit log (issue 11)', () => {
  it('says through when the signed log covers the events', async () => {
    await page.waitForURL(url('/settings/audit-log'));
    const status = page.getByText(/^Verified through .+ \([\d,]+ events\)$/);
    await status.waitFor();
    await screenshot(page, 'audit-log-verified-1280x800');
  });

  it('shows an event’s sequence number and its proof in the detail panel', async () => {
    const row = page.getByRole('table', { name: 'Audit events' }).locator('tbody tr.audit-row').nth(1);
    await row.locator('button[aria-haspopup="dialog"]').click();
    const panel = page.getByRole('dialog');
    await panel.getByText(/^Included in the signed log of [\d,]+ events$/).waitFor();
    expect(await panel.getByText('Log sequence').locator('xpath=following-sibling::dd[1]').textContent()).toMatch(/^[\d,]+$/);
    await page.keyboard.press('Escape');
  });

  it('downloads the verification bundle, which orgtrail verify checks with the published key', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download verification bundle' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^audit-log-bundle-.+\.ndjson$/);
    const bundle = join(downloads, download.suggestedFilename());
    await download.saveAs(bundle);
    const key = (await (await fetch(url('/.well-known/orgtrail-audit-log-key'))).text()).trim().split('\n')[0];
    const { stdout } = await run(binary, ['verify', '--bundle', bundle, '--key', key]);
    expect(stdout).toMatch(/^ok: \d+ events are in the log /);
    expect(stdout).toContain('complete: every sequence number from 0');
  });
});
