import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import type { JsonValue } from '../json.ts';
import { openPostgresStore } from '../postgres/postgres-store.ts';
import { startTestPostgres, type TestPostgres } from '../postgres/testing/embedded-postgres.ts';
import { isSecret, Secret } from '../secret.ts';
import { openSqliteStore } from '../sqlite/sqlite-store.ts';
import type { Store } from '../store.ts';
import { addDevice, OTHER_KEY, SECRET_KEY, TestClock } from '../suite/harness.ts';
import type { TaskArgs } from '../task-args.ts';
import { CopyError, copyStore } from './copy.ts';
import type { CopyEndpoint } from './endpoint.ts';
import { COPY_ORDER, ENGINE_ONLY } from './plan.ts';
import { PostgresEndpoint } from './postgres-endpoint.ts';
import { SqliteEndpoint } from './sqlite-endpoint.ts';

const started = await startTestPostgres();
const skip = 'skip' in started ? started.skip : undefined;
if (skip !== undefined) console.log(`# store copy tests skipped: ${skip}`);
const server = 'skip' in started ? undefined : (started as TestPostgres);
after(() => server?.stop());

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
let databases = 0;

async function emptyDatabase(): Promise<string> {
  const name = `copy_${++databases}`;
  await server!.createDatabase(name);
  return server!.url(name);
}

const WEIRD = 'nul\u0000and\u0001one ünïcödé 😀';
const SECRET_VALUE = 'wifi-key-secret-5f2a';

/** An installation made through the Store API: every table gets rows. */
async function makeInstallation(
  devices = 12,
): Promise<{ dir: string; path: string; ids: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'corral-copy-'));
  dirs.push(dir);
  const path = join(dir, 'corral.db');
  const clock = new TestClock();
  const store = await openSqliteStore({ path, secretKey: SECRET_KEY, clock: clock.read });
  try {
    const ids: string[] = [];
    for (let i = 0; i < devices; i++) {
      clock.advance(1000);
      const { device } = await addDevice(store, `SN${String(i).padStart(3, '0')}`, {
        parameters: [
          { path: 'Device.DeviceInfo.SoftwareVersion', value: `1.${i}`, type: 'string' },
          { path: 'Device.X.Weird', value: WEIRD, type: 'string' },
          { path: 'Device.WiFi.Key', value: new Secret(`${SECRET_VALUE}-${i}`), type: 'string' },
          { path: 'Device.X.', writable: false },
        ],
        remoteAddress: '192.0.2.7',
      });
      ids.push(device.id);
      await store.devices.addTags(device.id, ['lab', `t${i % 3}`]);
    }
    // A deleted device: SQLite's AUTOINCREMENT never hands its key out again, nor must the target.
    const gone = (await addDevice(store, 'GONE')).device.id;
    await store.devices.delete(gone);
    await store.devices.setProvisioningState(ids[0]!, { step: 2, note: WEIRD });
    await store.parameters.markIndexed('Device.DeviceInfo.SoftwareVersion');
    const id = ids[0]!;
    await store.credentials.setCpe(id, { username: 'cpe-0', password: new Secret('cpe-pw-1') });
    await store.credentials.setConnectionRequest(id, {
      username: 'cr',
      password: new Secret('cr-pw-2'),
    });
    await store.credentials.putBootstrap({
      username: 'boot',
      password: new Secret('boot-pw-3'),
      allow: { ouis: ['00D09E'], productClasses: [], serialPattern: 'SN*' },
    });
    // Tasks in several states.
    const gpv: TaskArgs = { type: 'getParameterValues', parameterNames: ['Device.'] };
    const done = await store.tasks.enqueue(id, { args: gpv, createdBy: 'key-1' });
    await store.tasks.enqueue(id, { args: { type: 'reboot', commandKey: 'rb' } });
    const claimed = await store.tasks.claimNext(id, 'sess-1');
    assert.equal(claimed.status, 'claimed');
    await store.tasks.complete(done.id, 'sess-1', { result: { ok: WEIRD } });
    const failing = await store.tasks.enqueue(ids[1]!, { args: gpv });
    await store.tasks.claimNext(ids[1]!, 'sess-2');
    await store.tasks.fault(failing.id, 'sess-2', { code: 9005, message: 'bad', permanent: true });
    const cancelled = await store.tasks.enqueue(ids[2]!, { args: gpv });
    await store.tasks.cancel(cancelled.id);
    await store.tasks.enqueue(ids[3]!, {
      args: {
        type: 'download',
        commandKey: 'fw',
        fileType: '1 Firmware Upgrade Image',
        url: 'https://files.example/fw.bin',
        username: 'dl',
        password: new Secret('download-pw-4'),
        fileSize: 0,
        targetFileName: '',
        delaySeconds: 0,
        successUrl: '',
        failureUrl: '',
      },
    });
    await store.tasks.claimNext(ids[3]!, 'sess-3'); // left running
    await store.presets.put('wifi', {
      declarations: { values: [{ path: 'A.Password', value: new Secret('preset-pw-5') }] },
    } as unknown as JsonValue);
    const file = await store.files.create({
      name: 'fw-2.bin',
      fileType: '1 Firmware Upgrade Image',
      target: { oui: '00D09E', productClass: 'IGD', softwareVersion: '1.0' },
      size: 1234,
      sha256: 'a'.repeat(64),
      blobId: 'blob-1',
      createdBy: 'key:ops',
    });
    await store.files.recordUpload(ids[4]!, {
      fileType: '1 Vendor Configuration File',
      name: 'backup.cfg',
      size: 42,
      sha256: 'b'.repeat(64),
      blobId: 'u-1',
    });
    const campaign = await store.campaigns.create({
      name: 'fw',
      definition: { fileId: file.id, softwareVersion: '2.0', stages: [{ devices: 2 }] },
      createdBy: 'alice',
    });
    await store.campaigns.approve(campaign.id, 'bob');
    await store.campaigns.start(
      campaign.id,
      ids.slice(0, 4).map((deviceId, i) => ({
        deviceId,
        stage: 0,
        state: i === 3 ? ('skipped' as const) : ('pending' as const),
      })),
    );
    await store.users.create({
      name: 'alice',
      role: 'admin',
      password: new Secret('alice-password-long'),
      createdBy: 'cli',
    });
    await store.userSessions.create('alice', { idleMs: 60_000, maxAgeMs: 3_600_000 });
    await store.apiKeys.create({ name: 'ops', role: 'operator', createdBy: 'alice' });
    for (let i = 0; i < 5; i++)
      await store.audit.record({ actor: 'alice', action: `a${i}`, target: WEIRD, details: { i } });
    for (let i = 0; i < 3; i++)
      await store.traces.append(ids[5]!, 'trace-1', {
        direction: i % 2 === 0 ? 'cpe-to-acs' : 'acs-to-cpe',
        body: `<soap>${i}${WEIRD}</soap>`,
        at: clock.now + i,
      });
    return { dir, path, ids };
  } finally {
    await store.close();
  }
}

/** Everything the Store API gives back, secrets revealed. */
async function readBack(store: Store, ids: readonly string[]): Promise<unknown> {
  const reveal = (v: unknown): unknown =>
    JSON.parse(JSON.stringify(v, (_, x) => (isSecret(x) ? { secret: x.reveal() } : x)));
  const revealDeep = (v: unknown): unknown => {
    if (isSecret(v)) return { secret: v.reveal() };
    if (Array.isArray(v)) return v.map(revealDeep);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revealDeep(x)]));
    return v;
  };
  const perDevice = [];
  for (const id of ids) {
    perDevice.push({
      device: await store.devices.get(id),
      events: await store.devices.events(id),
      provisioning: await store.devices.getProvisioningState(id),
      parameters: await store.parameters.list(id),
      secret: (await store.parameters.reveal(id, 'Device.WiFi.Key'))?.reveal(),
      queue: revealDeep(await store.tasks.queue(id)),
      cpe: revealDeep(await store.credentials.getCpe(id)),
      cr: revealDeep(await store.credentials.getConnectionRequest(id)),
      uploads: await store.files.uploads(id),
      traces: await Promise.all(
        (await store.traces.sessions(id)).map(async (s) => ({
          s,
          m: await store.traces.read(id, s.sessionId),
        })),
      ),
    });
  }
  const campaigns = await store.campaigns.list();
  return reveal({
    perDevice,
    tasks: revealDeep(await store.tasks.list({ limit: 1000 } as never)),
    tags: await store.devices.listTags(),
    indexed: await store.parameters.listIndexed(),
    bootstrap: revealDeep(await store.credentials.getBootstrap('boot')),
    presets: revealDeep(await store.presets.list()),
    files: await store.files.list(),
    campaigns: await Promise.all(
      campaigns.map(async (c) => ({ c, d: await store.campaigns.devices(c.id) })),
    ),
    users: await store.users.list(),
    apiKeys: await store.apiKeys.list(),
    audit: await store.audit.list({ limit: 1000 }),
  });
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
    assert.equal(result.secretsChecked, 4);
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
    const dir = mkdtempSync(join(tmpdir(), 'corral-copy-back-'));
    dirs.push(dir);
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
