import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { adminSignInLink, logLength, magicLinkFor } from './orgtrail';

/** chromiumPath is Debian's Chromium: playwright-core never downloads a browser of its own. */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * waitLimit is how long a page waits for what a test expects to appear. It is
 * generous because CI shares two cores between the server, PostgreSQL and
 * Chromium; a test never asserts how fast anything was.
 */
export const waitLimit = 20_000;

/** launchBrowser starts a headless Chromium. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumFlags });
}

/** url is path on the server under test. */
export function url(path: string): string {
  return inject('baseURL') + path;
}

/**
 * signIn opens path signed out, is sent to the sign-in page, asks for a magic
 * link for email, and follows the link from the server log back to path.
 */
export async function signIn(page: Page, path: string, email: string) {
  await page.goto(url(path));
  await page.waitForURL(/\/sign-in\?next=/);
  await followMagicLink(page, email);
}

/**
 * signInAsAdmin signs the bootstrap admin in with a one-time link from
 * `orgtrail bootstrap` (no rate limit) and opens path. Files that test the
 * sign-in page itself use signIn instead.
 */
export async function signInAsAdmin(page: Page, path: string) {
  await page.goto(await adminSignInLink(inject('workDir'), inject('baseURL'), inject('adminEmail')));
  await page.waitForURL((u) => !u.pathname.startsWith('/auth/'));
  await page.goto(url(path));
}

/**
 * followMagicLink, on the sign-in page, asks for a magic link for email and
 * follows the link from the server log.
 */
export async function followMagicLink(page: Page, email: string) {
  const logFile = inject('logFile');
  const seen = await logLength(logFile);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  await page.goto(await magicLinkFor(logFile, email, seen));
}

/** gqlAs runs a GraphQL request with page's session, as the app does, and returns its data; an error fails. */
export async function gqlAs<T = unknown>(page: Page, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const result = (await page.evaluate(
    async ({ query, variables }) => {
      const response = await fetch('/graphql', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-Orgtrail-CSRF': '1' },
        body: JSON.stringify({ query, variables }),
      });
      return response.json();
    },
    { query, variables },
  )) as { data: T; errors?: unknown };
  if (result.errors) throw new Error(`${query}: ${JSON.stringify(result.errors)}`);
  return result.data;
}

const screenshotDir = resolve(import.meta.dirname, '../test-results');

/** screenshot saves the whole page as test-results/<name>.png. */
export async function screenshot(page: Page, name: string) {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: resolve(screenshotDir, `${name}.png`), fullPage: true });
}

/**
 * screenshotsAt saves the page at 1280×800 and at 390 px wide, as
 * test-results/<name>-1280.png and -390.png; narrow, when given, readies the
 * narrow page (scrolls to what the screenshot is of).
 */
export async function screenshotsAt(page: Page, name: string, narrow?: () => Promise<void>) {
  await screenshot(page, `${name}-1280`);
  await page.setViewportSize({ width: 390, height: 844 });
  await narrow?.();
  await screenshot(page, `${name}-390`);
  await page.setViewportSize({ width: 1280, height: 800 });
}
