import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { inject } from 'vitest';
import { followMagicLink, gqlAs, signInAsAdmin, url, waitLimit } from './browser';
import { logLength, mailedLinkFor } from './orgtrail';

interface OwnOrganization {
  /** page is signed in as the organization's admin, at /settings. */
  page: Page;
  /** gql runs a request as that admin. */
  gql: <T = unknown>(query: string, variables?: Record<string, unknown>) => Promise<T>;
}

/**
 * signInToOwnOrganization gives a test file an organization of its own, and a
 * person of its own who administers only it, so that what the file changes
 * (and where a later sign-in lands) touches no other file's: the bootstrap
 * admin creates the organization, invites email as its Admin and goes back to
 * where it was; the invitee accepts in a new browser context and is signed in.
 */
export async function signInToOwnOrganization(
  browser: Browser,
  { organization, email, context: options }: { organization: string; email: string; context?: BrowserContextOptions },
): Promise<OwnOrganization> {
  const logFile = inject('logFile');
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  admin.setDefaultTimeout(waitLimit);
  await signInAsAdmin(admin, '/settings');
  await admin.waitForURL(/\/settings/);
  const created = await gqlAs<{ createSiblingOrganization: { organization: { id: string } } }>(
    admin,
    `mutation($name: String!) { createSiblingOrganization(input: {name: $name}) { organization { id } } }`,
    { name: organization },
  );
  const switchTo = (id: string) =>
    gqlAs(admin, `mutation($id: ID!) { switchOrganization(input: {organizationId: $id}) { viewer { organization { id } } } }`, {
      id,
    });
  await switchTo(created.createSiblingOrganization.organization.id);
  const { roles } = await gqlAs<{ roles: { id: string; name: string }[] }>(admin, `{ roles { id name } }`);
  const adminRole = roles.find((r) => r.name === 'Admin');
  if (!adminRole) throw new Error(`no Admin role in ${JSON.stringify(roles)}`);
  const seen = await logLength(logFile);
  await gqlAs(admin, `mutation($email: String!, $roles: [ID!]) { inviteMember(input: {email: $email, roleIds: $roles}) { invitation { id } } }`, {
    email,
    roles: [adminRole.id],
  });
  // Back where it was: the bootstrap admin's next sign-in lands there, as other files expect.
  await switchTo(inject('organizationId'));
  await adminContext.close();

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(waitLimit);
  await page.goto(await mailedLinkFor(logFile, email, seen, '/invitations/accept'));
  await page.waitForURL(/\/sign-in\?next=%2Finvitations%2Faccept/);
  await followMagicLink(page, email);
  await page.waitForURL(/\/invitations\/accept\?token=/);
  await page.getByText(/You joined|you are a member/).waitFor();
  await page.goto(url('/settings'));
  await page.waitForURL(/\/settings\/general$/);
  return { page, gql: (query, variables) => gqlAs(page, query, variables) };
}
