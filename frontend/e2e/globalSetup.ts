import type { TestProject } from 'vitest/node';
import { startOrgtrail } from './orgtrail';

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
    organizationId: string;
    adminEmail: string;
    logFile: string;
    /** workDir is the server's working directory (its .data), for running orgtrail commands beside it. */
    workDir: string;
  }
}

/** seededEvents exceed one page of the Audit Log, so "Load more" has something to load. */
const seededEvents = 120;

/** setup starts one orgtrail server for every browser test file and stops it afterwards. */
export default async function setup(project: TestProject) {
  const orgtrail = await startOrgtrail({ seedEvents: seededEvents });
  project.provide('baseURL', orgtrail.baseURL);
  project.provide('organizationId', orgtrail.organizationId);
  project.provide('adminEmail', orgtrail.adminEmail);
  project.provide('logFile', orgtrail.logFile);
  project.provide('workDir', orgtrail.workDir);
  return orgtrail.stop;
}
