import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { identity, inform } from '../suite/harness.ts';
import { openTempSqliteStore, type TempSqliteStore } from './testing.ts';

/**
 * The store remembers devices whose claim found no task (context.ts), so that the next idle session's claim reads
 * nothing. Each test first has the device found idle, then makes it busy another way, and expects the claim to
 * see it.
 */
describe('the SQLite store remembering idle devices', () => {
  async function idleDevice(serial: string): Promise<TempSqliteStore & { deviceId: string }> {
    const temp = await openTempSqliteStore('corral-idle-');
    const { device } = await temp.store.devices.recordInform(inform(identity(serial)));
    for (let i = 0; i < 2; i++)
      assert.equal((await temp.store.tasks.claimNext(device.id, 'session-1')).status, 'empty');
    return { ...temp, deviceId: device.id };
  }

  it('claims a task queued after the device was found idle', async () => {
    const { store, deviceId, destroy } = await idleDevice('ID1');
    try {
      const queued = await store.tasks.enqueue(deviceId, {
        args: { type: 'reboot', commandKey: 'idle-test' },
      });
      const claim = await store.tasks.claimNext(deviceId, 'session-2');
      assert.equal(claim.status, 'claimed');
      assert.equal(claim.status === 'claimed' && claim.task.id, queued.id);
    } finally {
      await destroy();
    }
  });

  it('sees a task put back in the queue, and one another process put back', async () => {
    const { store, path, deviceId, destroy } = await idleDevice('ID2');
    try {
      const queued = await store.tasks.enqueue(deviceId, {
        args: { type: 'reboot', commandKey: 'idle-test' },
      });
      assert.equal((await store.tasks.claimNext(deviceId, 'session-2')).status, 'claimed');
      await store.tasks.fault(queued.id, 'session-2', {
        code: 9002,
        message: 'internal error',
        permanent: true,
      });
      assert.equal((await store.tasks.claimNext(deviceId, 'session-3')).status, 'empty');
      // Failed → pending: a change of state that no claim-side code is told of (the triggers are).
      await store.tasks.retry(queued.id);
      assert.equal((await store.tasks.claimNext(deviceId, 'session-4')).status, 'claimed');
      await store.tasks.complete(queued.id, 'session-4', { result: null });
      assert.equal((await store.tasks.claimNext(deviceId, 'session-5')).status, 'empty');
      // Another process's connection, which has no triggers of ours: its commit makes all remembered suspect.
      const other = new Database(path);
      try {
        other.prepare("UPDATE tasks SET state = 'pending' WHERE id = ?").run(queued.id);
      } finally {
        other.close();
      }
      assert.equal((await store.tasks.claimNext(deviceId, 'session-6')).status, 'claimed');
    } finally {
      await destroy();
    }
  });
});
