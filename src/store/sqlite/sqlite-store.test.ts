import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { isStoreError } from '../errors.ts';
import type { Store, StoreOptions } from '../store.ts';
import { runStoreSuite, type StoreHarness } from '../store-suite.ts';
import { identity, inform, SECRET_KEY } from '../suite/harness.ts';
import { SCHEMA_VERSION } from './migrations.ts';
import { openSqliteStore, type SqliteStore } from './sqlite-store.ts';

async function sqliteHarness(options: StoreOptions): Promise<StoreHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'corral-store-'));
  const path = join(dir, 'data', 'corral.db');
  const open = (o: StoreOptions) => openSqliteStore({ ...o, path, synchronous: 'normal' });
  let store: SqliteStore = await open(options);
  return {
    get store(): Store {
      return store;
    },
    async reopen(overrides = {}) {
      await store.close();
      store = await open({ ...options, ...overrides });
      return store;
    },
    async rawDump() {
      return Buffer.concat(
        ['', '-wal', '-shm', '-journal']
          .map((suffix) => `${path}${suffix}`)
          .filter((p) => existsSync(p))
          .map((p) => readFileSync(p)),
      );
    },
    async rowCounts() {
      const db = new Database(path, { readonly: true });
      try {
        const tables = db
          .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
          )
          .all() as { name: string }[];
        return Object.fromEntries(
          tables.map(({ name }) => [
            name,
            (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n,
          ]),
        );
      } finally {
        db.close();
      }
    },
    async destroy() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

runStoreSuite('sqlite', sqliteHarness);

describe('sqlite store', () => {
  it('creates ./data-style directories owner-only, in WAL mode, with foreign keys on', async () => {
    const h = await sqliteHarness({ secretKey: SECRET_KEY });
    try {
      const store = h.store as SqliteStore;
      assert.equal(store.schemaVersion, SCHEMA_VERSION);
      assert.equal(statSync(store.path).mode & 0o777, 0o600);
      assert.equal(statSync(join(store.path, '..')).mode & 0o777, 0o700);
      const db = new Database(store.path, { readonly: true });
      try {
        assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
        const migrations = db.prepare('SELECT version FROM schema_migrations').all();
        assert.deepEqual(
          migrations,
          Array.from({ length: SCHEMA_VERSION }, (_, i) => ({ version: i + 1 })),
        );
        const indexes = (
          db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index'").all() as {
            name: string;
          }[]
        ).map((r) => r.name);
        for (const name of [
          'devices_oui',
          'devices_serial_number',
          'devices_last_inform_at',
          'parameters_indexed',
          'device_tags_tag',
        ]) {
          assert.ok(indexes.includes(name), name);
        }
      } finally {
        db.close();
      }
      await h.reopen();
      assert.equal(
        (h.store as SqliteStore).schemaVersion,
        SCHEMA_VERSION,
        'reopening migrates nothing twice',
      );
    } finally {
      await h.destroy();
    }
  });

  it('writes on an Inform only the parameter rows that changed', async () => {
    const h = await sqliteHarness({ secretKey: SECRET_KEY, readTimeResolutionMs: 3_600_000 });
    try {
      const parameters = Array.from({ length: 50 }, (_, i) => ({
        path: `Device.P.${i}`,
        value: String(i),
        type: 'string',
      }));
      const device = identity('W1');
      await h.store.devices.recordInform(inform(device, { parameters }));
      // Count every parameter write from outside, with a trigger on the test database.
      const db = new Database((h.store as SqliteStore).path);
      db.exec(`CREATE TABLE write_log (op TEXT, path TEXT);
        CREATE TRIGGER log_insert AFTER INSERT ON parameters BEGIN INSERT INTO write_log VALUES ('insert', new.path); END;
        CREATE TRIGGER log_update AFTER UPDATE ON parameters BEGIN INSERT INTO write_log VALUES ('update', new.path); END;`);
      const log = () => db.prepare('SELECT op, path FROM write_log').all();
      try {
        await h.store.devices.recordInform(inform(device, { parameters }));
        assert.deepEqual(log(), [], 'an unchanged Inform writes no parameter row');
        const changed = parameters.map((p, i) => (i === 7 ? { ...p, value: 'seven' } : p));
        await h.store.devices.recordInform(inform(device, { parameters: changed }));
        assert.deepEqual(log(), [{ op: 'update', path: 'Device.P.7' }]);
      } finally {
        db.close();
      }
    } finally {
      await h.destroy();
    }
  });

  it('evicts the sessions over a trace budget in one sweep a second later, and never shows them meanwhile', async () => {
    const h = await sqliteHarness({ secretKey: SECRET_KEY, traceSessionsPerDevice: 2 });
    try {
      const ids: string[] = [];
      for (let d = 0; d < 3; d++)
        ids.push((await h.store.devices.recordInform(inform(identity(`EV${d}`)))).device.id);
      for (let s = 1; s <= 4; s++) {
        for (const id of ids)
          await h.store.traces.append(id, `s${s}`, { direction: 'cpe-to-acs', body: `<m${s}/>` });
      }
      for (const id of ids) {
        assert.deepEqual(
          (await h.store.traces.sessions(id)).map((t) => t.sessionId),
          ['s4', 's3'],
        );
        assert.equal(await h.store.traces.read(id, 's1'), null);
      }
      const stored = async () => (await h.rowCounts()).trace_sessions;
      assert.equal(await stored(), 12, 'not yet swept');
      const deadline = Date.now() + 5000;
      while ((await stored()) !== 6 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      assert.equal(await stored(), 6, 'swept: two sessions a device');
      assert.equal((await h.rowCounts()).trace_messages, 6);
    } finally {
      await h.destroy();
    }
  });

  it("sees another process's writes to what it remembers: device keys, presets, marked parameters", async () => {
    const h = await sqliteHarness({ secretKey: SECRET_KEY });
    const path = (h.store as SqliteStore).path;
    const other = await openSqliteStore({ path, secretKey: SECRET_KEY, synchronous: 'normal' });
    try {
      const device = identity('F1');
      const first = await h.store.devices.recordInform(
        inform(device, {
          remoteAddress: '192.0.2.1',
          parameters: [{ path: 'Device.A', value: '1' }],
        }),
      );
      assert.equal(first.created, true);
      assert.deepEqual(await h.store.presets.list(), []);
      assert.deepEqual(await h.store.parameters.listIndexed(), []);

      await other.devices.delete(first.device.id);
      await other.presets.put('p1', { precondition: true });
      await other.parameters.markIndexed('Device.A');

      const again = await h.store.devices.recordInform(
        inform(device, {
          remoteAddress: '192.0.2.1',
          parameters: [{ path: 'Device.A', value: '2' }],
        }),
      );
      assert.equal(
        again.created,
        true,
        'the deleted device is made anew, not written under its old key',
      );
      assert.deepEqual(
        (await h.store.parameters.list(first.device.id)).map((p) => p.value),
        ['2'],
      );
      assert.deepEqual(
        (await h.store.presets.list()).map((p) => p.name),
        ['p1'],
      );
      assert.deepEqual(await h.store.parameters.listIndexed(), ['Device.A']);

      // And its own writes: the address an Inform changes is compared with what it last wrote.
      await h.store.devices.recordInform(inform(device, { remoteAddress: '192.0.2.2' }));
      await other.devices.recordInform(inform(device, { remoteAddress: '192.0.2.3' }));
      const back = await h.store.devices.recordInform(
        inform(device, { remoteAddress: '192.0.2.2' }),
      );
      assert.equal(back.device.remoteAddress, '192.0.2.2');
      assert.equal((await other.devices.get(first.device.id))?.remoteAddress, '192.0.2.2');
    } finally {
      await other.close();
      await h.destroy();
    }
  });

  it('upgrades a schema-1 database to files, uploads and presets, keeping its devices', async () => {
    const h = await sqliteHarness({ secretKey: SECRET_KEY });
    try {
      const id = (await h.store.devices.recordInform(inform(identity('MIG1')))).device.id;
      const db = new Database((h.store as SqliteStore).path);
      db.exec(
        `DROP TABLE user_sessions; DROP TABLE users; DROP TABLE campaign_devices; DROP TABLE campaigns; DROP TABLE audit_log; DROP TABLE presets;
         DROP TABLE device_uploads; DROP TABLE files; ALTER TABLE trace_messages DROP COLUMN http_status; ALTER TABLE indexed_parameters DROP COLUMN ready; DROP INDEX devices_first_inform_at; DROP INDEX devices_last_boot_at; DROP INDEX devices_last_bootstrap_at; DROP INDEX devices_manufacturer; DELETE FROM schema_migrations WHERE version >= 2`,
      );
      db.close();
      const store = (await h.reopen()) as SqliteStore;
      assert.equal(store.schemaVersion, SCHEMA_VERSION);
      assert.equal((await store.devices.get(id))?.id, id);
      const up = await store.files.recordUpload(id, {
        fileType: '2 Vendor Log File',
        name: 'log',
        size: 1,
        sha256: 'b'.repeat(64),
        blobId: 'blob',
      });
      assert.deepEqual(await store.files.uploads(id), [up]);
      assert.equal((await store.presets.put('after', { a: 1 })).name, 'after');
    } finally {
      await h.destroy();
    }
  });

  it('upgrades a schema-2 database to presets, keeping its files', async () => {
    const h = await sqliteHarness({ secretKey: SECRET_KEY });
    try {
      const file = await h.store.files.create({
        name: 'fw.bin',
        fileType: '1 Firmware Upgrade Image',
        size: 1,
        sha256: 'c'.repeat(64),
        blobId: 'blob-fw',
      });
      const db = new Database((h.store as SqliteStore).path);
      db.exec(`DROP INDEX files_name; DROP INDEX device_uploads_grant;
        ALTER TABLE device_uploads DROP COLUMN grant_id; DROP TABLE user_sessions; DROP TABLE users;
        DROP TABLE campaign_devices; DROP TABLE campaigns; DROP TABLE audit_log;
        DROP TABLE presets; ALTER TABLE trace_messages DROP COLUMN http_status; ALTER TABLE indexed_parameters DROP COLUMN ready; DROP INDEX devices_first_inform_at; DROP INDEX devices_last_boot_at; DROP INDEX devices_last_bootstrap_at; DROP INDEX devices_manufacturer; DELETE FROM schema_migrations WHERE version >= 3`);
      db.close();
      const store = (await h.reopen()) as SqliteStore;
      assert.equal(store.schemaVersion, SCHEMA_VERSION);
      assert.deepEqual(await store.files.get(file.id), file);
      assert.deepEqual(await store.presets.list(), []);
      const saved = await store.presets.put('p', { parameters: {} });
      assert.deepEqual(await store.presets.get('p'), saved);
    } finally {
      await h.destroy();
    }
  });

  it('upgrades a schema-6 database with two files of one name: the older keeps it, the newer gets its id', async () => {
    const h = await sqliteHarness({ secretKey: SECRET_KEY });
    try {
      const file = (name: string, blobId: string) =>
        h.store.files.create({
          name,
          fileType: '1 Firmware Upgrade Image',
          size: 1,
          sha256: 'c'.repeat(64),
          blobId,
        });
      const older = await file('fw.bin', 'blob-a');
      const newer = await file('fw-copy.bin', 'blob-b');
      const db = new Database((h.store as SqliteStore).path);
      db.exec(`DROP INDEX files_name; DROP INDEX device_uploads_grant;
        ALTER TABLE device_uploads DROP COLUMN grant_id;
        DROP TABLE user_sessions; DROP TABLE users;
        UPDATE files SET name = 'fw.bin'; ALTER TABLE trace_messages DROP COLUMN http_status; ALTER TABLE indexed_parameters DROP COLUMN ready; DROP INDEX devices_first_inform_at; DROP INDEX devices_last_boot_at; DROP INDEX devices_last_bootstrap_at; DROP INDEX devices_manufacturer; DELETE FROM schema_migrations WHERE version >= 7`);
      db.close();
      const store = (await h.reopen()) as SqliteStore;
      assert.equal(store.schemaVersion, SCHEMA_VERSION);
      assert.equal((await store.files.get(older.id))?.name, 'fw.bin');
      assert.equal((await store.files.get(newer.id))?.name, `fw.bin (${newer.id})`);
    } finally {
      await h.destroy();
    }
  });

  it('keeps the audit log append-only, even to SQL from outside the store', async () => {
    const h = await sqliteHarness({ secretKey: SECRET_KEY });
    try {
      const entry = await h.store.audit.record({ actor: 'system', action: 'kept' });
      const db = new Database((h.store as SqliteStore).path);
      try {
        assert.throws(() => db.exec("UPDATE audit_log SET actor = 'someone else'"), /append-only/);
        assert.throws(() => db.exec('DELETE FROM audit_log'), /append-only/);
      } finally {
        db.close();
      }
      assert.deepEqual(await h.store.audit.list(), [entry]);
    } finally {
      await h.destroy();
    }
  });

  it('refuses a database from a newer Corral, and a wrong-size key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corral-store-'));
    const path = join(dir, 'corral.db');
    try {
      const store = await openSqliteStore({ path, secretKey: SECRET_KEY });
      await store.close();
      const db = new Database(path);
      db.prepare("INSERT INTO schema_migrations VALUES (?, 'future', 0)").run(SCHEMA_VERSION + 1);
      db.close();
      await assert.rejects(openSqliteStore({ path, secretKey: SECRET_KEY }), (e) =>
        isStoreError(e, 'schema-too-new'),
      );
      await assert.rejects(
        openSqliteStore({ path: ':memory:', secretKey: SECRET_KEY, claimLeaseMs: -1 }),
        (e) => isStoreError(e, 'invalid'),
      );
      await assert.rejects(
        openSqliteStore({ path: ':memory:', secretKey: new Uint8Array(31) }),
        (e) => isStoreError(e, 'invalid'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects every call after close with a typed error', async () => {
    const store = await openSqliteStore({ path: ':memory:', secretKey: SECRET_KEY });
    await store.close();
    await assert.rejects(store.devices.get('A-B-C'), (e) => isStoreError(e, 'closed'));
    await assert.rejects(store.tasks.list(), (e) => isStoreError(e, 'closed'));
  });

  it('plans marked-parameter searches on the value index and field filters on real-column indexes', async () => {
    const h = await sqliteHarness({ secretKey: SECRET_KEY });
    try {
      const db = new Database((h.store as SqliteStore).path, { readonly: true });
      try {
        const plan = (sql: string, ...args: unknown[]) =>
          (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[])
            .map((r) => r.detail)
            .join(' | ');
        assert.match(
          plan(
            'SELECT d.key FROM devices d WHERE d.key IN (SELECT device_key FROM parameters WHERE indexed = 1 AND path = ? AND value = ?)',
            'Device.X.Y',
            'v',
          ),
          /parameters_indexed/,
        );
        assert.match(
          plan('SELECT key FROM devices d WHERE d.serial_number = ?', 'x'),
          /devices_serial_number/,
        );
        assert.match(
          plan(
            'SELECT key FROM devices d WHERE d.software_version >= ? AND d.software_version < ?',
            '1',
            '2',
          ),
          /devices_software_version/,
        );
        assert.match(
          plan(
            'SELECT key FROM devices d WHERE d.key IN (SELECT device_key FROM device_tags WHERE tag = ?)',
            't',
          ),
          /device_tags_tag/,
        );
      } finally {
        db.close();
      }
    } finally {
      await h.destroy();
    }
  });
});
