import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** binary is the orgtrail binary `make build` makes, with the SPA built in (or $ORGTRAIL_BIN). */
export const binary = process.env.ORGTRAIL_BIN ?? resolve(import.meta.dirname, '../../bin/orgtrail');

/** Orgtrail is a running `orgtrail serve` with its own working directory and database. */
export interface Orgtrail {
  baseURL: string;
  organizationId: string;
  adminEmail: string;
  /** adminApiKey is an admin API access key, for checks made without a browser. */
  adminApiKey: string;
  /** logFile receives the server's JSON log lines, where mail goes when SMTP_URL is unset. */
  logFile: string;
  /** workDir is the server's working directory: its local PostgreSQL lives in workDir/.data. */
  workDir: string;
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject()));
    });
  });
}

async function waitUntilReady(url: string, server: ChildProcess, logFile: string) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) {
      throw new Error(`orgtrail serve exited with ${server.exitCode}:\n${await readFile(logFile, 'utf8')}`);
    }
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`orgtrail did not become ready at ${url}`);
}

/**
 * startOrgtrail runs the real binary in a fresh temporary directory. With
 * DATABASE_URL unset it starts a PostgreSQL cluster under <dir>/.data, which
 * stop() shuts down before removing the directory.
 */
export async function startOrgtrail({ seedEvents }: { seedEvents: number }): Promise<Orgtrail> {
  const dir = await mkdtemp(join(tmpdir(), 'orgtrail-e2e-'));
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const env = commandEnv(baseURL);
  const adminEmail = 'admin@e2e.example.com';

  const logFile = join(dir, 'server.log');
  let server: ChildProcess | undefined;

  async function stop() {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    await stopPostgres(join(dir, '.data', 'postgres'));
    await rm(dir, { recursive: true, force: true });
  }

  try {
    const { stdout } = await run(binary, ['bootstrap', '--org', 'E2E Organization', '--admin', adminEmail, '--api-key'], {
      cwd: dir,
      env,
    });
    const { organizationId, apiKey: adminApiKey } = JSON.parse(stdout) as { organizationId: string; apiKey: string };
    if (seedEvents > 0) {
      await run(binary, ['seed', '--org', organizationId, '--events', String(seedEvents)], { cwd: dir, env });
    }
    const log = createWriteStream(logFile);
    server = spawn(binary, ['serve'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout?.pipe(log);
    server.stderr?.pipe(log);
    await waitUntilReady(`${baseURL}/readyz`, server, logFile);
    return { baseURL, organizationId, adminEmail, adminApiKey, logFile, workDir: dir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** commandEnv is the environment of an orgtrail command for the server at baseURL. */
function commandEnv(baseURL: string): NodeJS.ProcessEnv {
  const { DATABASE_URL: _unset, SMTP_URL: _noMail, ...inherited } = process.env;
  return { ...inherited, LISTEN_ADDR: new URL(baseURL).host, PUBLIC_URL: baseURL };
}

/**
 * adminSignInLink returns a new one-time sign-in link for the bootstrap
 * admin, from `orgtrail bootstrap` run beside the server (it uses the server's
 * running PostgreSQL and leaves it running). Unlike POST /auth/magic-link it
 * draws on no rate limit: the browser tests sign that admin in from many files
 * within minutes, more often than a person may ask for links.
 */
export async function adminSignInLink(workDir: string, baseURL: string, adminEmail: string): Promise<string> {
  const stdout = await runOrgtrail(workDir, baseURL, 'bootstrap', '--org', 'E2E Organization', '--admin', adminEmail);
  return (JSON.parse(stdout) as { signInUrl: string }).signInUrl;
}

/**
 * runOrgtrail runs an orgtrail command beside the server at baseURL: in its
 * working directory, on its running PostgreSQL (left running), and returns
 * what it printed.
 */
export async function runOrgtrail(workDir: string, baseURL: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(binary, args, { cwd: workDir, env: commandEnv(baseURL) });
  return stdout;
}

/** stopPostgres shuts down the cluster in dataDir (a fast shutdown) and waits for it to go. */
async function stopPostgres(dataDir: string) {
  let pid: number;
  try {
    pid = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  } catch {
    return; // not running
  }
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * magicLinkFor waits for the sign-in link mailed to email (written to the
 * server log while SMTP_URL is unset) and returns the newest one.
 */
export function magicLinkFor(logFile: string, email: string, after: number): Promise<string> {
  return mailedLinkFor(logFile, email, after, '/auth/magic-link/verify');
}

/**
 * mailedLinkFor waits for a link to path mailed to email after log line
 * `after` (mail is written to the server log while SMTP_URL is unset) and
 * returns the newest one.
 */
export async function mailedLinkFor(logFile: string, email: string, after: number, path: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const links = (await readFile(logFile, 'utf8'))
      .split('\n')
      .slice(after)
      .flatMap((line) => {
        try {
          const entry = JSON.parse(line) as { to?: unknown; url?: unknown };
          return entry.to === email && typeof entry.url === 'string' && entry.url.includes(path) ? [entry.url] : [];
        } catch {
          return [];
        }
      });
    if (links.length > 0) return links.at(-1)!;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no link to ${path} for ${email} in ${logFile}`);
}

/** logLength is how many lines the log has now, to look only at what comes after. */
export async function logLength(logFile: string): Promise<number> {
  return (await readFile(logFile, 'utf8')).split('\n').length - 1;
}
