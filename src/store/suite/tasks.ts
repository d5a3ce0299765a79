import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Secret } from '../secret.ts';
import type { Store } from '../store.ts';
import type { TaskArgs } from '../task-args.ts';
import type { ClaimResult, TaskRecord } from '../tasks.ts';
import {
  addDevice,
  identity,
  inform,
  rejectsWith,
  type StoreFactory,
  withStore,
} from './harness.ts';

const RETRY = { baseDelayMs: 1000, maxDelayMs: 8000, maxAttempts: 3 };

export const GPV: TaskArgs = { type: 'getParameterValues', parameterNames: ['Device.DeviceInfo.'] };
export const REBOOT: TaskArgs = { type: 'reboot', commandKey: 'reboot-1' };
const SPV: TaskArgs = {
  type: 'setParameterValues',
  parameters: [{ name: 'Device.X.Y', value: 'z', type: 'string' }],
  parameterKey: 'pk-1',
};
const GPN: TaskArgs = { type: 'getParameterNames', parameterPath: 'Device.', nextLevel: false };

export function claimed(result: ClaimResult): TaskRecord {
  assert.equal(result.status, 'claimed', `expected a claim, got ${result.status}`);
  return (result as { task: TaskRecord }).task;
}

async function device(store: Store, serial: string): Promise<string> {
  return (await addDevice(store, serial)).device.id;
}

export function taskSuite(factory: StoreFactory): void {
  describe('tasks', () => {
    it('runs a device queue in order, one claim at a time, each task once', () =>
      withStore(factory, {}, async ({ store }) => {
        const id = await device(store, 'T1');
        const a = await store.tasks.enqueue(id, { args: GPV, createdBy: 'key-1' });
        const b = await store.tasks.enqueue(id, { args: REBOOT });
        const other = await store.tasks.enqueue(await device(store, 'T1-other'), { args: GPV });
        assert.equal(a.state, 'pending');
        assert.equal(a.createdBy, 'key-1');
        assert.deepEqual(
          (await store.tasks.queue(id)).map((t) => t.id),
          [a.id, b.id],
        );
        const first = claimed(await store.tasks.claimNext(id, 'sess-1'));
        assert.equal(first.id, a.id);
        assert.equal(first.state, 'running');
        assert.equal(first.attempts, 1);
        assert.equal(first.claim?.sessionId, 'sess-1');
        const busy = await store.tasks.claimNext(id, 'sess-2');
        assert.equal(busy.status, 'busy');
        const { task: done } = await store.tasks.complete(a.id, 'sess-1', { result: { ok: true } });
        assert.equal(done.state, 'done');
        assert.deepEqual(done.result, { ok: true });
        await rejectsWith(store.tasks.complete(a.id, 'sess-1', { result: null }), 'conflict');
        await rejectsWith(store.tasks.complete(b.id, 'sess-1', { result: null }), 'conflict');
        assert.equal(claimed(await store.tasks.claimNext(id, 'sess-1')).id, b.id);
        await store.tasks.complete(b.id, 'sess-1', { result: null });
        assert.deepEqual(await store.tasks.claimNext(id, 'sess-1'), { status: 'empty' });
        assert.equal(
          (await store.tasks.get(other.id))?.state,
          'pending',
          'other devices untouched',
        );
        await rejectsWith(store.tasks.enqueue('00D09E-IGD-NOBODY', { args: GPV }), 'not-found');
        assert.equal(await store.tasks.get(999_999), null);
      }));

    it('applies a result to the stored model in the same step', () =>
      withStore(factory, {}, async ({ store, clock }) => {
        const id = await device(store, 'T2');
        await store.parameters.upsert(id, [
          { path: 'Device.Old.Obj.', writable: true },
          { path: 'Device.Old.Obj.P', value: '1' },
        ]);
        const t = await store.tasks.enqueue(id, { args: GPV });
        claimed(await store.tasks.claimNext(id, 's'));
        clock.advance(10);
        const { changes } = await store.tasks.complete(t.id, 's', {
          result: { parameters: 1 },
          model: {
            upsert: [{ path: 'Device.DeviceInfo.SoftwareVersion', value: '3.0', type: 'string' }],
            deleteSubtrees: ['Device.Old.Obj.'],
          },
        });
        assert.deepEqual(
          changes.map((c) => [c.path, c.kind]),
          [
            ['Device.Old.Obj.', 'removed'],
            ['Device.Old.Obj.P', 'removed'],
            ['Device.DeviceInfo.SoftwareVersion', 'added'],
          ],
        );
        assert.equal((await store.devices.get(id))?.softwareVersion, '3.0');
        assert.equal(
          (await store.parameters.get(id, 'Device.DeviceInfo.SoftwareVersion'))?.valueAt,
          clock.now,
        );
      }));

    it('backs off after a transient fault, holding the head of the queue, then gives up', () =>
      withStore(factory, { retry: RETRY }, async ({ store, clock }) => {
        const id = await device(store, 'T3');
        const a = await store.tasks.enqueue(id, { args: SPV });
        const b = await store.tasks.enqueue(id, { args: REBOOT });
        claimed(await store.tasks.claimNext(id, 's1'));
        const f1 = await store.tasks.fault(a.id, 's1', {
          code: 9002,
          message: 'Internal error',
          detail: { why: 'busy' },
        });
        assert.equal(f1.state, 'pending');
        assert.equal(f1.notBefore, clock.now + 1000);
        assert.deepEqual(f1.fault, {
          source: 'cpe',
          code: 9002,
          message: 'Internal error',
          detail: { why: 'busy' },
          at: clock.now,
          permanent: false,
        });
        const waiting = await store.tasks.claimNext(id, 's2');
        assert.equal(waiting.status, 'waiting');
        assert.equal((waiting as { task: TaskRecord }).task.id, a.id, 'the reboot waits behind it');
        assert.deepEqual(
          (await store.tasks.list({ faulted: true })).map((t) => t.id),
          [a.id],
        );
        clock.advance(1000);
        assert.equal(claimed(await store.tasks.claimNext(id, 's2')).attempts, 2);
        const f2 = await store.tasks.fault(a.id, 's2', { code: 9002, message: 'again' });
        assert.equal(f2.notBefore, clock.now + 2000);
        clock.advance(2000);
        claimed(await store.tasks.claimNext(id, 's3'));
        const f3 = await store.tasks.fault(a.id, 's3', { code: 9002, message: 'third' });
        assert.equal(f3.state, 'failed', 'attempts exhausted');
        assert.equal(f3.fault?.permanent, true);
        assert.equal(f3.finishedAt, clock.now);
        assert.equal(
          claimed(await store.tasks.claimNext(id, 's3')).id,
          b.id,
          'a failed task no longer blocks',
        );
      }));

    it('runs later tasks that do not depend on a task backing off; those that do wait for it', () =>
      withStore(factory, { retry: RETRY }, async ({ store, clock }) => {
        const id = await device(store, 'T3b');
        const a = await store.tasks.enqueue(id, { args: SPV });
        const same = await store.tasks.enqueue(id, {
          args: { type: 'getParameterValues', parameterNames: ['Device.X.'] },
        });
        const other = await store.tasks.enqueue(id, {
          args: { type: 'getParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] },
        });
        const reboot = await store.tasks.enqueue(id, { args: REBOOT });
        claimed(await store.tasks.claimNext(id, 's1'));
        await store.tasks.fault(a.id, 's1', { code: 9002, message: 'busy' });
        assert.equal(claimed(await store.tasks.claimNext(id, 's1')).id, other.id);
        await store.tasks.complete(other.id, 's1', { result: null });
        const waiting = await store.tasks.claimNext(id, 's1');
        assert.equal(waiting.status, 'waiting', 'a read of the same object and a reboot wait');
        assert.equal((waiting as { task: TaskRecord }).task.id, a.id);
        assert.equal((waiting as { until: number }).until, clock.now + 1000);
        clock.advance(1000);
        assert.deepEqual(
          [a.id, same.id, reboot.id],
          [
            claimed(await store.tasks.claimNext(id, 's2')).id,
            await store.tasks
              .complete(a.id, 's2', { result: null })
              .then(async () => claimed(await store.tasks.claimNext(id, 's2')).id),
            await store.tasks
              .complete(same.id, 's2', { result: null })
              .then(async () => claimed(await store.tasks.claimNext(id, 's2')).id),
          ],
          'then in queue order',
        );
      }));

    it('never retries a fault that will recur (9000, 9005)', () =>
      withStore(factory, { retry: RETRY }, async ({ store }) => {
        const id = await device(store, 'T4');
        for (const code of [9000, 9005]) {
          const t = await store.tasks.enqueue(id, { args: GPV });
          claimed(await store.tasks.claimNext(id, 's'));
          const f = await store.tasks.fault(t.id, 's', { code, message: 'no' });
          assert.equal(f.state, 'failed');
          assert.equal(f.attempts, 1);
          assert.deepEqual([f.fault?.code, f.fault?.permanent], [code, true]);
        }
        const t = await store.tasks.enqueue(id, { args: GPV });
        claimed(await store.tasks.claimNext(id, 's'));
        assert.equal(
          (await store.tasks.fault(t.id, 's', { code: 9005, message: 'x', permanent: false }))
            .state,
          'pending',
        );
        await rejectsWith(store.tasks.fault(t.id, 's', { code: 1.5, message: 'x' }), 'invalid');
      }));

    it('counts open faults by code, or by source when they have none', () =>
      withStore(factory, { retry: RETRY }, async ({ store }) => {
        const id = await device(store, 'T4c');
        assert.deepEqual(await store.tasks.faultCounts(), []);
        for (const code of [9005, 9000, 9005]) {
          const t = await store.tasks.enqueue(id, { args: GPV });
          claimed(await store.tasks.claimNext(id, 's'));
          await store.tasks.fault(t.id, 's', { code, message: 'no' });
        }
        // A side-effecting task whose session died: failed as interrupted, with no CWMP code.
        const r = await store.tasks.enqueue(id, { args: REBOOT });
        claimed(await store.tasks.claimNext(id, 's2'));
        await store.tasks.releaseSession(id, 's2');
        assert.equal((await store.tasks.get(r.id))?.fault?.source, 'interrupted');
        assert.deepEqual(await store.tasks.faultCounts(), [
          { code: '9005', count: 2 },
          { code: '9000', count: 1 },
          { code: 'interrupted', count: 1 },
        ]);
        // The same faults the list gives.
        assert.equal((await store.tasks.list({ faulted: true })).length, 4);
      }));

    it('cancels, retries (at the end of the queue) and clears faults', () =>
      withStore(factory, { retry: RETRY }, async ({ store, clock }) => {
        const id = await device(store, 'T5');
        const a = await store.tasks.enqueue(id, { args: GPV });
        const b = await store.tasks.enqueue(id, { args: REBOOT });
        const c = await store.tasks.enqueue(id, { args: GPN });
        assert.equal((await store.tasks.cancel(b.id)).state, 'cancelled');
        assert.equal((await store.tasks.cancel(b.id)).state, 'cancelled');
        claimed(await store.tasks.claimNext(id, 's'));
        await rejectsWith(store.tasks.cancel(a.id), 'conflict');
        await store.tasks.fault(a.id, 's', { code: 9003, message: 'bad args' });
        await rejectsWith(store.tasks.retry(c.id), 'conflict');
        const again = await store.tasks.retry(a.id);
        assert.deepEqual(
          [again.state, again.attempts, again.fault, again.claim],
          ['pending', 0, null, null],
        );
        assert.ok(again.position > c.position);
        assert.deepEqual(
          (await store.tasks.queue(id)).map((t) => t.id),
          [c.id, a.id],
        );
        assert.equal((await store.tasks.retry(b.id)).state, 'pending');
        // clearFault: a backing-off task may run at once; a failed one is dismissed.
        claimed(await store.tasks.claimNext(id, 's2'));
        const backing = await store.tasks.fault(c.id, 's2', { code: 9002, message: 'busy' });
        assert.ok(backing.notBefore > clock.now);
        const cleared = await store.tasks.clearFault(c.id);
        assert.deepEqual(
          [cleared.state, cleared.fault, cleared.notBefore],
          ['pending', null, clock.now],
        );
        assert.equal(claimed(await store.tasks.claimNext(id, 's3')).id, c.id);
        const failed = await store.tasks.fault(c.id, 's3', { code: 9000, message: 'nope' });
        assert.equal((await store.tasks.clearFault(failed.id)).state, 'cancelled');
        assert.deepEqual(
          (await store.tasks.list({ faulted: true })).map((t) => t.id),
          [],
        );
        await rejectsWith(store.tasks.clearFault(a.id), 'conflict');
        await rejectsWith(store.tasks.cancel(424242), 'not-found');
      }));

    it('lists with filters and pages', () =>
      withStore(factory, {}, async ({ store }) => {
        const d1 = await device(store, 'T6a');
        const d2 = await device(store, 'T6b');
        for (let i = 0; i < 3; i++)
          await store.tasks.enqueue(d1, { args: GPV, createdBy: 'alice' });
        const r = await store.tasks.enqueue(d2, { args: REBOOT, createdBy: 'bob' });
        await store.tasks.cancel(r.id);
        assert.equal((await store.tasks.list()).length, 4);
        assert.equal((await store.tasks.list({ deviceId: d1 })).length, 3);
        assert.deepEqual(
          (await store.tasks.list({ states: ['cancelled'] })).map((t) => t.id),
          [r.id],
        );
        assert.deepEqual(
          (await store.tasks.list({ types: ['reboot'] })).map((t) => t.id),
          [r.id],
        );
        assert.equal((await store.tasks.list({ createdBy: 'alice', limit: 2 })).length, 2);
        assert.equal(
          (await store.tasks.list({ createdBy: 'alice', limit: 2, offset: 2 })).length,
          1,
        );
        assert.equal(await store.tasks.purgeFinished(Number.MAX_SAFE_INTEGER), 1);
        assert.equal((await store.tasks.list()).length, 3);
        await rejectsWith(store.tasks.list({ states: ['bogus' as 'done'] }), 'invalid');
      }));

    it('validates arguments and keeps task passwords encrypted at rest', () =>
      withStore(factory, {}, async ({ store, harness }) => {
        const id = await device(store, 'T7');
        const pw = 'fileserver-Pa55-93be1';
        const spvSecret = 'spv-secret-value-c07a';
        const dl = await store.tasks.enqueue(id, {
          args: {
            type: 'download',
            commandKey: 'fw-1',
            fileType: '1 Firmware Upgrade Image',
            url: 'https://files.example/fw.bin',
            username: 'dl',
            password: new Secret(pw),
            fileSize: 0,
            targetFileName: '',
            delaySeconds: 0,
            successUrl: '',
            failureUrl: '',
          },
        });
        await store.tasks.enqueue(id, {
          args: {
            type: 'setParameterValues',
            parameters: [
              {
                name: 'Device.Users.User.1.Password',
                value: new Secret(spvSecret),
                type: 'string',
              },
            ],
            parameterKey: '',
          },
        });
        const back = await store.tasks.get(dl.id);
        assert.ok(back?.args.type === 'download');
        assert.equal(back.args.password.reveal(), pw);
        assert.ok(!JSON.stringify(await store.tasks.list()).includes(pw));
        const dump = await harness.rawDump();
        assert.equal(dump.includes(Buffer.from(pw)), false);
        assert.equal(dump.includes(Buffer.from(spvSecret)), false);
        assert.ok(
          dump.includes(Buffer.from('https://files.example/fw.bin')),
          'the dump is readable at all',
        );
        await rejectsWith(store.tasks.enqueue(id, { args: GPV, notBefore: 1.5 }), 'invalid');
        await rejectsWith(
          store.devices.recordInform({ ...inform(identity('T7')), at: Number.NaN }),
          'invalid',
        );
        await rejectsWith(store.tasks.claimNext(id, 's', { leaseMs: 0.5 }), 'invalid');
        await rejectsWith(
          store.tasks.enqueue(id, { args: { type: 'nope' } as unknown as TaskArgs }),
          'invalid',
        );
        await rejectsWith(
          store.tasks.enqueue(id, {
            args: { ...(back.args as object), password: 'plain' } as unknown as TaskArgs,
          }),
          'invalid',
        );
        await rejectsWith(
          store.tasks.enqueue(id, { args: { type: 'reboot' } as unknown as TaskArgs }),
          'invalid',
        );
        await rejectsWith(
          store.tasks.enqueue(id, {
            args: { type: 'reboot', commandKey: 'k', extra: 1 } as unknown as TaskArgs,
          }),
          'invalid',
        );
      }));
  });
}
