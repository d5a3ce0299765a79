import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Secret } from '../secret.ts';
import type { Store } from '../store.ts';
import type { TaskArgs } from '../task-args.ts';
import { addDevice, rejectsWith, type StoreFactory, withStore } from './harness.ts';
import { claimed, GPV, REBOOT } from './tasks.ts';

function download(commandKey: string): TaskArgs {
  return {
    type: 'download',
    commandKey,
    fileType: '1 Firmware Upgrade Image',
    url: 'https://files.example/fw.bin',
    username: '',
    password: new Secret(''),
    fileSize: 1024,
    targetFileName: 'fw.bin',
    delaySeconds: 0,
    successUrl: '',
    failureUrl: '',
  };
}

/** Enqueue a download, run it in `session`, and have the CPE accept it for later (Status 1). */
async function accepted(
  store: Store,
  id: string,
  commandKey: string,
  session: string,
  deadline?: number,
) {
  const t = await store.tasks.enqueue(id, { args: download(commandKey) });
  assert.equal(claimed(await store.tasks.claimNext(id, session)).id, t.id);
  return store.tasks.awaitTransfer(t.id, session, deadline === undefined ? {} : { deadline });
}

export function transferSuite(factory: StoreFactory): void {
  describe('transfers', () => {
    it('tracks a transfer by CommandKey until its TransferComplete, in the same session', () =>
      withStore(factory, { transferTimeoutMs: 60_000 }, async ({ store, clock }) => {
        const id = (await addDevice(store, 'X1')).device.id;
        const waiting = await accepted(store, id, 'fw-1', 's1');
        assert.equal(waiting.state, 'awaiting');
        assert.deepEqual(waiting.awaiting, { commandKey: 'fw-1', deadline: clock.now + 60_000 });
        // Tasks behind it are not held up by the transfer.
        const next = await store.tasks.enqueue(id, { args: GPV });
        assert.equal(claimed(await store.tasks.claimNext(id, 's1')).id, next.id);
        await store.tasks.complete(next.id, 's1', { result: null });
        assert.equal(await store.tasks.completeTransfer(id, 'unknown-key', {}), null);
        const done = await store.tasks.completeTransfer(id, 'fw-1', {
          fault: { code: 0, message: '' },
          startTime: '2026-01-01T00:00:01Z',
          completeTime: '2026-01-01T00:00:09Z',
        });
        assert.equal(done?.id, waiting.id);
        assert.equal(done?.state, 'done');
        assert.deepEqual(done?.result, {
          startTime: '2026-01-01T00:00:01Z',
          completeTime: '2026-01-01T00:00:09Z',
          faultCode: 0,
          faultString: '',
        });
        assert.equal(await store.tasks.completeTransfer(id, 'fw-1', {}), null, 'only once');
      }));

    it('matches a TransferComplete in a later session, after a restart', () =>
      withStore(factory, {}, async ({ harness }) => {
        const id = (await addDevice(harness.store, 'X2')).device.id;
        const first = await accepted(harness.store, id, 'same-key', 's1');
        const second = await accepted(harness.store, id, 'same-key', 's1');
        const store = await harness.reopen();
        assert.equal((await store.tasks.get(first.id))?.state, 'awaiting');
        assert.equal(
          (await store.tasks.completeTransfer(id, 'same-key', {}))?.id,
          first.id,
          'oldest first',
        );
        const failed = await store.tasks.completeTransfer(id, 'same-key', {
          fault: { code: 9010, message: 'Download failure: HTTP 404' },
        });
        assert.equal(failed?.id, second.id);
        assert.equal(failed?.state, 'failed');
        assert.deepEqual(
          [failed?.fault?.source, failed?.fault?.code, failed?.fault?.message],
          ['transfer', 9010, 'Download failure: HTTP 404'],
        );
        assert.deepEqual(
          (await store.tasks.list({ faulted: true })).map((t) => t.id),
          [second.id],
        );
      }));

    it('times out visibly, and a late TransferComplete still lands', () =>
      withStore(factory, {}, async ({ store, clock }) => {
        const id = (await addDevice(store, 'X3')).device.id;
        const t = await accepted(store, id, 'slow', 's1', clock.now + 10_000);
        const soon = await accepted(store, id, 'later', 's1', clock.now + 50_000);
        clock.advance(9_999);
        assert.deepEqual(await store.tasks.expireTransfers(), []);
        clock.advance(1);
        const expired = await store.tasks.expireTransfers();
        assert.deepEqual(
          expired.map((e) => [e.id, e.state, e.fault?.source]),
          [[t.id, 'failed', 'timeout']],
        );
        assert.deepEqual(
          (await store.tasks.list({ faulted: true })).map((e) => e.id),
          [t.id],
        );
        assert.equal((await store.tasks.get(soon.id))?.state, 'awaiting');
        const late = await store.tasks.completeTransfer(id, 'slow', { fault: null });
        assert.deepEqual([late?.id, late?.state, late?.fault], [t.id, 'done', null]);
      }));

    it('waits only for transfers, only from the claiming session', () =>
      withStore(factory, {}, async ({ store }) => {
        const id = (await addDevice(store, 'X4')).device.id;
        const r = await store.tasks.enqueue(id, { args: REBOOT });
        claimed(await store.tasks.claimNext(id, 's1'));
        await rejectsWith(store.tasks.awaitTransfer(r.id, 's1'), 'invalid');
        await store.tasks.complete(r.id, 's1', { result: null });
        const d = await store.tasks.enqueue(id, { args: download('k') });
        claimed(await store.tasks.claimNext(id, 's1'));
        await rejectsWith(store.tasks.awaitTransfer(d.id, 'intruder'), 'conflict');
        assert.equal((await store.tasks.awaitTransfer(d.id, 's1')).state, 'awaiting');
        assert.equal((await store.tasks.cancel(d.id)).state, 'cancelled');
        assert.equal(
          await store.tasks.completeTransfer(id, 'k', {}),
          null,
          'a cancelled transfer is not matched',
        );
      }));
  });
}
