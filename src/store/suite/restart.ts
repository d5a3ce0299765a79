import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TaskArgs } from '../task-args.ts';
import { addDevice, rejectsWith, type StoreFactory, withStore } from './harness.ts';
import { claimed, GPV, REBOOT } from './tasks.ts';

const SPV: TaskArgs = {
  type: 'setParameterValues',
  parameters: [{ name: 'Device.X.Y', value: '1', type: 'boolean' }],
  parameterKey: 'k',
};
const GPN: TaskArgs = { type: 'getParameterNames', parameterPath: 'Device.X.', nextLevel: true };

export function restartSuite(factory: StoreFactory): void {
  describe('tasks across a restart', () => {
    it('loses no queued task and runs none twice', () =>
      withStore(factory, {}, async ({ harness }) => {
        let store = harness.store;
        const id = (await addDevice(store, 'R1')).device.id;
        const a = await store.tasks.enqueue(id, { args: GPV });
        const b = await store.tasks.enqueue(id, { args: REBOOT });
        const c = await store.tasks.enqueue(id, { args: SPV });
        const d = await store.tasks.enqueue(id, { args: GPN });
        // Session 1: A completes; B is on the wire when the ACS dies.
        claimed(await store.tasks.claimNext(id, 'sess-1'));
        await store.tasks.complete(a.id, 'sess-1', { result: { n: 1 } });
        assert.equal(claimed(await store.tasks.claimNext(id, 'sess-1')).id, b.id);

        store = await harness.reopen();
        assert.deepEqual(
          (await store.tasks.queue(id)).map((t) => [t.id, t.state]),
          [
            [b.id, 'running'],
            [c.id, 'pending'],
            [d.id, 'pending'],
          ],
        );
        assert.equal((await store.tasks.get(a.id))?.state, 'done');
        // Start-up: every claim belongs to the dead process.
        const recovered = await store.tasks.recoverClaims({ all: true });
        assert.deepEqual(
          recovered.map((t) => [t.id, t.state, t.fault?.source]),
          [[b.id, 'failed', 'interrupted']],
        );
        assert.equal(recovered[0]?.fault?.permanent, true, 'a reboot is never re-sent on its own');

        // Session 2: C runs (A is done, B failed); D is on the wire at the next crash.
        assert.equal(claimed(await store.tasks.claimNext(id, 'sess-2')).id, c.id);
        await store.tasks.complete(c.id, 'sess-2', { result: { status: 0 } });
        assert.equal(claimed(await store.tasks.claimNext(id, 'sess-2')).id, d.id);

        store = await harness.reopen();
        const again = await store.tasks.recoverClaims({ all: true });
        assert.deepEqual(
          again.map((t) => [t.id, t.state]),
          [[d.id, 'pending']],
          'a read is simply retried',
        );
        const rerun = claimed(await store.tasks.claimNext(id, 'sess-3'));
        assert.deepEqual([rerun.id, rerun.attempts], [d.id, 2]);
        await store.tasks.complete(d.id, 'sess-3', { result: null });
        assert.deepEqual(await store.tasks.claimNext(id, 'sess-3'), { status: 'empty' });
        // The dead session's late answer for B still settles its unknown outcome.
        const late = await store.tasks.complete(b.id, 'sess-1', { result: { late: true } });
        assert.equal(late.task.state, 'done');
        await rejectsWith(store.tasks.complete(d.id, 'sess-2', { result: null }), 'conflict');
        assert.deepEqual(
          (await store.tasks.list({ deviceId: id })).map((t) => [t.id, t.state]),
          [a, b, c, d].map((t) => [t.id, 'done']),
        );
      }));

    it('queued tasks survive a restart and run at the next session', () =>
      withStore(factory, {}, async ({ harness, clock }) => {
        const id = (await addDevice(harness.store, 'R2')).device.id;
        const queued = await harness.store.tasks.enqueue(id, {
          args: REBOOT,
          notBefore: clock.now + 5000,
        });
        const store = await harness.reopen();
        assert.equal((await store.tasks.claimNext(id, 's')).status, 'waiting');
        clock.advance(5000);
        const task = claimed(await store.tasks.claimNext(id, 's'));
        assert.equal(task.id, queued.id);
        assert.deepEqual(task.args, REBOOT);
      }));

    it('recovers claims whose lease expired, and sessions that ended', () =>
      withStore(factory, { claimLeaseMs: 1000 }, async ({ store, clock }) => {
        const id = (await addDevice(store, 'R3')).device.id;
        const read = await store.tasks.enqueue(id, { args: GPV });
        const write = await store.tasks.enqueue(id, { args: SPV });
        claimed(await store.tasks.claimNext(id, 'old'));
        clock.advance(999);
        assert.equal((await store.tasks.claimNext(id, 'new')).status, 'busy');
        assert.deepEqual(await store.tasks.recoverClaims(), []);
        clock.advance(1);
        // The lease is over: the next claim recovers it first (a read: retried, by the new session).
        const retaken = claimed(await store.tasks.claimNext(id, 'new'));
        assert.deepEqual(
          [retaken.id, retaken.claim?.sessionId, retaken.attempts],
          [read.id, 'new', 2],
        );
        await rejectsWith(store.tasks.complete(read.id, 'old', { result: null }), 'conflict');
        await store.tasks.complete(read.id, 'new', { result: null });
        // A write whose session dropped: released as interrupted at once.
        claimed(await store.tasks.claimNext(id, 'drop', { leaseMs: 60_000 }));
        const released = await store.tasks.releaseSession(id, 'drop');
        assert.deepEqual(
          released.map((t) => [t.id, t.state, t.fault?.source]),
          [[write.id, 'failed', 'interrupted']],
        );
        assert.deepEqual(await store.tasks.releaseSession(id, 'drop'), []);
        // The periodic sweep finds expired leases on every device.
        const other = (await addDevice(store, 'R3b')).device.id;
        await store.tasks.enqueue(other, { args: REBOOT });
        claimed(await store.tasks.claimNext(other, 'x'));
        clock.advance(1000);
        const swept = await store.tasks.recoverClaims();
        assert.deepEqual(
          swept.map((t) => [t.deviceId, t.state]),
          [[other, 'failed']],
        );
      }));
  });
}
