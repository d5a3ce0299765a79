/**
 * Firmware campaigns over real CWMP: the ACS with its own file server, simulated devices that fetch the image by a
 * signed URL, flash it, reboot and report TransferComplete, and the campaign runner moved by hand (`tick()`) on a
 * clock of its own. A canary that comes back on the wrong version halts its campaign before anyone else is sent
 * anything; a healthy campaign goes canary → batch within its window and concurrency, falling back to Download
 * for a device without ScheduleDownload; an aborted campaign cancels, by CancelTransfer, the ScheduleDownloads
 * its devices hold.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  abortCampaign,
  CampaignRunner,
  createCampaign,
  startCampaign,
} from '../../acs/campaigns/index.ts';
import type { CampaignRecord } from '../../store/campaigns.ts';
import type { SessionRecord } from '../device/session-record.ts';
import type { SimulatedDevice } from '../device/simulated-device.ts';
import { Lab, type LabDeviceOptions } from '../testing/lab.ts';

let lab: Lab;
const bySerial = new Map<string, SimulatedDevice>();
const byId = new Map<string, SimulatedDevice>();
/** The runner's clock: 02:00 UTC, inside the 01:00-05:00 window. */
let now = Date.UTC(2026, 0, 1, 2, 0);
let runner: CampaignRunner;

before(async () => {
  lab = await Lab.start({ servedFiles: true });
  runner = new CampaignRunner({
    store: lab.store,
    clock: () => now,
    log: (event, fields) => lab.logs.push({ event, fields }),
    connectionRequest: async (deviceId) => {
      const device = byId.get(deviceId);
      assert.ok(device, `a connection request for an unknown device ${deviceId}`);
      assert.equal(await lab.connectionRequest(device), 200);
    },
  });
});
after(() => lab.close());

async function firmware(name: string, content: string, target: { productClass?: string } = {}) {
  const put = await lab.blobs!.put(Readable.from([Buffer.from(content)]), { maxBytes: 1 << 20 });
  return lab.store.files.create({
    name,
    fileType: '1 Firmware Upgrade Image',
    size: put.size,
    sha256: put.sha256,
    blobId: put.id,
    target,
  });
}

async function boot(serial: string, options: LabDeviceOptions = {}): Promise<SimulatedDevice> {
  const d = await lab.device(serial, {
    ...options,
    // No periodic informs: every session is one the campaign asked for.
    extra: { 'Device.ManagementServer.PeriodicInformEnable': 'false', ...options.extra },
  });
  const booted = d.waitForSession();
  d.start();
  assert.equal((await booted).ok, true);
  bySerial.set(serial, d);
  byId.set(lab.idOf(d), d);
  return d;
}

/** The session in which `d` reports its transfer done (TransferComplete acknowledged). */
function transferCompleted(d: SimulatedDevice): Promise<SessionRecord> {
  return d.waitForSession((r) => r.acknowledged.includes('TransferComplete'));
}

async function approvedCampaign(name: string, definition: unknown): Promise<CampaignRecord> {
  const c = await createCampaign(lab.store, { name, definition, createdBy: 'api-key:creator' });
  await lab.store.campaigns.approve(c.id, 'api-key:approver');
  return startCampaign(lab.store, c.id);
}

const serialPrefix = (prefix: string) => ({
  filter: [{ kind: 'field', field: 'serialNumber', op: 'prefix', value: prefix }],
});

async function outcomes(id: number): Promise<Record<string, [string, string | null]>> {
  const rows = await lab.store.campaigns.devices(id, { limit: 100 });
  const out: Record<string, [string, string | null]> = {};
  for (const r of rows) {
    const serial = [...bySerial].find(([, d]) => lab.idOf(d) === r.deviceId)?.[0] ?? r.deviceId;
    out[serial] = [r.state, r.reason];
  }
  return out;
}

describe('firmware campaigns against simulated devices', { timeout: 60_000 }, () => {
  it('a canary that comes back on the wrong version halts the campaign; nobody else is sent a Download', async () => {
    const canary = await boot('HALT-1');
    const others = [await boot('HALT-2'), await boot('HALT-3')];
    // The image says 9.9.9 inside: the device will boot into that, not the 5.0.0 the campaign expects.
    const file = await firmware('fw-5.0.0.bin', 'CORRAL-FIRMWARE version=9.9.9\nimage bytes');
    const campaign = await approvedCampaign('halting', {
      fileId: file.id,
      softwareVersion: '5.0.0',
      devices: serialPrefix('HALT-'),
      stages: [{ devices: 1 }, { percent: 100 }],
      stopRules: { maxFailures: 0 },
      transfer: 'download',
      concurrency: 10,
    });
    assert.equal(campaign.state, 'running');

    const done = transferCompleted(canary);
    await runner.tick();
    assert.deepEqual(await outcomes(campaign.id), {
      'HALT-1': ['in-progress', null],
      'HALT-2': ['pending', null],
      'HALT-3': ['pending', null],
    });
    const r = await done;
    assert.deepEqual(r.events, [
      '1 BOOT',
      '7 TRANSFER COMPLETE',
      `M Download:campaign-${campaign.id}-dl`,
    ]);
    assert.equal(canary.model.getValue('Device.DeviceInfo.SoftwareVersion'), '9.9.9');

    await runner.tick();
    const halted = await lab.store.campaigns.get(campaign.id);
    assert.equal(halted?.state, 'halted');
    assert.match(halted?.stateReason ?? '', /maxFailures 0/);
    assert.deepEqual(await outcomes(campaign.id), {
      'HALT-1': ['failed', 'wrong-version'],
      'HALT-2': ['cancelled', 'campaign halted'],
      'HALT-3': ['cancelled', 'campaign halted'],
    });
    const row = await lab.store.campaigns.device(campaign.id, lab.idOf(canary));
    assert.deepEqual(row?.detail, { expected: '5.0.0', softwareVersion: '9.9.9' });

    await runner.tick();
    for (const d of others) {
      assert.deepEqual(await lab.store.tasks.list({ deviceId: lab.idOf(d) }), []);
      assert.equal(d.transfers.size, 0);
      assert.equal(d.model.getValue('Device.DeviceInfo.SoftwareVersion'), '4.2.7');
    }
    const progress = await lab.store.campaigns.progress(campaign.id);
    assert.deepEqual(
      [progress.counts.failed, progress.counts.cancelled, progress.counts.pending],
      [1, 2, 0],
    );
    const halts = await lab.store.audit.list({
      actor: `campaign:${campaign.id}`,
      action: 'campaign.halted',
    });
    assert.equal(halts.length, 1);
  });

  it('a healthy campaign: canary, then a batch within the window and concurrency, to completion', async () => {
    const devices = [
      await boot('OK-1'),
      await boot('OK-2'),
      // No ScheduleDownload on this one: the campaign falls back to Download.
      await boot('OK-3', { behaviour: { faults: { faultFor: { ScheduleDownload: 9000 } } } }),
      await boot('OK-4'),
    ];
    const [d1, d2, d3, d4] = devices as [
      SimulatedDevice,
      SimulatedDevice,
      SimulatedDevice,
      SimulatedDevice,
    ];
    const current = await boot('OK-5', { extra: { 'Device.DeviceInfo.SoftwareVersion': '5.1.0' } });
    const other = await boot('OK-6', { extra: { 'Device.DeviceInfo.ProductClass': 'XR500' } });
    const file = await firmware('fw-5.1.0.bin', 'CORRAL-FIRMWARE version=5.1.0\nimage bytes', {
      productClass: 'HG2100',
    });
    const campaign = await approvedCampaign('healthy', {
      fileId: file.id,
      softwareVersion: '5.1.0',
      devices: serialPrefix('OK-'),
      stages: [{ devices: 1 }, { percent: 100 }],
      maintenanceWindows: [{ start: '01:00', end: '05:00' }],
      concurrency: 2,
      timeoutSeconds: 3600,
      stopRules: { maxFailures: 0 },
      transfer: 'auto',
    });
    const id = campaign.id;
    const starting = await outcomes(id);
    assert.deepEqual(starting['OK-5'], ['skipped', 'already-on-version']);
    assert.deepEqual(starting['OK-6'], ['skipped', 'not-targeted']);

    // Outside the window nothing starts.
    now = Date.UTC(2026, 0, 1, 6, 0);
    await runner.tick();
    assert.equal((await lab.store.campaigns.progress(id)).counts['in-progress'], 0);
    now = Date.UTC(2026, 0, 1, 2, 0);

    // The canary alone.
    let done = transferCompleted(d1);
    await runner.tick();
    const [canaryRow] = await lab.store.campaigns.devices(id, { states: ['in-progress'] });
    assert.equal(canaryRow?.deviceId, lab.idOf(d1));
    assert.equal(canaryRow?.transfer, 'scheduleDownload');
    const canaryArgs = (await lab.store.tasks.get(canaryRow!.taskId!))?.args;
    assert.equal(canaryArgs?.type, 'scheduleDownload');
    assert.equal(canaryArgs.fileId, file.id);
    assert.deepEqual(
      canaryArgs.timeWindows.map((w) => [w.windowStart, w.windowEnd]),
      [[0, 3600]],
      'the rest of the window, capped by the timeout',
    );
    assert.deepEqual((await done).events, [
      '1 BOOT',
      '7 TRANSFER COMPLETE',
      `M ScheduleDownload:campaign-${id}-sd`,
    ]);

    // The canary succeeded: the batch starts, two at a time; OK-3 refuses ScheduleDownload.
    done = transferCompleted(d2);
    const refused = d3.waitForSession((r) => r.faultsSent > 0);
    now += 60_000;
    await runner.tick();
    assert.deepEqual((await outcomes(id))['OK-1'], ['succeeded', null]);
    const batch = await lab.store.campaigns.devices(id, { states: ['in-progress'] });
    assert.deepEqual(
      batch.map((r) => r.deviceId),
      [lab.idOf(d2), lab.idOf(d3)],
    );
    await done;
    assert.deepEqual((await refused).acsRequests, ['ScheduleDownload']);

    // OK-2 done; OK-3 gets a Download instead; OK-4 takes the free slot.
    const fallback = transferCompleted(d3);
    done = transferCompleted(d4);
    now += 60_000;
    await runner.tick();
    const row3 = await lab.store.campaigns.device(id, lab.idOf(d3));
    assert.equal(row3?.state, 'in-progress');
    assert.equal(row3?.transfer, 'download');
    assert.equal((await lab.store.campaigns.device(id, lab.idOf(d4)))?.state, 'in-progress');
    assert.deepEqual((await fallback).events, [
      '1 BOOT',
      '7 TRANSFER COMPLETE',
      `M Download:campaign-${id}-dl`,
    ]);
    await done;

    now += 60_000;
    await runner.tick();
    const finished = await lab.store.campaigns.get(id);
    assert.equal(finished?.state, 'completed');
    assert.deepEqual(await outcomes(id), {
      'OK-1': ['succeeded', null],
      'OK-2': ['succeeded', null],
      'OK-3': ['succeeded', null],
      'OK-4': ['succeeded', null],
      'OK-5': ['skipped', 'already-on-version'],
      'OK-6': ['skipped', 'not-targeted'],
    });
    for (const d of devices) {
      assert.equal(d.model.getValue('Device.DeviceInfo.SoftwareVersion'), '5.1.0');
      assert.equal((await lab.store.devices.get(lab.idOf(d)))?.softwareVersion, '5.1.0');
    }
    for (const d of [current, other]) {
      assert.deepEqual(await lab.store.tasks.list({ deviceId: lab.idOf(d) }), []);
    }
    assert.equal(other.model.getValue('Device.DeviceInfo.SoftwareVersion'), '4.2.7');

    // Every task the campaign queued is in the audit log, under the campaign.
    const audited = await lab.store.audit.list({
      actor: `campaign:${id}`,
      action: 'campaign.task-create',
    });
    const tasks = await lab.store.tasks.list({ createdBy: `campaign:${id}` });
    assert.equal(tasks.length, 5, 'four ScheduleDownloads and one Download');
    assert.deepEqual(
      audited.map((e) => [e.target, (e.details as { taskId: number }).taskId]).sort(),
      tasks.map((t) => [t.deviceId, t.id]).sort(),
    );
    assert.ok(tasks.every((t) => t.state === 'done' || t.fault?.code === 9000));
  });

  it('abort: nothing more is started and a queued task not yet sent is withdrawn', async () => {
    // Devices that never answer a connection request: their tasks stay queued.
    const quiet = [await boot('ABORT-1'), await boot('ABORT-2')];
    const file = await firmware('fw-6.bin', 'CORRAL-FIRMWARE version=6.0\n');
    const campaign = await approvedCampaign('aborted', {
      fileId: file.id,
      softwareVersion: '6.0',
      devices: serialPrefix('ABORT-'),
      concurrency: 1,
      transfer: 'download',
      connectionRequest: false,
    });
    await runner.tick();
    const [started] = await lab.store.campaigns.devices(campaign.id, { states: ['in-progress'] });
    assert.ok(started?.taskId);
    assert.equal((await lab.store.tasks.get(started.taskId))?.state, 'pending');

    const aborted = await abortCampaign(lab.store, campaign.id, 'api-key:ops', () => now);
    assert.equal(aborted.state, 'aborted');
    assert.equal((await lab.store.tasks.get(started.taskId))?.state, 'cancelled');
    await runner.tick();
    assert.equal((await lab.store.campaigns.progress(campaign.id)).counts.cancelled, 2);
    for (const d of quiet) {
      const tasks = await lab.store.tasks.list({ deviceId: lab.idOf(d), states: ['pending'] });
      assert.deepEqual(tasks, []);
    }
    const cancels = await lab.store.audit.list({
      actor: `campaign:${campaign.id}`,
      action: 'campaign.task-cancel',
    });
    assert.equal(cancels.length, 1);
  });

  it('abort: a device holding the ScheduleDownload gets a CancelTransfer and never downloads', async () => {
    // Each answer takes a while, so the abort lands while the sessions that accepted the ScheduleDownload are
    // still open (held by a GetParameterValues queued behind it): the devices hold the transfer, not started.
    // (The campaign's first TimeWindow starts at once and the simulator starts a transfer at its window's
    // start, so this is where an accepted, unstarted ScheduleDownload can be caught.)
    const slow = { faults: { answerDelayMs: 1500 } };
    const held = [
      await boot('HOLD-1', { behaviour: slow }),
      await boot('HOLD-2', { behaviour: slow }),
    ];
    const file = await firmware('fw-7.bin', 'CORRAL-FIRMWARE version=7.0\nimage bytes');
    const campaign = await approvedCampaign('cancelled on the device', {
      fileId: file.id,
      softwareVersion: '7.0',
      devices: serialPrefix('HOLD-'),
      maintenanceWindows: [{ start: '01:00', end: '05:00' }],
      timeoutSeconds: 7200,
      transfer: 'scheduleDownload',
      concurrency: 10,
    });
    const id = campaign.id;
    const cancelled = held.map((d) =>
      d.waitForSession((r) => r.acsRequests.includes('CancelTransfer')),
    );
    await runner.tick();
    const rows = await lab.store.campaigns.devices(id, { states: ['in-progress'] });
    assert.equal(rows.length, 2);
    for (const r of rows) {
      await lab.store.tasks.enqueue(r.deviceId, {
        args: { type: 'getParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] },
      });
    }
    // Both devices accepted (Status 1 → awaiting); their sessions are still open.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const tasks = await Promise.all(rows.map((r) => lab.store.tasks.get(r.taskId!)));
      if (tasks.every((t) => t?.state === 'awaiting')) break;
      assert.ok(Date.now() < deadline, 'the devices accept the ScheduleDownload');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (const d of held) assert.equal(d.transfers.all()[0]?.state, 1, 'queued, not started');

    await abortCampaign(lab.store, id, 'api-key:ops', () => now);
    const sessions = await Promise.all(cancelled);
    for (const r of sessions) {
      assert.deepEqual(r.acsRequests, ['ScheduleDownload', 'GetParameterValues', 'CancelTransfer']);
      assert.equal(r.faultsSent, 0);
    }
    await runner.tick();
    for (const d of held) {
      const row = await lab.store.campaigns.device(id, lab.idOf(d));
      assert.equal(row?.state, 'cancelled');
      assert.equal(row?.reason, 'scheduled download cancelled (campaign aborted)');
      assert.equal((await lab.store.tasks.get(row.cancelTaskId!))?.state, 'done');
      assert.equal((await lab.store.tasks.get(row.taskId!))?.state, 'cancelled');
      assert.equal(d.transfers.size, 0);
    }

    // Past the window and the campaign's timeout: nobody fetched the image or flashed it.
    lab.clock.advance(25 * 3_600_000);
    now += 25 * 3_600_000;
    await new Promise((resolve) => setTimeout(resolve, 200));
    await runner.tick();
    for (const d of held) {
      assert.equal(d.model.getValue('Device.DeviceInfo.SoftwareVersion'), '4.2.7');
      assert.equal((await lab.store.campaigns.device(id, lab.idOf(d)))?.state, 'cancelled');
    }
    assert.deepEqual(
      lab.logs.filter((l) => l.event.startsWith('file-server.') && l.fields.fileId === file.id),
      [],
      'the file server saw no request for the image',
    );
    assert.equal((await lab.store.campaigns.progress(id)).counts.cancelled, 2);
    const audited = await lab.store.audit.list({
      actor: `campaign:${id}`,
      action: 'campaign.transfer-cancel',
    });
    assert.deepEqual(audited.map((e) => e.target).sort(), held.map((d) => lab.idOf(d)).sort());
    for (const e of audited) {
      assert.deepEqual((e.details as { commandKey: string }).commandKey, `campaign-${id}-sd`);
    }
  });
});
