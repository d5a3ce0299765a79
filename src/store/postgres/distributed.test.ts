import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { runStoreSuite } from '../store-suite.ts';
import { addDevice, SECRET_KEY } from '../suite/harness.ts';
import {
  CONSTRAINT_CHANGES,
  citusScript,
  citusStatements,
  constraintStatements,
  distributionOrder,
  PLACEMENTS,
  ROUTING,
} from './distributed.ts';
import { openPostgresStore } from './postgres-store.ts';
import { MIGRATIONS } from './schema.ts';
import { startTestPostgres, type TestPostgres } from './testing/embedded-postgres.ts';
import { postgresHarness, withClient } from './testing/store-harness.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Every table the schema creates: schema.ts's migrations and migrations.ts's own record. */
function schemaTables(): string[] {
  const sources = [
    ...MIGRATIONS.map((m) => m.sql),
    readFileSync(join(HERE, 'migrations.ts'), 'utf8'),
  ];
  const tables = new Set<string>();
  for (const sql of sources) {
    for (const m of sql.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?([a-z_][a-z0-9_]*)/gi)) {
      tables.add(m[1]!.toLowerCase());
    }
  }
  return [...tables].sort();
}

describe('distribution by device (data)', () => {
  it('places every table of the schema, and no other', () => {
    const tables = schemaTables();
    assert.ok(tables.includes('devices') && tables.includes('schema_version'));
    assert.deepEqual(Object.keys(PLACEMENTS).sort(), tables);
  });

  it('distributes by a device key column of each table, in one co-location group', () => {
    for (const [table, p] of Object.entries(PLACEMENTS)) {
      if (p.kind !== 'distributed') continue;
      assert.equal(p.column, table === 'devices' ? 'key' : 'device_key', table);
    }
  });

  it('changes constraints of distributed tables only', () => {
    for (const c of CONSTRAINT_CHANGES) {
      assert.equal(PLACEMENTS[c.table]?.kind, 'distributed', c.table);
      for (const s of c.sql) assert.ok(s.includes(c.table), `${c.table}: ${s}`);
    }
  });

  it('writes one Citus call per distributed and reference table, devices first, none for local tables', () => {
    const calls = citusStatements(32);
    assert.equal(calls[0], 'SET citus.shard_count = 32');
    for (const [table, p] of Object.entries(PLACEMENTS)) {
      const mine = calls.filter((c) => c.includes(`('${table}'`));
      if (p.kind === 'local') assert.equal(mine.length, 0, table);
      else if (p.kind === 'reference') {
        assert.deepEqual(mine, [`SELECT create_reference_table('${table}')`]);
      } else if (table === 'devices') {
        assert.deepEqual(mine, ["SELECT create_distributed_table('devices', 'key')"]);
      } else {
        assert.deepEqual(mine, [
          `SELECT create_distributed_table('${table}', 'device_key', colocate_with => 'devices')`,
        ]);
      }
    }
    const firstDistributed = calls.findIndex((c) => c.includes('create_distributed_table'));
    assert.ok(calls[firstDistributed]!.includes("('devices'"));
    assert.ok(
      calls.findLastIndex((c) => c.includes('create_reference_table')) < firstDistributed,
      'reference tables before the distributed ones that refer to them',
    );
    assert.equal(calls.at(-1), "SELECT create_distributed_function('corral_number(text)')");
    const script = citusScript();
    assert.match(script, /^-- Corral on Citus/);
    assert.ok(script.includes('CREATE EXTENSION IF NOT EXISTS citus;\nBEGIN;\n'));
    assert.ok(script.trimEnd().endsWith('COMMIT;'));
    for (const s of constraintStatements()) assert.ok(script.includes(s.replace(/\s+/g, ' ')));
  });

  it("names each routed statement by a fragment still in its file's SQL", () => {
    for (const r of ROUTING) {
      const text = readFileSync(join(HERE, r.file), 'utf8');
      assert.ok(text.includes(r.fragment), `${r.file}: ${r.fragment}`);
    }
  });
});

// ---- against a real PostgreSQL: the schema, then the constraint changes, then the store on it ----

const started = await startTestPostgres();
const skip = 'skip' in started ? started.skip : undefined;
if (skip !== undefined) console.log(`# distributed layout tests skipped: ${skip}`);
const server = 'skip' in started ? undefined : (started as TestPostgres);
const TEMPLATE = 'corral_citus_layout';
let databases = 0;

/** The unique indexes (keys and constraints included) of distributed tables without the shard key column. */
async function uniqueWithoutDeviceColumn(c: pg.Client): Promise<string[]> {
  // An index's key columns by name: an expression's column number is 0 and names nothing.
  const unique = (
    await c.query(`
      SELECT t.relname AS table, i.relname AS index,
        array(SELECT a.attname FROM unnest(x.indkey) k JOIN pg_attribute a
          ON a.attrelid = x.indrelid AND a.attnum = k)::text[] AS columns
      FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND x.indisunique`)
  ).rows as { table: string; index: string; columns: string[] }[];
  let checked = 0;
  const missing: string[] = [];
  for (const u of unique) {
    const p = PLACEMENTS[u.table];
    if (p?.kind !== 'distributed') continue;
    checked++;
    if (!u.columns.includes(p.column)) missing.push(u.index);
  }
  assert.ok(checked >= 12, `${checked} unique indexes on distributed tables`);
  return missing;
}

before(async () => {
  if (server === undefined) return;
  await server.createDatabase(TEMPLATE);
  const url = server.url(TEMPLATE);
  await (await openPostgresStore({ url, secretKey: SECRET_KEY })).close();
  await withClient(url, async (c) => {
    await c.query('BEGIN');
    for (const s of constraintStatements()) await c.query(s);
    await c.query('COMMIT');
  });
});

after(async () => {
  await server?.stop();
});

describe('the distributed layout on plain PostgreSQL', { skip }, () => {
  it('has every table of the catalog placed', async () => {
    const tables = await withClient(server!.url(TEMPLATE), async (c) =>
      (await c.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).rows.map(
        (r) => r.tablename as string,
      ),
    );
    assert.deepEqual(tables.sort(), Object.keys(PLACEMENTS).sort());
  });

  it('finds, in the schema as migrated, exactly the unique indexes the constraint changes replace', async () => {
    const database = `corral_plain_${++databases}`;
    await server!.createDatabase(database);
    const url = server!.url(database);
    await (await openPostgresStore({ url, secretKey: SECRET_KEY })).close();
    const missing = await withClient(url, (c) => uniqueWithoutDeviceColumn(c));
    await server!.admin(`DROP DATABASE "${database}" WITH (FORCE)`);
    assert.deepEqual(missing.sort(), [
      'campaign_devices_position',
      'device_events_pkey',
      'device_uploads_blob_id_key',
      'device_uploads_grant',
      'device_uploads_id_key',
      'device_uploads_pkey',
      'devices_id',
      'tasks_pkey',
      'trace_messages_pkey',
      'trace_messages_trace_id_seq_key',
      'trace_sessions_pkey',
    ]);
  });

  it('has the device column in every unique index and foreign key of a distributed table', async () => {
    await withClient(server!.url(TEMPLATE), async (c) => {
      assert.deepEqual(await uniqueWithoutDeviceColumn(c), []);
      const keys = (
        await c.query(`
          SELECT f.conname AS name, t.relname AS table, r.relname AS referenced,
            array(SELECT a.attname FROM unnest(f.conkey) k JOIN pg_attribute a
              ON a.attrelid = f.conrelid AND a.attnum = k)::text[] AS columns,
            array(SELECT a.attname FROM unnest(f.confkey) k JOIN pg_attribute a
              ON a.attrelid = f.confrelid AND a.attnum = k)::text[] AS referenced_columns
          FROM pg_constraint f JOIN pg_class t ON t.oid = f.conrelid JOIN pg_class r ON r.oid = f.confrelid
          JOIN pg_namespace n ON n.oid = t.relnamespace
          WHERE n.nspname = 'public' AND f.contype = 'f'`)
      ).rows as {
        name: string;
        table: string;
        referenced: string;
        columns: string[];
        referenced_columns: string[];
      }[];
      const order = distributionOrder();
      const rank = [...order.reference, ...order.distributed];
      for (const k of keys) {
        const from = PLACEMENTS[k.table]!;
        const to = PLACEMENTS[k.referenced]!;
        const what = `${k.name}: ${k.table} (${k.columns}) → ${k.referenced} (${k.referenced_columns})`;
        if (from.kind === 'local') {
          assert.equal(to.kind, 'local', what);
          continue;
        }
        // A reference table refers to no distributed table; a distributed one refers within its group, shard
        // key to shard key, or to a reference table; and the referenced table is distributed first.
        assert.equal(from.kind, 'distributed', what);
        assert.notEqual(to.kind, 'local', what);
        if (from.kind === 'distributed' && to.kind === 'distributed') {
          const at = k.columns.indexOf(from.column);
          assert.ok(at >= 0, what);
          assert.equal(k.referenced_columns[at], to.column, what);
        }
        assert.ok(rank.indexOf(k.referenced) < rank.indexOf(k.table), `${what}: order`);
      }
    });
  });

  it('runs the Inform, parameter, task and trace path of many devices, and cascades a device away', async () => {
    const database = `corral_layout_${++databases}`;
    await server!.createDatabase(database, TEMPLATE);
    const url = server!.url(database);
    const store = await openPostgresStore({ url, secretKey: SECRET_KEY, pool: { max: 4 } });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) ids.push((await addDevice(store, `LAYOUT${i}`)).device.id);
      for (const [i, id] of ids.entries()) {
        await store.parameters.upsert(id, [
          { path: 'Device.DeviceInfo.UpTime', value: String(i), type: 'unsignedInt' },
        ]);
        const task = await store.tasks.enqueue(id, {
          args: { type: 'getParameterValues', parameterNames: ['Device.DeviceInfo.'] },
        });
        const claim = await store.tasks.claimNext(id, `s-${i}`);
        assert.equal(claim.status, 'claimed');
        const { task: done } = await store.tasks.complete(task.id, `s-${i}`, {
          result: { ok: true },
          model: { upsert: [{ path: 'Device.DeviceInfo.ModelName', value: `M${i}` }] },
        });
        assert.equal(done.state, 'done');
        for (let s = 0; s < 3; s++) {
          await store.traces.append(id, `t-${i}-${s}`, [
            { direction: 'cpe-to-acs', body: `<Inform n="${s}"/>` },
            { direction: 'acs-to-cpe', body: '<InformResponse/>', httpStatus: 200 },
          ]);
        }
        assert.equal((await store.traces.sessions(id)).length, 3);
        assert.equal((await store.traces.read(id, `t-${i}-1`))?.messages.length, 2);
      }
      assert.equal(
        (await store.parameters.get(ids[7]!, 'Device.DeviceInfo.ModelName'))?.value,
        'M7',
      );
      assert.equal(
        await store.devices.count([
          { kind: 'parameter', path: 'Device.DeviceInfo.UpTime', op: 'eq', value: 7 },
        ]),
        1,
      );
      await store.devices.delete(ids[3]!);
      const left = await withClient(url, async (c) => {
        const n = async (sql: string) => Number((await c.query(sql)).rows[0].n);
        return {
          devices: await n('SELECT count(*) AS n FROM devices'),
          messages: await n('SELECT count(*) AS n FROM trace_messages'),
          sessions: await n('SELECT count(*) AS n FROM trace_sessions'),
          tasks: await n('SELECT count(*) AS n FROM tasks'),
        };
      });
      assert.deepEqual(left, { devices: 19, messages: 19 * 6, sessions: 19 * 3, tasks: 19 });
    } finally {
      await store.close();
      await server!.admin(`DROP DATABASE "${database}" WITH (FORCE)`);
    }
  });
});

if (skip === undefined)
  runStoreSuite(
    'postgres, distributed layout',
    postgresHarness(server!, TEMPLATE, 'corral_layout_suite'),
  );
