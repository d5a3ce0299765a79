import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { identity, inform, SECRET_KEY } from '../suite/harness.ts';
import { openSqliteStore } from './sqlite-store.ts';

// How a sync behaves while in flight, failing, or at close: group-commit.test.ts.
describe('the WAL sync', () => {
  it('with synchronous full, syncs the WAL through a descriptor of its own; with normal, does not', async () => {
    if (!existsSync('/proc/self/fd')) return; // Linux only: where the descriptors are listed
    const dir = mkdtempSync(join(tmpdir(), 'corral-sync-'));
    const path = join(dir, 'corral.db');
    const walDescriptors = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === `${path}-wal`;
        } catch {
          return false; // the listing's own descriptor, gone already
        }
      }).length;
    try {
      let id = '';
      for (const [synchronous, expected] of [
        ['full', 2],
        ['normal', 1],
      ] as const) {
        const store = await openSqliteStore({ path, secretKey: SECRET_KEY, synchronous });
        assert.equal(
          walDescriptors(),
          expected,
          `${synchronous}: SQLite's${expected === 2 ? ' and the sync' : ''}`,
        );
        id = (await store.devices.recordInform(inform(identity('SYNC')))).device.id;
        await store.close();
        assert.equal(walDescriptors(), 0, 'closed with the store');
      }
      const reopened = await openSqliteStore({ path, secretKey: SECRET_KEY });
      assert.notEqual(await reopened.devices.get(id), null);
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
