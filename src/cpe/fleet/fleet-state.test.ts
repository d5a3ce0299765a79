/**
 * Persistence (`stateDir`): a fleet stopped with a TransferComplete its ACS never acknowledged saves it; a new fleet
 * over the same directory restores it and delivers it, with 7 TRANSFER COMPLETE and its M event, without a second
 * 0 BOOTSTRAP.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatDateTime } from '../../cwmp/index.ts';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { loadDeviceState, parseDeviceState, saveDeviceState } from '../device/device-state.ts';
import type { SessionRecord } from '../device/simulated-device.ts';
import { Lab } from '../testing/lab.ts';
import { Fleet } from './fleet.ts';

let lab: Lab;
let dir: string;
before(async () => {
  lab = await Lab.start();
  dir = mkdtempSync(join(tmpdir(), 'corral-sim-state-'));
});
after(async () => {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

function nextSession(match: (r: SessionRecord) => boolean) {
  let onSession!: (r: SessionRecord) => void;
  const seen = new Promise<SessionRecord>((resolve) => {
    onSession = (r) => {
      if (match(r)) resolve(r);
    };
  });
  return { seen, onSession: (r: SessionRecord) => onSession(r) };
}

describe('Fleet persistence (stateDir)', { timeout: 30_000 }, () => {
  it('state files: written atomically, checked when read, serials that cannot name a file refused', () => {
    const state = {
      version: 1 as const,
      bootstrapped: true,
      events: [{ code: '1 BOOT', commandKey: '' }],
      outbox: [],
    };
    saveDeviceState(dir, 'UNIT-1', state);
    assert.deepEqual(loadDeviceState(dir, 'UNIT-1'), state);
    assert.equal(loadDeviceState(dir, 'NONE-1'), undefined);
    assert.throws(() => saveDeviceState(dir, '../escape', state), /cannot name a state file/);
    assert.throws(() => parseDeviceState('{"version":2}'), /version 1/);
    assert.throws(
      () => parseDeviceState('{"version":1,"bootstrapped":true,"events":[{}],"outbox":[]}'),
      /events/,
    );
  });

  it('a restarted fleet delivers the TransferComplete the stopped one could not', async () => {
    const options = {
      devices: 1,
      acsUrl: lab.acs.url,
      profile: DEVICE2_GATEWAY,
      serialPrefix: 'PST',
      rate: Number.POSITIVE_INFINITY,
      scheduler: lab.clock,
      periodicInterval: 86_400,
      connectionRequest: false as const,
      random: () => 0.5,
      stateDir: dir,
    };
    const boot = nextSession((r) => r.informAccepted && r.events.includes('0 BOOTSTRAP'));
    let failed = nextSession(() => false);
    const first = await Fleet.start({
      ...options,
      onSession: (r) => {
        boot.onSession(r);
        failed.onSession(r);
      },
    });
    const device = first.devices[0]!;
    await boot.seen;
    await lab.stopAcs();
    try {
      failed = nextSession((r) => !r.informAccepted && r.events.includes('7 TRANSFER COMPLETE'));
      // What a finished download does: its TransferComplete waits in the outbox.
      device.deliverLater(
        {
          message: {
            method: 'TransferComplete',
            CommandKey: 'dl-1',
            FaultStruct: { FaultCode: 0, FaultString: '' },
            StartTime: formatDateTime(new Date(lab.clock.now())),
            CompleteTime: formatDateTime(new Date(lab.clock.now())),
          },
          events: [
            { code: '7 TRANSFER COMPLETE', commandKey: '' },
            { code: 'M Download', commandKey: 'dl-1' },
          ],
        },
        false,
      );
      await failed.seen;
      await first.stop();
    } finally {
      await lab.startAcs();
    }
    const saved = JSON.parse(readFileSync(join(dir, 'PST00000001.json'), 'utf8'));
    assert.equal(saved.bootstrapped, true);
    assert.equal(saved.outbox.length, 1);
    assert.equal(saved.outbox[0].message.CommandKey, 'dl-1');

    const delivered = nextSession((r) => r.informAccepted);
    const second = await Fleet.start({ ...options, onSession: delivered.onSession });
    try {
      const r = await delivered.seen;
      assert.ok(r.ok, JSON.stringify(r.error));
      assert.ok(!r.events.includes('0 BOOTSTRAP'), r.events.join());
      assert.ok(r.events.includes('1 BOOT'));
      assert.ok(r.events.includes('7 TRANSFER COMPLETE'), r.events.join());
      assert.ok(r.events.includes('M Download:dl-1'), r.events.join());
      assert.deepEqual(r.acknowledged, ['TransferComplete']);
      assert.equal(second.devices[0]!.pendingRequests, 0);
    } finally {
      await second.stop();
    }
    assert.deepEqual(loadDeviceState(dir, 'PST00000001')?.outbox, []);
  });
});
