import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { openPostgresStore } from '../postgres/postgres-store.ts';
import { startTestPostgres, type TestPostgres } from '../postgres/testing/embedded-postgres.ts';
import { Secret } from '../secret.ts';
import { openSqliteStore } from '../sqlite/sqlite-store.ts';
import { addDevice, OTHER_KEY, SECRET_KEY } from '../suite/harness.ts';
import { CopyError, copyStore } from './copy.ts';
import type { CopyEndpoint } from './endpoint.ts';
import { COPY_ORDER, ENGINE_ONLY } from './plan.ts';
import { PostgresEndpoint } from './postgres-endpoint.ts';
import { SqliteEndpoint } from './sqlite-endpoint.ts';
import {
  makeInstallation,
  readBack,
  removeInstallations,
  SECRET_VALUE,
  tempDir,
  WEIRD,
} from './testing.ts';

const started = await startTestPostgres();
const skip = 'skip' in started ? started.skip : undefined;
if (skip !== undefined) console.log(`# store copy tests skipped: ${skip}`);
const server = 'skip' in started ? undefined : (started as TestPostgres);
after(() => server?.stop());

after(removeInstallations);
let databases = 0;

async function emptyDatabase(): Promise<string> {
  const name = `copy_${++databases}`;
  await server!.createDatabase(name);
  return server!.url(name);
}

async function endpoints(
  path: string,
  url: string,
): Promise<{ source: CopyEndpoint; target: CopyEndpoint; close(): Promise<void> }> {
  // Each store migrates its own database first, as the command does.
  await (await openSqliteStore({ path, secretKey: SECRET_KEY })).close();
  await (await openPostgresStore({ url, secretKey: SECRET_KEY })).close();
  const source = new SqliteEndpoint(path, `sqlite:${path}`);
  const target = await PostgresEndpoint.connect(url, 'postgres://test');
  return {
    source,
    target,
    close: async () => {
      await source.close();
      await target.close();
    },
  };
}

async function copy(
  path: string,
  url: string,
  options: Partial<Parameters<typeof copyStore>[0]> = {},
): Promise<Awaited<ReturnType<typeof copyStore>>> {
  const ends = await endpoints(path, url);
  try {
    return await copyStore({ ...ends, secretKey: SECRET_KEY, ...options });
  } finally {
    await ends.close();
  }
}

async function tableNames(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    return r.rows.map((x) => x.tablename as string);
  } finally {
    await client.end();
  }
}

describe('corral store copy', { skip }, () => {
  it('copies an installation from SQLite to PostgreSQL: the Store API reads back the same, secrets included', async () => {
    const { path, ids } = await makeInstallation();
    const url = await emptyDatabase();
    const result = await copy(path, url, { batchRows: 7 });
    assert.equal(result.equal, true);
    assert.equal(result.resumed, false);
    assert.equal(result.secretsChecked, 6);
    assert.deepEqual(
      result.counts.map((c) => c.table),
      COPY_ORDER,
      'every table of both engines is copied, in order',
    );
    for (const c of result.counts) assert.ok(c.source > 0, `${c.table} has rows to copy`);
    assert.ok(
      !(await tableNames(url)).includes('store_copy_progress'),
      'the progress table is gone',
    );

    const sqlite = await openSqliteStore({ path, secretKey: SECRET_KEY });
    const postgres = await openPostgresStore({ url, secretKey: SECRET_KEY });
    try {
      assert.deepEqual(await readBack(postgres, ids), await readBack(sqlite, ids));
      // What the read-back holds, spelled out.
      assert.equal(
        (await postgres.parameters.reveal(ids[0]!, 'Device.WiFi.Key'))?.reveal(),
        `${SECRET_VALUE}-0`,
      );
      assert.equal((await postgres.parameters.get(ids[1]!, 'Device.X.Weird'))?.value, WEIRD);
      assert.equal((await postgres.credentials.getCpe(ids[0]!))?.password.reveal(), 'cpe-pw-1');
      assert.equal(
        (await postgres.credentials.getConnectionRequest(ids[0]!))?.password.reveal(),
        'cr-pw-2',
      );
      assert.equal(
        (await postgres.credentials.getBootstrap('boot'))?.password.reveal(),
        'boot-pw-3',
      );
      assert.deepEqual(
        (await postgres.tasks.list({ limit: 1000 } as never)).map((t) => t.state).sort(),
        ['cancelled', 'done', 'failed', 'pending', 'running'],
      );
      assert.ok(await postgres.users.verifyPassword('alice', new Secret('alice-password-long')));
      // Generated keys carry on past the source's, also past the deleted device's.
      const a = await addDevice(sqlite, 'NEXT');
      const b = await addDevice(postgres, 'NEXT');
      const keys = async (store: 'sqlite' | 'postgres') => {
        if (store === 'sqlite') {
          const e = new SqliteEndpoint(path, 'x');
          try {
            return await e.first("SELECT key FROM devices WHERE serial_number = 'NEXT'");
          } finally {
            await e.close();
          }
        }
        const e = await PostgresEndpoint.connect(url, 'x');
        try {
          return await e.first("SELECT key FROM devices WHERE serial_number = 'NEXT'");
        } finally {
          await e.close();
        }
      };
      assert.equal(a.device.id, b.device.id);
      assert.deepEqual(await keys('postgres'), await keys('sqlite'));
      const t1 = await sqlite.tasks.enqueue(a.device.id, {
        args: { type: 'reboot', commandKey: '' },
      });
      const t2 = await postgres.tasks.enqueue(b.device.id, {
        args: { type: 'reboot', commandKey: '' },
      });
      assert.equal(t2.id, t1.id);
      const e1 = await sqlite.audit.record({ actor: 'x', action: 'y' });
      const e2 = await postgres.audit.record({ actor: 'x', action: 'y' });
      assert.equal(e2.id, e1.id);
    } finally {
      await sqlite.close();
      await postgres.close();
    }
  });

  it('resumes an interrupted copy where it stopped, to the same result; refuses a non-empty target', async () => {
    const { path, ids } = await makeInstallation(30);
    const url = await emptyDatabase();
    let batches = 0;
    await assert.rejects(
      copy(path, url, {
        batchRows: 5,
        afterBatch: () => {
          if (++batches === 9) throw new Error('killed');
        },
      }),
      /killed/,
    );
    assert.ok((await tableNames(url)).includes('store_copy_progress'));
    // Stopped again mid-way by its signal, between two batches.
    const abort = new AbortController();
    let more = 0;
    await assert.rejects(
      copy(path, url, {
        batchRows: 5,
        signal: abort.signal,
        afterBatch: () => {
          if (++more === 4) abort.abort();
        },
      }),
      (e: unknown) => e instanceof CopyError && e.code === 'interrupted',
    );
    const done = await copy(path, url, { batchRows: 5 });
    assert.equal(done.resumed, true);
    assert.equal(done.equal, true);
    assert.ok(done.copied < done.counts.reduce((a, c) => a + c.source, 0), 'only the rest copied');

    const sqlite = await openSqliteStore({ path, secretKey: SECRET_KEY });
    const postgres = await openPostgresStore({ url, secretKey: SECRET_KEY });
    try {
      assert.deepEqual(await readBack(postgres, ids), await readBack(sqlite, ids));
    } finally {
      await sqlite.close();
      await postgres.close();
    }

    // Copied: the target now holds an installation, and a second copy is refused before it writes.
    const other = await makeInstallation(6);
    await assert.rejects(
      copy(other.path, url),
      (e: unknown) =>
        e instanceof CopyError &&
        e.code === 'not-empty' &&
        /already holds data \(devices: 30 rows/.test(e.message),
    );
  });

  it('resumes only the copy it started: another source is refused; a source changed meanwhile fails the count', async () => {
    const { path } = await makeInstallation(6);
    const url = await emptyDatabase();
    await assert.rejects(
      copy(path, url, {
        batchRows: 2,
        afterBatch: (table) => {
          if (table === 'tasks') throw new Error('killed');
        },
      }),
      /killed/,
    );
    const other = await makeInstallation(6);
    await assert.rejects(
      copy(other.path, url),
      (e: unknown) =>
        e instanceof CopyError &&
        e.code === 'other-copy' &&
        e.message.includes(`interrupted copy (sqlite:${path} -> postgres://test)`),
    );
    // A device added to the source after its table was copied: the counts tell.
    const store = await openSqliteStore({ path, secretKey: SECRET_KEY });
    await addDevice(store, 'LATE');
    await store.close();
    const result = await copy(path, url, { batchRows: 2 });
    assert.equal(result.equal, false);
    assert.deepEqual(
      result.counts.filter((c) => c.source !== c.target),
      [
        { table: 'devices', source: 7, target: 6 },
        { table: 'device_events', source: 14, target: 12 },
      ],
    );
    assert.ok((await tableNames(url)).includes('store_copy_progress'), 'kept: not a finished copy');
  });

  it('refuses a key that does not open the source secrets, before writing anything', async () => {
    const { path } = await makeInstallation(6);
    const url = await emptyDatabase();
    await assert.rejects(
      copy(path, url, { secretKey: OTHER_KEY }),
      /the secret key does not open the source's secrets/,
    );
    assert.ok(!(await tableNames(url)).includes('store_copy_progress'));
    const ends = await endpoints(path, url);
    try {
      assert.equal(await ends.target.count('devices'), 0);
    } finally {
      await ends.close();
    }
  });

  it('copies back from PostgreSQL to SQLite the same way', async () => {
    const { path, ids } = await makeInstallation(6);
    const url = await emptyDatabase();
    assert.equal((await copy(path, url)).equal, true);
    const dir = tempDir('corral-copy-back-');
    const back = join(dir, 'corral.db');
    await (await openSqliteStore({ path: back, secretKey: SECRET_KEY })).close();
    const source = await PostgresEndpoint.connect(url, 'postgres://test');
    const target = new SqliteEndpoint(back, `sqlite:${back}`);
    try {
      const result = await copyStore({ source, target, secretKey: SECRET_KEY, batchRows: 3 });
      assert.equal(result.equal, true);
    } finally {
      await source.close();
      await target.close();
    }
    const original = await openSqliteStore({ path, secretKey: SECRET_KEY });
    const copied = await openSqliteStore({ path: back, secretKey: SECRET_KEY });
    try {
      assert.deepEqual(await readBack(copied, ids), await readBack(original, ids));
    } finally {
      await original.close();
      await copied.close();
    }
  });

  it('names every table of both schemas: copied, or one engine own', async () => {
    const { path } = await makeInstallation(6);
    const url = await emptyDatabase();
    const ends = await endpoints(path, url);
    try {
      const names = new Set([
        ...(await ends.source.tables()).keys(),
        ...(await ends.target.tables()).keys(),
      ]);
      for (const n of names)
        assert.ok(COPY_ORDER.includes(n) || ENGINE_ONLY.has(n), `table ${n} is in the copy plan`);
    } finally {
      await ends.close();
    }
  });
});
