/**
 * Stopping a campaign whose devices hold its ScheduleDownload, on a real SQLite store, the sessions played by
 * hand through the task store (the CWMP side is src/cpe/e2e/campaigns.e2e.test.ts): each such device is sent a
 * CancelTransfer; done → cancelled (its transfer task never turns into a timeout); a 9021 fault → judged as
 * before; a ScheduleDownload on the wire when the campaign stopped is caught up by the runner.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { addDevice, SECRET_KEY, TestClock } from '../../store/suite/harness.ts';
import type { TaskRecord } from '../../store/tasks.ts';
import { abortCampaign, createCampaign, startCampaign } from './control.ts';
import { CampaignRunner } from './runner.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-campaign-runner-'));
const clock = new TestClock();
clock.now = Date.UTC(2026, 0, 1, 2);
let store: SqliteStore;
const logs: { event: string; fields: Record<string, unknown> }[] = [];
const asked: string[] = [];
/** The connection-request sender: refuses B (as a throttled sender does), throws for D. */
async function connectionRequest(deviceId: string): Promise<unknown> {
  asked.push(deviceId);
  if (deviceId === ids.B) return { ok: false, reason: 'throttled' };
  if (deviceId === ids.D) throw new Error('GET http://user:secret@cpe/ failed');
  return { ok: true };
}
const ids: Record<string, string> = {};

before(async () => {
  store = await openSqliteStore({
    path: join(dir, 'c.db'),
    secretKey: SECRET_KEY,
    clock: clock.read,
  });
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const version = (v: string) => [{ path: 'Device.DeviceInfo.SoftwareVersion', value: v }];
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A session takes the device's next task. */
async function claim(deviceId: string, session: string): Promise<TaskRecord> {
  const claimed = await store.tasks.claimNext(deviceId, session);
  assert.equal(claimed.status, 'claimed');
  return claimed.task;
}

describe('a stopped campaign cancels the ScheduleDownloads its devices hold', () => {
  it('CancelTransfer done → cancelled; 9021 → judged as before; caught up when sent late', async () => {
    for (const serial of ['A', 'B', 'C', 'D']) {
      ids[serial] = (
        await addDevice(store, `RUN-${serial}`, { parameters: version('1.0') })
      ).device.id;
    }
    const file = await store.files.create({
      name: 'fw-2.0.bin',
      fileType: '1 Firmware Upgrade Image',
      size: 10,
      sha256: 'a'.repeat(64),
      blobId: 'blob',
    });
    const draft = await createCampaign(store, {
      name: 'to 2.0',
      definition: {
        fileId: file.id,
        softwareVersion: '2.0',
        devices: {
          filter: [{ kind: 'field', field: 'serialNumber', op: 'prefix', value: 'RUN-' }],
        },
        transfer: 'scheduleDownload',
        timeoutSeconds: 86_400,
        stopRules: {},
      },
      createdBy: 'api-key:a',
    });
    await store.campaigns.approve(draft.id, 'api-key:b');
    const { id } = await startCampaign(store, draft.id);
    const runner = new CampaignRunner({
      store,
      clock: clock.read,
      log: (event, fields) => logs.push({ event, fields }),
      connectionRequest,
    });
    await runner.tick();
    const transfers: Record<string, TaskRecord> = {};
    for (const [serial, deviceId] of Object.entries(ids)) {
      transfers[serial] = await claim(deviceId, `s-${serial}`);
      assert.equal(transfers[serial].type, 'scheduleDownload');
    }
    // A, B and C accepted theirs (Status 1, the window not come); D's answer is still on the wire.
    for (const serial of ['A', 'B', 'C']) {
      await store.tasks.awaitTransfer(transfers[serial]!.id, `s-${serial}`, {
        deadline: clock.now + 3_600_000,
      });
    }
    await settle();
    logs.length = 0;
    asked.length = 0;

    await abortCampaign(store, id, 'api-key:ops', clock.read, {
      connectionRequest,
      log: (event, fields) => logs.push({ event, fields }),
    });
    const commandKey = `campaign-${id}-sd`;
    const cancels: Record<string, TaskRecord> = {};
    for (const serial of ['A', 'B', 'C']) {
      const row = await store.campaigns.device(id, ids[serial]!);
      assert.equal(row?.state, 'in-progress');
      assert.ok(row?.cancelTaskId);
      const cancel = await store.tasks.get(row.cancelTaskId);
      assert.deepEqual(cancel?.args, { type: 'cancelTransfer', commandKey });
      assert.equal(cancel?.createdBy, `campaign:${id}`);
      cancels[serial] = cancel!;
    }
    assert.equal(
      (await store.campaigns.device(id, ids.D!))?.cancelTaskId,
      null,
      'not accepted yet',
    );
    await settle();
    assert.deepEqual(asked.sort(), [ids.A, ids.B, ids.C].sort());
    assert.deepEqual(
      logs.filter((l) => l.event === 'campaign-connection-request-failed').map((l) => l.fields),
      [{ campaignId: id, deviceId: ids.B, reason: 'throttled' }],
    );

    // A second stop (the runner's catch-up on its tick) queues no second CancelTransfer.
    await runner.tick();
    assert.equal(
      (await store.tasks.list({ types: ['cancelTransfer'], deviceId: ids.A })).length,
      1,
    );

    // A cancels; B and C answer 9021 (already started); D's ScheduleDownload is accepted only now.
    await claim(ids.A!, 'a2');
    await store.tasks.complete(cancels.A!.id, 'a2', { result: { commandKey } });
    for (const serial of ['B', 'C']) {
      await claim(ids[serial]!, `${serial}2`);
      await store.tasks.fault(cancels[serial]!.id, `${serial}2`, {
        code: 9021,
        message: 'Cancelation of file transfer not permitted',
      });
    }
    await store.tasks.awaitTransfer(transfers.D!.id, 's-D', { deadline: clock.now + 3_600_000 });
    // B's transfer had started: it completes and B boots into 2.0.
    await store.tasks.completeTransfer(ids.B!, commandKey, { fault: null });
    clock.advance(1000);
    await addDevice(store, 'RUN-B', { parameters: version('2.0') });
    logs.length = 0;
    asked.length = 0;
    await runner.tick();
    await settle();
    const states = async () =>
      Object.fromEntries(
        await Promise.all(
          Object.entries(ids).map(async ([serial, deviceId]) => {
            const row = await store.campaigns.device(id, deviceId);
            return [serial, [row?.state, row?.reason]];
          }),
        ),
      );
    assert.deepEqual(await states(), {
      A: ['cancelled', 'scheduled download cancelled (campaign aborted)'],
      B: ['succeeded', null],
      C: ['in-progress', null],
      D: ['in-progress', null],
    });
    // A's transfer task is cancelled too: no TransferComplete will come, and no timeout will be recorded.
    assert.equal((await store.tasks.get(transfers.A!.id))?.state, 'cancelled');
    // D was caught up: its CancelTransfer is queued, audited, and its connection request failure logged.
    const rowD = await store.campaigns.device(id, ids.D!);
    assert.ok(rowD?.cancelTaskId);
    assert.deepEqual(asked, [ids.D]);
    assert.deepEqual(
      logs.filter((l) => l.event === 'campaign-connection-request-failed').map((l) => l.fields),
      [{ campaignId: id, deviceId: ids.D, reason: 'error', error: 'Error' }],
    );
    assert.doesNotMatch(JSON.stringify(logs), /secret/);

    // Past the transfer deadline: C, whose cancel faulted, fails as before; A stays cancelled.
    clock.advance(3_600_000);
    const expired = await store.tasks.expireTransfers();
    assert.deepEqual(expired.map((t) => t.id).sort(), [transfers.C!.id, transfers.D!.id].sort());
    await claim(ids.D!, 'd2');
    await store.tasks.complete(rowD.cancelTaskId, 'd2', { result: { commandKey } });
    await runner.tick();
    const final = await states();
    assert.deepEqual(final.A, ['cancelled', 'scheduled download cancelled (campaign aborted)']);
    assert.deepEqual(final.C, ['failed', 'transfer-timeout']);
    assert.deepEqual(final.D, ['cancelled', 'scheduled download cancelled (campaign aborted)']);
    assert.equal(
      (await store.tasks.get(transfers.D!.id))?.state,
      'cancelled',
      'its timeout withdrawn',
    );

    const audit = await store.audit.list({
      actor: `campaign:${id}`,
      action: 'campaign.transfer-cancel',
    });
    assert.deepEqual(
      audit.map((e) => [e.target, (e.details as { taskId: number }).taskId]).sort(),
      [
        [ids.A, cancels.A!.id],
        [ids.B, cancels.B!.id],
        [ids.C, cancels.C!.id],
        [ids.D, rowD.cancelTaskId],
      ].sort(),
    );
    const progress = await store.campaigns.progress(id);
    assert.deepEqual(
      [progress.counts.cancelled, progress.counts.succeeded, progress.counts.failed],
      [2, 1, 1],
    );
  });
});
