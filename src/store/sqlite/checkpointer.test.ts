import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Checkpointer, DEFAULT_CHECKPOINT_INTERVAL_MS } from './checkpointer.ts';
import { openSqliteStore, type SqliteStore } from './sqlite-store.ts';

const KEY = new Uint8Array(32).fill(7);

function size(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/** New devices with 20 parameters each: 400 make about 2 MB of WAL, half of SQLite's own checkpoint threshold. */
async function burst(store: SqliteStore, round: number, devices = 400): Promise<void> {
  const informs = [];
  for (let i = 0; i < devices; i++) {
    informs.push(
      store.devices.recordInform({
        device: {
          manufacturer: 'M',
          oui: '00D09E',
          productClass: 'P',
          serialNumber: `R${round}-${i}`,
        },
        events: [{ code: '0 BOOTSTRAP', commandKey: '' }],
        parameters: Array.from({ length: 20 }, (_, k) => ({
          path: `Device.DeviceInfo.X_Bench.P${k}`,
          value: `value ${k} ${'x'.repeat(100)}`,
          type: 'string',
        })),
      }),
    );
  }
  await Promise.all(informs);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('background WAL checkpoints', () => {
  let dir: string;
  let path: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'corral-checkpoint-'));
    path = join(dir, 'corral.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A store with the thread; what it reports goes to `errors`. */
  const withThread = (errors: string[], walRestartFrames?: number) =>
    openSqliteStore({
      path,
      secretKey: KEY,
      backgroundCheckpoints: true,
      onBackgroundError: (m) => errors.push(m),
      ...(walRestartFrames === undefined ? {} : { walRestartFrames }),
    });

  it('copies committed pages into the database file from its own thread, and the WAL starts over', async () => {
    const errors: string[] = [];
    const store = await withThread(errors);
    const walSizes: number[] = [];
    const dbSizes: number[] = [];
    try {
      for (let round = 0; round < 6; round++) {
        await burst(store, round);
        await pause(DEFAULT_CHECKPOINT_INTERVAL_MS * 2);
        walSizes.push(size(`${path}-wal`));
        dbSizes.push(size(path));
      }
      // The store's own connection never checkpoints: had the thread not, the database file would not grow and
      // the WAL would hold every round (six times one round's frames).
      assert.ok(dbSizes[5]! > dbSizes[0]! * 3, `database file sizes ${dbSizes.join(', ')}`);
      assert.ok(walSizes[5]! <= walSizes[0]! * 1.5, `WAL sizes ${walSizes.join(', ')}`);
      assert.equal((await store.devices.list({ limit: 10_000 })).length, 2400);
    } finally {
      await store.close();
    }
    assert.deepEqual(errors, []);
    // Closed last, the store's connection checkpointed the rest and removed the WAL: the thread had let go.
    assert.equal(existsSync(`${path}-wal`), false);
  });

  it('starts the WAL over under writes that never pause', async () => {
    const errors: string[] = [];
    const store = await withThread(errors, 1000);
    const walSizes: number[] = [];
    try {
      // About 48 MB of WAL in commits of 250 KB back to back: the store's connection always has its next group
      // open, as under load.
      for (let round = 0; round < 192; round++) {
        await burst(store, round, 50);
        walSizes.push(size(`${path}-wal`));
      }
    } finally {
      await store.close();
    }
    assert.deepEqual(errors, []);
    // Without the top-ups it grows to all 48 MB; with them it is started over every few thousand frames.
    assert.ok(Math.max(...walSizes) < 16 * 2 ** 20, `WAL sizes ${walSizes.join(', ')}`);
  });

  it('reports a thread that cannot start in one line and hands checkpoints back to the store', async () => {
    const failed: string[] = [];
    let fellBack = 0;
    const checkpointer = new Checkpointer(
      join(dir, 'missing.db'),
      { synchronous: 'full', intervalMs: 10 },
      { fallBack: () => fellBack++, topUp: () => {}, failed: (m) => failed.push(m) },
    );
    for (let i = 0; i < 100 && failed.length === 0; i++) await pause(20);
    checkpointer.committed();
    await checkpointer.close();
    assert.equal(fellBack, 1);
    assert.equal(failed.length, 1);
    assert.match(
      failed[0]!,
      /^background WAL checkpoints stopped \(.+\); the store checkpoints as it commits$/,
    );
    assert.doesNotMatch(failed[0]!, /\n/);
    assert.equal(existsSync(join(dir, 'missing.db')), false);
  });

  it('is off by default: a store without it checkpoints as it commits, and the database file grows', async () => {
    const store = await openSqliteStore({ path, secretKey: KEY });
    try {
      for (let round = 0; round < 4; round++) await burst(store, round);
      assert.ok(size(path) > 1_000_000, `database file ${size(path)} bytes`);
    } finally {
      await store.close();
    }
  });
});
