import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CampaignDeviceInput } from '../campaigns.ts';
import type { Store } from '../store.ts';
import {
  addDevice,
  HOSTILE_STRINGS,
  rejectsWith,
  type StoreFactory,
  withStore,
} from './harness.ts';

const DEFINITION = { fileId: 'f'.repeat(32), softwareVersion: '2.0', stages: [{ devices: 1 }] };

async function devices(store: Store, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await addDevice(store, `CMP-${i}`)).device.id);
  return ids;
}

async function running(store: Store, inputs: CampaignDeviceInput[]) {
  const c = await store.campaigns.create({ name: 'fw', definition: DEFINITION, createdBy: 'a' });
  await store.campaigns.approve(c.id, 'b');
  return store.campaigns.start(c.id, inputs);
}

export function campaignSuite(factory: StoreFactory): void {
  describe('campaigns', () => {
    it('creates drafts, reads them back and lists them newest first, by state', () =>
      withStore(factory, {}, async ({ store, clock }) => {
        const at = clock.now;
        const first = await store.campaigns.create({
          name: 'canary 2.0',
          definition: DEFINITION,
          createdBy: 'api-key:ops',
        });
        assert.deepEqual(first, {
          id: first.id,
          name: 'canary 2.0',
          definition: DEFINITION,
          state: 'draft',
          stateReason: null,
          createdAt: at,
          createdBy: 'api-key:ops',
          approvedAt: null,
          approvedBy: null,
          startedAt: null,
          finishedAt: null,
          updatedAt: at,
        });
        assert.deepEqual(await store.campaigns.get(first.id), first);
        assert.equal(await store.campaigns.get(first.id + 100), null);
        const second = await store.campaigns.create({
          name: 'second',
          definition: [1, 'two'],
          createdBy: 'x',
        });
        await store.campaigns.approve(second.id, 'y');
        assert.deepEqual(
          (await store.campaigns.list()).map((c) => c.id),
          [second.id, first.id],
        );
        assert.deepEqual(
          (await store.campaigns.list({ states: ['approved'] })).map((c) => c.id),
          [second.id],
        );
        assert.deepEqual(
          (await store.campaigns.list({ limit: 1, offset: 1 })).map((c) => c.id),
          [first.id],
        );
        await rejectsWith(store.campaigns.list({ states: ['bogus' as 'draft'] }), 'invalid');
      }));

    it('refuses bad names, creators and ids; keeps hostile text verbatim', () =>
      withStore(factory, {}, async ({ store }) => {
        for (const name of ['', 'x'.repeat(129), 'tab\there', 'lone \ud800']) {
          await rejectsWith(
            store.campaigns.create({ name, definition: {}, createdBy: 'a' }),
            'invalid',
          );
        }
        await rejectsWith(
          store.campaigns.create({ name: 'ok', definition: {}, createdBy: '' }),
          'invalid',
        );
        await rejectsWith(
          store.campaigns.create({
            name: 'ok',
            definition: { big: 'x'.repeat(70_000) },
            createdBy: 'a',
          }),
          'invalid',
        );
        await rejectsWith(store.campaigns.get(0), 'invalid');
        await rejectsWith(store.campaigns.approve(999, 'b'), 'not-found');
        for (const hostile of HOSTILE_STRINGS) {
          if (hostile === '' || hostile.length > 128 || /[\u0000-\u001f]/.test(hostile)) continue;
          const c = await store.campaigns.create({
            name: hostile,
            definition: { note: hostile },
            createdBy: 'a',
          });
          const back = await store.campaigns.get(c.id);
          assert.equal(back?.name, hostile);
          assert.deepEqual(back?.definition, { note: hostile });
        }
      }));

    it('is approved by someone other than its creator, once, and starts only when approved', () =>
      withStore(factory, {}, async ({ store, clock }) => {
        const c = await store.campaigns.create({ name: 'fw', definition: {}, createdBy: 'alice' });
        await rejectsWith(store.campaigns.start(c.id, []), 'conflict');
        await rejectsWith(store.campaigns.approve(c.id, 'alice'), 'conflict');
        assert.equal((await store.campaigns.get(c.id))?.state, 'draft');
        clock.advance(1000);
        const approved = await store.campaigns.approve(c.id, 'bob');
        assert.equal(approved.state, 'approved');
        assert.equal(approved.approvedBy, 'bob');
        assert.equal(approved.approvedAt, clock.now);
        await rejectsWith(store.campaigns.approve(c.id, 'carol'), 'conflict');
        clock.advance(1000);
        const started = await store.campaigns.start(c.id, []);
        assert.equal(started.state, 'running');
        assert.equal(started.startedAt, clock.now);
        await rejectsWith(store.campaigns.start(c.id, []), 'conflict');
      }));

    it('keeps the device set in order with stages, skips, and counts per state and stage', () =>
      withStore(factory, {}, async ({ store, clock }) => {
        const [a, b, c, d] = await devices(store, 4);
        const campaign = await running(store, [
          { deviceId: d!, stage: null, state: 'skipped', reason: 'already-on-version' },
          { deviceId: b!, stage: 0, state: 'pending' },
          { deviceId: 'unknown-device-id', stage: 1, state: 'pending' },
          { deviceId: a!, stage: 1, state: 'pending' },
          { deviceId: b!, stage: 1, state: 'pending' },
          { deviceId: c!, stage: 1, state: 'pending' },
        ]);
        const rows = await store.campaigns.devices(campaign.id);
        assert.deepEqual(
          rows.map((r) => [r.deviceId, r.position, r.stage, r.state]),
          [
            [d, 0, null, 'skipped'],
            [b, 1, 0, 'pending'],
            [a, 2, 1, 'pending'],
            [c, 3, 1, 'pending'],
          ],
          'unknown devices and duplicates are left out',
        );
        assert.equal(rows[0]?.reason, 'already-on-version');
        assert.equal(rows[0]?.finishedAt, clock.now);
        assert.deepEqual(
          (await store.campaigns.devices(campaign.id, { stage: 1, limit: 1, offset: 1 })).map(
            (r) => r.deviceId,
          ),
          [c],
        );
        assert.deepEqual(
          (await store.campaigns.devices(campaign.id, { states: ['skipped'] })).map(
            (r) => r.deviceId,
          ),
          [d],
        );
        const progress = await store.campaigns.progress(campaign.id);
        assert.equal(progress.total, 4);
        assert.equal(progress.counts.pending, 3);
        assert.equal(progress.counts.skipped, 1);
        assert.deepEqual(
          progress.stages.map((s) => [s.stage, s.total, s.counts.pending]),
          [
            [0, 1, 1],
            [1, 2, 2],
          ],
        );
        await rejectsWith(store.campaigns.devices(999), 'not-found');
        await rejectsWith(store.campaigns.progress(999), 'not-found');
      }));

    it('updates a device row only when it and its campaign are as expected', () =>
      withStore(factory, {}, async ({ store, clock }) => {
        const [a, b] = await devices(store, 2);
        const campaign = await running(store, [
          { deviceId: a!, stage: 0, state: 'pending' },
          { deviceId: b!, stage: 0, state: 'pending' },
        ]);
        const started = await store.campaigns.updateDevice(
          campaign.id,
          a!,
          { states: ['pending'], campaignStates: ['running'] },
          { state: 'in-progress', taskId: 42, transfer: 'scheduleDownload', startedAt: clock.now },
        );
        assert.deepEqual(started, {
          deviceId: a,
          position: 0,
          stage: 0,
          state: 'in-progress',
          taskId: 42,
          transfer: 'scheduleDownload',
          cancelTaskId: null,
          startedAt: clock.now,
          finishedAt: null,
          reason: null,
          detail: null,
        });
        await rejectsWith(
          store.campaigns.updateDevice(
            campaign.id,
            a!,
            { states: ['pending'] },
            { state: 'failed' },
          ),
          'conflict',
        );
        const failed = await store.campaigns.updateDevice(
          campaign.id,
          a!,
          { states: ['in-progress'] },
          {
            state: 'failed',
            finishedAt: clock.now + 5,
            reason: 'transfer-fault',
            detail: { code: 9018, message: 'File corrupted' },
            taskId: null,
          },
        );
        assert.equal(failed.taskId, null);
        assert.deepEqual(failed.detail, { code: 9018, message: 'File corrupted' });
        assert.equal((await store.campaigns.device(campaign.id, a!))?.reason, 'transfer-fault');
        assert.equal(await store.campaigns.device(campaign.id, 'nobody'), null);

        await store.campaigns.transition(campaign.id, ['running'], 'paused');
        await rejectsWith(
          store.campaigns.updateDevice(
            campaign.id,
            b!,
            { states: ['pending'], campaignStates: ['running'] },
            { state: 'in-progress' },
          ),
          'conflict',
        );
        assert.equal((await store.campaigns.device(campaign.id, b!))?.state, 'pending');
        await rejectsWith(
          store.campaigns.updateDevice(campaign.id, 'nobody', { states: ['pending'] }, {}),
          'not-found',
        );
        await rejectsWith(
          store.campaigns.updateDevice(
            campaign.id,
            b!,
            { states: ['pending'] },
            {
              state: 'bogus' as 'failed',
            },
          ),
          'invalid',
        );
      }));

    it('remembers one CancelTransfer per device row', () =>
      withStore(factory, {}, async ({ store, clock }) => {
        const [a] = await devices(store, 1);
        const campaign = await running(store, [{ deviceId: a!, stage: 0, state: 'pending' }]);
        await store.campaigns.updateDevice(
          campaign.id,
          a!,
          { states: ['pending'] },
          { state: 'in-progress', taskId: 7, transfer: 'scheduleDownload', startedAt: clock.now },
        );
        const once = { states: ['in-progress'], noCancelTask: true } as const;
        const marked = await store.campaigns.updateDevice(campaign.id, a!, once, {
          cancelTaskId: 8,
        });
        assert.deepEqual([marked.taskId, marked.cancelTaskId], [7, 8]);
        // A second stop may not queue another.
        await rejectsWith(
          store.campaigns.updateDevice(campaign.id, a!, once, { cancelTaskId: 9 }),
          'conflict',
        );
        assert.equal((await store.campaigns.device(campaign.id, a!))?.cancelTaskId, 8);
        await rejectsWith(
          store.campaigns.updateDevice(
            campaign.id,
            a!,
            { states: ['in-progress'] },
            { cancelTaskId: 0 },
          ),
          'invalid',
        );
        const [row] = await store.campaigns.devices(campaign.id);
        assert.equal(row?.cancelTaskId, 8);
        const cleared = await store.campaigns.updateDevice(
          campaign.id,
          a!,
          { states: ['in-progress'] },
          { cancelTaskId: null },
        );
        assert.equal(cleared.cancelTaskId, null);
      }));

    it('moves between states atomically, stamps the finish, and cancels rows by state', () =>
      withStore(factory, {}, async ({ store, clock }) => {
        const [a, b, c] = await devices(store, 3);
        const campaign = await running(store, [
          { deviceId: a!, stage: 0, state: 'pending' },
          { deviceId: b!, stage: 1, state: 'pending' },
          { deviceId: c!, stage: 1, state: 'pending' },
        ]);
        await store.campaigns.updateDevice(
          campaign.id,
          a!,
          { states: ['pending'] },
          { state: 'in-progress' },
        );
        await rejectsWith(
          store.campaigns.transition(campaign.id, ['paused'], 'running'),
          'conflict',
        );
        clock.advance(60_000);
        const aborted = await store.campaigns.transition(
          campaign.id,
          ['running', 'paused'],
          'aborted',
          'operator abort',
        );
        assert.equal(aborted.state, 'aborted');
        assert.equal(aborted.stateReason, 'operator abort');
        assert.equal(aborted.finishedAt, clock.now);
        assert.equal(await store.campaigns.cancelDevices(campaign.id, ['pending'], 'aborted'), 2);
        const progress = await store.campaigns.progress(campaign.id);
        assert.equal(progress.counts.cancelled, 2);
        assert.equal(progress.counts['in-progress'], 1);
        const cancelled = await store.campaigns.device(campaign.id, b!);
        assert.equal(cancelled?.reason, 'aborted');
        assert.equal(cancelled?.finishedAt, clock.now);
        assert.equal(await store.campaigns.cancelDevices(campaign.id, ['pending'], 'again'), 0);
      }));

    it("deleting a device deletes its outcome rows, and nothing else's", () =>
      withStore(factory, {}, async ({ store }) => {
        const [a, b] = await devices(store, 2);
        const campaign = await running(store, [
          { deviceId: a!, stage: 0, state: 'pending' },
          { deviceId: b!, stage: 0, state: 'pending' },
        ]);
        await store.devices.delete(a!);
        assert.deepEqual(
          (await store.campaigns.devices(campaign.id)).map((r) => r.deviceId),
          [b],
        );
        assert.equal((await store.campaigns.progress(campaign.id)).total, 1);
      }));
  });
}
