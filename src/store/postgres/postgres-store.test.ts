import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { isStoreError } from '../errors.ts';
import { Secret } from '../secret.ts';
import { runStoreSuite } from '../store-suite.ts';
import { addDevice, SECRET_KEY } from '../suite/harness.ts';
import { SCHEMA_VERSION } from './migrations.ts';
import { openPostgresStore } from './postgres-store.ts';
import { startTestPostgres, type TestPostgres } from './testing/embedded-postgres.ts';
import { postgresHarness, withClient } from './testing/store-harness.ts';

// One server for the file, started before any test; each harness gets its own database, copied from a
// template the real migrations built once.
const started = await startTestPostgres();
const skip = 'skip' in started ? started.skip : undefined;
if (skip !== undefined) console.log(`# postgres store tests skipped: ${skip}`);
const server = 'skip' in started ? undefined : (started as TestPostgres);
const TEMPLATE = 'corral_template';
let databases = 0;

async function freshDatabase(): Promise<string> {
  const name = `corral_test_${++databases}`;
  await server!.createDatabase(name, TEMPLATE);
  return name;
}

before(async () => {
  if (server === undefined) return;
  await server.createDatabase(TEMPLATE);
  const store = await openPostgresStore({ url: server.url(TEMPLATE), secretKey: SECRET_KEY });
  await store.close();
});

after(async () => {
  await server?.stop();
});

if (skip === undefined) {
  runStoreSuite('postgres', postgresHarness(server!, TEMPLATE, 'corral_suite'));
}

describe('postgres store', { skip }, () => {
  it('migrates an empty database to the current schema once', async () => {
    const database = `corral_empty_${++databases}`;
    await server!.createDatabase(database);
    const url = server!.url(database);
    const store = await openPostgresStore({ url, secretKey: SECRET_KEY });
    assert.equal(store.schemaVersion, SCHEMA_VERSION);
    await store.close();
    const again = await openPostgresStore({ url, secretKey: SECRET_KEY });
    assert.equal(again.schemaVersion, SCHEMA_VERSION);
    await again.close();
    const rows = await withClient(url, async (c) => {
      const versions = (await c.query('SELECT version FROM schema_version ORDER BY version')).rows;
      const indexes = (await c.query('SELECT indexname FROM pg_indexes')).rows.map(
        (r) => r.indexname as string,
      );
      return { versions, indexes };
    });
    assert.deepEqual(
      rows.versions,
      Array.from({ length: SCHEMA_VERSION }, (_, i) => ({ version: i + 1 })),
    );
    for (const name of [
      'devices_oui',
      'devices_serial_number',
      'devices_last_inform_at',
      'parameters_indexed',
      'device_tags_tag',
    ]) {
      assert.ok(rows.indexes.includes(name), name);
    }
  });

  it('two stores migrating one empty database at once both open it, with one schema', async () => {
    const database = `corral_race_${++databases}`;
    await server!.createDatabase(database);
    const url = server!.url(database);
    const stores = await Promise.all(
      [1, 2, 3].map(() => openPostgresStore({ url, secretKey: SECRET_KEY })),
    );
    for (const s of stores) assert.equal(s.schemaVersion, SCHEMA_VERSION);
    await addDevice(stores[0]!, 'RACE1');
    assert.equal((await stores[1]!.devices.list()).length, 1);
    await Promise.all(stores.map((s) => s.close()));
    const count = await withClient(url, async (c) => {
      return (await c.query('SELECT count(*)::int AS n FROM schema_version')).rows[0].n as number;
    });
    assert.equal(count, SCHEMA_VERSION);
  });

  it('refuses a database from a newer Corral, and says so', async () => {
    const database = await freshDatabase();
    const url = server!.url(database);
    await withClient(url, (c) =>
      c.query("INSERT INTO schema_version VALUES ($1, 'future', 0)", [SCHEMA_VERSION + 1]),
    );
    await assert.rejects(openPostgresStore({ url, secretKey: SECRET_KEY }), (e) =>
      isStoreError(e, 'schema-too-new'),
    );
  });

  it('gives one of two concurrent claims on a device the task, from two stores', async () => {
    const database = await freshDatabase();
    const url = server!.url(database);
    const a = await openPostgresStore({ url, secretKey: SECRET_KEY });
    const b = await openPostgresStore({ url, secretKey: SECRET_KEY });
    try {
      for (let round = 0; round < 10; round++) {
        const id = (await addDevice(a, `CLAIM${round}`)).device.id;
        await a.tasks.enqueue(id, {
          args: { type: 'getParameterValues', parameterNames: ['Device.'] },
        });
        const results = await Promise.all([
          a.tasks.claimNext(id, `session-a-${round}`),
          b.tasks.claimNext(id, `session-b-${round}`),
        ]);
        const claimed = results.filter((r) => r.status === 'claimed');
        assert.equal(claimed.length, 1, JSON.stringify(results.map((r) => r.status)));
        assert.equal(results.filter((r) => r.status === 'busy').length, 1);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("makes one device of two nodes' simultaneous first Informs, and keeps every event", async () => {
    const url = server!.url(await freshDatabase());
    const a = await openPostgresStore({ url, secretKey: SECRET_KEY });
    const b = await openPostgresStore({ url, secretKey: SECRET_KEY });
    try {
      for (let round = 0; round < 5; round++) {
        const parameters = [{ path: 'Device.X', value: String(round), type: 'string' }];
        const outcomes = await Promise.all(
          [a, b, a, b].map((s) => addDevice(s, `TWIN${round}`, { parameters })),
        );
        assert.equal(outcomes.filter((o) => o.created).length, 1);
        assert.equal(new Set(outcomes.map((o) => o.device.id)).size, 1);
        const id = outcomes[0]!.device.id;
        assert.equal((await a.devices.events(id)).length, 8, 'two events of each Inform');
      }
      assert.equal(await b.devices.count(), 5);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('stores, finds and sorts devices whose strings are 10 kB of incompressible text', async () => {
    const store = await openPostgresStore({
      url: server!.url(await freshDatabase()),
      secretKey: SECRET_KEY,
    });
    try {
      // Past a B-tree entry's ~2.7 kB: the indexes key a prefix, the statements re-check the whole.
      const big = (tail: string) =>
        `${randomBytes(5000).toString('base64').slice(0, 9_999)}${tail}`;
      const serial = big('S');
      const value = big('V');
      await store.parameters.markIndexed('Device.X');
      const { device } = await addDevice(store, serial, {
        device: { productClass: big('P'), manufacturer: big('M') },
        parameters: [{ path: 'Device.X', value, type: 'string' }],
      });
      await addDevice(store, `${serial.slice(0, -1)}T`, {
        device: { productClass: device.productClass },
      });
      assert.equal((await store.devices.get(device.id))?.serialNumber, serial);
      const found = await store.devices.list({
        filter: [{ kind: 'parameter', path: 'Device.X', op: 'eq', value }],
      });
      assert.deepEqual(
        found.map((d) => d.id),
        [device.id],
      );
      const bySerial = await store.devices.list({
        filter: [
          { kind: 'field', field: 'serialNumber', op: 'prefix', value: serial.slice(0, -1) },
        ],
        sort: { field: 'serialNumber', direction: 'desc' },
      });
      assert.deepEqual(
        bySerial.map((d) => d.serialNumber?.slice(-1)),
        ['T', 'S'],
      );
      await store.credentials.setCpe(device.id, { username: 'big', password: new Secret('pw') });
      assert.equal((await store.credentials.getCpe(device.id))?.username, 'big');
      await store.devices.delete(device.id);
      assert.equal(await store.credentials.getCpe(device.id), null);
    } finally {
      await store.close();
    }
  });

  it('compares time fields with fractions and huge numbers as SQLite does, though they are bigint', async () => {
    const store = await openPostgresStore({
      url: server!.url(await freshDatabase()),
      secretKey: SECRET_KEY,
    });
    try {
      const at = 1_000_000;
      await addDevice(store, 'T1', { at });
      const count = (op: 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte', value: number) =>
        store.devices.count([{ kind: 'field', field: 'lastInformAt', op, value }]);
      assert.deepEqual(
        [
          await count('lt', at + 0.5),
          await count('lte', at - 0.5),
          await count('gt', at - 0.5),
          await count('gte', at + 0.5),
          await count('eq', at + 0.5),
          await count('ne', at + 0.5),
          await count('lt', 1e300),
          await count('gt', -1e300),
        ],
        [1, 0, 1, 0, 0, 1, 1, 1],
      );
      const inList = await store.devices.count([
        { kind: 'field', field: 'lastInformAt', op: 'in', values: [at, at + 0.5] },
      ]);
      assert.equal(inList, 1);
    } finally {
      await store.close();
    }
  });

  it('plans marked-parameter searches and device field filters on their indexes', async () => {
    const url = server!.url(await freshDatabase());
    await withClient(url, async (c) => {
      // Empty tables: without this the planner rightly prefers a scan.
      await c.query('SET enable_seqscan = off');
      const plan = async (sql: string, ...args: unknown[]) =>
        (await c.query(`EXPLAIN ${sql}`, args)).rows.map((r) => r['QUERY PLAN']).join(' | ');
      // The shapes device-query.ts writes.
      assert.match(
        await plan(
          `SELECT d.key FROM devices d WHERE d.key IN (SELECT device_key FROM parameters
             WHERE indexed = 1 AND path = $1 AND value = $2 AND left(value, 256) = left($2, 256))`,
          'Device.X.Y',
          'v',
        ),
        /parameters_indexed/,
      );
      assert.match(
        await plan(
          'SELECT key FROM devices d WHERE d.serial_number = $1 AND left(d.serial_number, 256) = left($1, 256)',
          'x',
        ),
        /devices_serial_number/,
      );
      assert.match(
        await plan(
          `SELECT key FROM devices d WHERE d.software_version >= $1 AND left(d.software_version, 256) >= left($1, 256)
             AND d.software_version < $2 AND left(d.software_version, 256) <= left($2, 256)`,
          '1',
          '2',
        ),
        /devices_software_version/,
      );
      assert.match(
        await plan('SELECT key FROM devices WHERE md5(id) = md5($1) AND id = $1', 'A-B-C'),
        /devices_id/,
      );
      assert.match(
        await plan('SELECT key FROM devices d ORDER BY left(d.id, 256), d.id, d.key LIMIT 10'),
        /devices_id_order/,
      );
    });
  });

  it('keeps the audit log append-only, even to SQL from outside the store', async () => {
    const database = await freshDatabase();
    const url = server!.url(database);
    const store = await openPostgresStore({ url, secretKey: SECRET_KEY });
    try {
      const entry = await store.audit.record({ actor: 'system', action: 'kept' });
      await withClient(url, async (c) => {
        await assert.rejects(c.query("UPDATE audit_log SET actor = 'x'"), /append-only/);
        await assert.rejects(c.query('DELETE FROM audit_log'), /append-only/);
      });
      assert.deepEqual(await store.audit.list(), [entry]);
    } finally {
      await store.close();
    }
  });

  it('names no password when it cannot connect, and rejects calls after close', async () => {
    const url = server!.url('no_such_database').replace('@', 'x@');
    await assert.rejects(openPostgresStore({ url, secretKey: SECRET_KEY }), (e) => {
      assert.ok(isStoreError(e, 'invalid'));
      assert.doesNotMatch(String((e as Error).message), /:[0-9a-f]{24}x?@/);
      return true;
    });
    const store = await openPostgresStore({
      url: server!.url(await freshDatabase()),
      secretKey: SECRET_KEY,
    });
    await store.close();
    await assert.rejects(store.devices.get('A-B-C'), (e) => isStoreError(e, 'closed'));
  });
});
