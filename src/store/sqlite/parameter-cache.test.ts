import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { ParameterRow } from '../parameter-diff.ts';
import { identity, inform } from '../suite/harness.ts';
import { ParameterRowCache } from './parameter-cache.ts';
import type { SqliteStore } from './sqlite-store.ts';
import { openTempSqliteStore } from './testing.ts';

function row(path: string, value: string): ParameterRow {
  return {
    path,
    value,
    type: 'string',
    sealed: null,
    writable: null,
    notification: null,
    accessList: null,
    valueAt: 1,
    attributesAt: null,
    indexed: false,
  };
}

describe('ParameterRowCache', () => {
  it('tells a remembered row, a path known to have none, and one it does not know apart', () => {
    const cache = new ParameterRowCache(10);
    const a = row('Device.A', '1');
    cache.set(1, 'Device.A', a);
    cache.set(1, 'Device.B', null);
    assert.equal(cache.get(1, 'Device.A'), a);
    assert.equal(cache.get(1, 'Device.B'), null);
    assert.equal(cache.get(1, 'Device.C'), undefined);
    assert.equal(cache.get(2, 'Device.A'), undefined, 'by device');
    cache.set(1, 'Device.A', null);
    assert.equal(cache.get(1, 'Device.A'), null, 'a later write replaces');
    assert.equal(cache.size, 2);
  });

  it('forgets a device, or everything', () => {
    const cache = new ParameterRowCache(10);
    cache.set(1, 'Device.A', row('Device.A', '1'));
    cache.set(2, 'Device.A', row('Device.A', '2'));
    cache.forgetDevice(1);
    assert.equal(cache.get(1, 'Device.A'), undefined);
    assert.equal(cache.get(2, 'Device.A')?.value, '2');
    assert.equal(cache.size, 1);
    cache.clear();
    assert.equal(cache.get(2, 'Device.A'), undefined);
    assert.equal(cache.size, 0);
  });

  it('starts again empty when a new row would pass its limit', () => {
    const cache = new ParameterRowCache(3);
    for (const p of ['A', 'B', 'C']) cache.set(1, `Device.${p}`, null);
    cache.set(1, 'Device.C', row('Device.C', 'again')); // a known path adds nothing
    assert.equal(cache.size, 3);
    cache.set(2, 'Device.D', null);
    assert.equal(cache.size, 1);
    assert.equal(cache.get(1, 'Device.A'), undefined);
    assert.equal(cache.get(2, 'Device.D'), null);
  });
});

describe('the SQLite store with its parameter cache', () => {
  const open = () => openTempSqliteStore('corral-rowcache-');
  const values = async (store: SqliteStore, id: string, paths: string[]) =>
    (await store.parameters.list(id, { paths })).map((p) => `${p.path}=${p.value}`);

  it('reads what another process wrote since, even to rows it remembers, and rows it knew absent', async () => {
    const { store, path, destroy } = await open();
    try {
      const { device } = await store.devices.recordInform(
        inform(identity('RC1'), { parameters: [{ path: 'Device.A', value: '1' }] }),
      );
      assert.deepEqual(await values(store, device.id, ['Device.A', 'Device.B']), ['Device.A=1']);
      const db = new Database(path);
      try {
        db.prepare("UPDATE parameters SET value = '9' WHERE path = 'Device.A'").run();
        db.prepare(
          "INSERT INTO parameters (device_key, path, value, type) SELECT key, 'Device.B', '2', 'string' FROM devices",
        ).run();
      } finally {
        db.close();
      }
      assert.deepEqual(await values(store, device.id, ['Device.A', 'Device.B']), [
        'Device.A=9',
        'Device.B=2',
      ]);
      assert.equal((await store.parameters.get(device.id, 'Device.B'))?.value, '2');
    } finally {
      await destroy();
    }
  });

  it('remembers nothing of a write that was undone', async () => {
    const { store, destroy } = await open();
    try {
      const { device } = await store.devices.recordInform(
        inform(identity('RC2'), { parameters: [{ path: 'Device.A', value: '1' }] }),
      );
      // The rows are written before the prune is checked: the bad prune undoes them.
      await assert.rejects(
        store.parameters.upsert(
          device.id,
          [
            { path: 'Device.A', value: '2' },
            { path: 'Device.N', value: 'new' },
          ],
          { prune: { prefix: 'Device.A' } },
        ),
        /partial path/,
      );
      assert.deepEqual(await values(store, device.id, ['Device.A', 'Device.N']), ['Device.A=1']);
      assert.equal(await store.parameters.get(device.id, 'Device.N'), null);
    } finally {
      await destroy();
    }
  });

  it('keeps to what its own writes did: updates, deleted subtrees, prunes, a bootstrap', async () => {
    const { store, destroy } = await open();
    try {
      const rc = identity('RC3');
      const { device } = await store.devices.recordInform(
        inform(rc, {
          parameters: [
            { path: 'Device.X.1.A', value: 'a' },
            { path: 'Device.X.2.A', value: 'b' },
          ],
        }),
      );
      const paths = ['Device.X.1.A', 'Device.X.2.A'];
      assert.deepEqual(await values(store, device.id, paths), ['Device.X.1.A=a', 'Device.X.2.A=b']);
      await store.parameters.upsert(device.id, [{ path: 'Device.X.1.A', value: 'a2' }]);
      await store.parameters.deleteSubtree(device.id, 'Device.X.2.');
      assert.deepEqual(await values(store, device.id, paths), ['Device.X.1.A=a2']);
      // A GetParameterNames answer's prune removes rows the cache holds.
      await store.parameters.upsert(device.id, [{ path: 'Device.X.3.A', value: 'c' }], {
        prune: { prefix: 'Device.X.' },
      });
      assert.deepEqual(await values(store, device.id, [...paths, 'Device.X.3.A']), [
        'Device.X.3.A=c',
      ]);
      // And a 0 BOOTSTRAP forgets the device's tree.
      await store.devices.recordInform(inform(rc, { events: ['0 BOOTSTRAP'] }));
      assert.equal(await store.parameters.get(device.id, 'Device.X.3.A'), null);
    } finally {
      await destroy();
    }
  });
});
