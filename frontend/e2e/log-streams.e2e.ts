import { execFile } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, screenshotsAt, url, waitLimit } from './browser';
import { signInToOwnOrganization } from './ownOrganization';

const run = promisify(execFile);

// Issue 12: the Audit Log's export, and Settings › Audit Log › Streams sending
// the log to a webhook the test runs (HTTPS with its own CA, every batch's
// signature checked as a receiver would).

interface Received {
  sequence: number;
  action: string;
}

let browser: Browser;
let page: Page;
let gql: <T = unknown>(query: string, variables?: Record<string, unknown>) => Promise<T>;
let dir: string;
let receiver: Server;
let receiverURL: string;
let caPEM: string;
let secret = '';
const received: Received[] = [];
const refused: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orgtrail-e2e-streams-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert]);
  caPEM = await readFile(cert, 'utf8');
  receiver = createServer({ key: await readFile(key), cert: caPEM }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const header = String(req.headers['orgtrail-signature'] ?? '');
      const t = /t=(\d+)/.exec(header)?.[1] ?? '';
      const v1 = /v1=([0-9a-f]+)/.exec(header)?.[1] ?? '';
      const want = createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
      if (v1.length !== want.length || !timingSafeEqual(Buffer.from(v1), Buffer.from(want))) {
        refused.push(header);
        res.writeHead(401).end();
        return;
      }
      for (const line of body.toString('utf8').split('\n').filter(Boolean)) {
        const event = JSON.parse(line) as { sequence: number; action: string };
        received.push({ sequence: event.sequence, action: event.action });
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverURL = `https://127.0.0.1:${(receiver.address() as AddressInfo).port}/orgtrail`;

  browser = await launchBrowser();
  const own = await signInToOwnOrganization(browser, {
    organization: 'Streams Co',
    email: 'streams-admin@streams-co.example',
    context: { acceptDownloads: true },
  });
  page = own.page;
  gql = own.gql;
  page.setDefaultTimeout(waitLimit);
});

afterAll(async () => {
  await browser?.close();
  receiver?.close();
  await rm(dir, { recursive: true, force: true });
});

async function until(what: string, cond: () => boolean | Promise<boolean>) {
  const deadline = Date.now() + 30_000;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`after 30 s: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Log streams (issue 12)', () => {
  it('exports exactly the events the Audit Log shows, as CSV', async () => {
    for (const name of ['Exported one', 'Exported two']) {
      await gql(`mutation($name: String!) { createRole(input: {name: $name, permissions: ["secrets:read"]}) { role { id } } }`, { name });
    }
    const { auditEvents } = await gql<{ auditEvents: { edges: { node: { id: string } }[] } }>(
      `{ auditEvents(filter: {category: ROLES_AND_PERMISSIONS}, first: 200) { edges { node { id } } } }`,
    );
    await page.goto(url('/settings/audit-log?category=ROLES_AND_PERMISSIONS'));
    await page.getByRole('table', { name: 'Audit events' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^audit-log-.+\.csv$/);
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe(
      'Time,Actor,Action,Category,Resource,Event ID,Actor type,Actor ID,Actor email,Actor name,Resource type,Resource ID,Resource name,IP address,User agent,Request ID,Details',
    );
    for (const line of lines.slice(1)) expect(line).toContain('Roles & Permissions');
    // The same events as the tab's filter, in its order (newest first): the sixth column is the event id.
    expect(lines.slice(1).map((line) => line.split(',')[5])).toEqual(auditEvents.edges.map((e) => e.node.id));
    expect(lines.length).toBeGreaterThan(2);
  });

  it('adds a webhook stream from the Audit Log, shows its secret once, and sends a test event', async () => {
    await page.goto(url('/settings/audit-log'));
    await page.getByRole('link', { name: 'Log streams' }).click();
    await page.waitForURL(url('/settings/audit-log/streams'));
    await page.getByRole('heading', { name: 'Log streams' }).waitFor();
    await page.getByRole('button', { name: 'Add stream' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add log stream' });
    await dialog.getByLabel('Name').fill('SIEM webhook');
    await dialog.getByLabel('Destination').selectOption({ label: 'HTTPS webhook' });
    await dialog.getByLabel('URL (required)').fill(receiverURL);
    await dialog.getByLabel('CA certificate (PEM)').fill(caPEM);
    await screenshot(page, 'log-streams-add-1280x800');
    await dialog.getByRole('button', { name: 'Add stream' }).click();
    const shown = page.getByRole('dialog', { name: 'Webhook signing secret' });
    secret = (await shown.getByLabel('signing secret', { exact: true }).textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    await shown.getByRole('button', { name: 'Copy signing secret' }).click();
    await shown.getByRole('button', { name: 'Done' }).click();

    const row = page.getByRole('table', { name: 'Log streams' }).getByRole('row', { name: /SIEM webhook/ });
    await row.getByText('Active').waitFor();
    await row.getByRole('button', { name: 'Send test event SIEM webhook' }).click();
    const test = page.getByRole('dialog', { name: 'Send test event: SIEM webhook' });
    await test.getByText('Test event delivered').waitFor();
    await test.getByRole('button', { name: 'Close' }).click();
    expect(received.some((e) => e.sequence === -1)).toBe(true);
  });

  it('delivers what happens next, in order, and shows the stream up to date', async () => {
    await gql(`mutation { createRole(input: {name: "Streamed", permissions: ["secrets:read"]}) { role { id } } }`);
    await until('the webhook receives the new role', () => received.some((e) => e.action === 'CREATED_ROLE'));
    const delivered = received.filter((e) => e.sequence >= 0).map((e) => e.sequence);
    expect(delivered).toEqual([...delivered].sort((a, b) => a - b));
    expect(received.find((e) => e.sequence >= 0)?.action).toBe('CREATED_LOG_STREAM');
    expect(refused).toEqual([]);
    await until('the page shows the stream up to date', async () => {
      await page.reload();
      const row = page.getByRole('table', { name: 'Log streams' }).getByRole('row', { name: /SIEM webhook/ });
      return (await row.textContent())?.includes('Up to date') ?? false;
    });
    await screenshotsAt(page, 'log-streams');
  });

  it('pauses and resumes the stream, each recorded in the Audit Log', async () => {
    const row = page.getByRole('table', { name: 'Log streams' }).getByRole('row', { name: /SIEM webhook/ });
    await row.getByRole('button', { name: 'Pause SIEM webhook' }).click();
    await row.getByText('Paused').waitFor();
    // Paused, the stream falls behind, and says by how much.
    await gql(`mutation { createRole(input: {name: "While paused", permissions: ["secrets:read"]}) { role { id } } }`);
    await until('the page shows the paused stream behind', async () => {
      await page.reload();
      return /\d+ events?, \d+ s/.test((await row.textContent()) ?? '');
    });
    await row.getByRole('button', { name: 'Resume SIEM webhook' }).click();
    await row.getByText('Active').waitFor();
    await until('the webhook receives what happened while paused', () => received.filter((e) => e.action === 'CREATED_ROLE').length >= 2);
    const { auditEvents } = await gql<{ auditEvents: { edges: { node: { action: string } }[] } }>(
      `{ auditEvents(filter: {category: AUDIT_LOG}) { edges { node { action } } } }`,
    );
    expect(auditEvents.edges.map((e) => e.node.action)).toEqual([
      'RESUMED_LOG_STREAM',
      'PAUSED_LOG_STREAM',
      'CREATED_LOG_STREAM',
      'EXPORTED_AUDIT_LOG',
    ]);
  });

  it('deletes the stream once the admin confirms, and records it', async () => {
    const table = page.getByRole('table', { name: 'Log streams' });
    await table.getByRole('button', { name: 'Delete SIEM webhook' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete log stream SIEM webhook?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await table.getByRole('row', { name: /SIEM webhook/ }).waitFor();
    await table.getByRole('button', { name: 'Delete SIEM webhook' }).click();
    await confirm.getByRole('button', { name: 'Delete stream' }).click();
    await page.getByText(/Log stream .SIEM webhook. deleted/).waitFor();
    await table.getByRole('row', { name: /SIEM webhook/ }).waitFor({ state: 'detached' });
    const { logStreams } = await gql<{ logStreams: { id: string }[] }>(`{ logStreams { id } }`);
    expect(logStreams).toEqual([]);
    const { auditEvents } = await gql<{ auditEvents: { edges: { node: { action: string } }[] } }>(
      `{ auditEvents(filter: {category: AUDIT_LOG}, first: 1) { edges { node { action } } } }`,
    );
    expect(auditEvents.edges[0].node.action).toBe('DELETED_LOG_STREAM');
  });
});
