import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { CwmpFault, type TransferComplete } from '../../cwmp/index.ts';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { SimulatedClock } from '../clock/simulated-clock.ts';
import { DeviceModel } from '../model/device-model.ts';
import { templateFor } from '../model/template.ts';
import type { FetchedFile } from '../transfers/file-client.ts';
import { type QueuedTransfer, TransferQueue } from '../transfers/transfer-queue.ts';
import {
  armTransfer,
  type OutboxEntry,
  type TransferHost,
  transferFaultCode,
} from './transfer-runner.ts';

function host(fetch: () => Promise<FetchedFile>) {
  const clock = new SimulatedClock();
  const done: { entry: OutboxEntry; reboot: boolean }[] = [];
  const attempts: number[] = [];
  const h: TransferHost = {
    scheduler: clock,
    model: new DeviceModel(templateFor(DEVICE2_GATEWAY)),
    transfers: new TransferQueue(),
    fetch: () => {
      attempts.push(clock.now());
      return fetch();
    },
    upload: async () => {},
    uploadContent: () => ({ body: Buffer.from(''), contentType: 'text/plain' }),
    complete: (entry, reboot) => done.push({ entry, reboot }),
  };
  return { h, clock, done, attempts };
}

const scheduled = (windows: QueuedTransfer['windows']): QueuedTransfer => ({
  kind: 'scheduleDownload',
  commandKey: 'sd',
  fileType: '1 Firmware Upgrade Image',
  url: 'http://h/fw-5.0.0.bin',
  username: '',
  password: '',
  fileSize: 0,
  targetFileName: '',
  delaySeconds: 0,
  windows,
  state: 1,
});

describe('transfer runner', () => {
  it('ScheduleDownload retries within a window, moves to the next, and reports 9020 when none worked', async () => {
    const { h, clock, done, attempts } = host(() => Promise.reject(new CwmpFault(9015)));
    const t = scheduled([
      { start: 10, end: 40, mode: '1 At Any Time', userMessage: '', maxRetries: 1 },
      { start: 100, end: 100, mode: '2 Immediately', userMessage: '', maxRetries: 0 },
    ]);
    h.transfers.add(t);
    const t0 = clock.now();
    armTransfer(h, t);
    for (let i = 0; i < 4; i++) {
      clock.advanceToNext();
      await tick();
    }
    assert.deepEqual(
      attempts.map((a) => (a - t0) / 1000),
      [10, 20, 100],
    );
    assert.equal(done.length, 1);
    const message = done[0]!.entry.message as TransferComplete;
    assert.equal(message.FaultStruct.FaultCode, 9020);
    assert.match(message.FaultStruct.FaultString, /last attempt/);
    assert.deepEqual(
      done[0]!.entry.events.map((e) => e.code),
      ['7 TRANSFER COMPLETE', 'M ScheduleDownload'],
    );
  });

  it('a successful firmware download asks for a reboot; a cleared transfer reports nothing', async () => {
    const ok = () =>
      Promise.resolve({ size: 3, sha256: '00'.repeat(32), head: Buffer.from('img') });
    const a = host(ok);
    const t = { ...scheduled(undefined), kind: 'download' as const, delaySeconds: 5 };
    a.h.transfers.add(t);
    armTransfer(a.h, t);
    a.clock.advance(5000);
    await tick();
    await tick();
    assert.equal(a.done.length, 1);
    assert.equal(a.done[0]!.reboot, true);
    assert.equal((a.done[0]!.entry.message as TransferComplete).FaultStruct.FaultCode, 0);
    assert.equal(a.h.model.getValue('Device.DeviceInfo.SoftwareVersion'), '5.0.0');

    const b = host(ok);
    const u = { ...t };
    b.h.transfers.add(u);
    armTransfer(b.h, u);
    b.h.transfers.clear();
    b.clock.advance(5000);
    await tick();
    assert.equal(b.done.length, 0);
  });

  it('TransferComplete carries only the fault codes cwmp-1-2.xsd allows', () => {
    assert.equal(transferFaultCode(9013, false), 9010);
    assert.equal(transferFaultCode(9003, false), 9010);
    assert.equal(transferFaultCode(9018, false), 9018);
    assert.equal(transferFaultCode(9016, true), 9011);
    assert.equal(transferFaultCode(9015, true), 9015);
    assert.equal(transferFaultCode(9012, true), 9012);
  });
});
