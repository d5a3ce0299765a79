/**
 * Preset scripts over real CWMP with a simulated device: a script derives the SSID from the device's serial
 * number (read first, since the Inform does not carry it), the ACS applies it and the device converges; a script
 * that loops and one that runs out of memory fault only their own channels, while a preset on another channel is
 * applied in the same session; the dry run reports all three.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { provisioningDryRun } from '../../acs/provisioning/dry-run.ts';
import { Lab } from '../testing/lab.ts';

let lab: Lab;
before(async () => {
  lab = await Lab.start();
  const only = { field: 'serialNumber', op: 'prefix', value: 'SCR-' };
  const presets: Record<string, object> = {
    'ssid-from-serial': {
      weight: 10,
      channel: 'wifi',
      precondition: only,
      script: `
        const serial = device.value('Device.DeviceInfo.SerialNumber');
        if (serial === undefined) declare.fresh('Device.DeviceInfo.SerialNumber', 86400);
        else declare.value('Device.WiFi.SSID.1.SSID', 'net-' + serial.slice(-4));
      `,
    },
    'inform-every-20-min': {
      weight: 0,
      channel: 'base',
      precondition: only,
      declarations: {
        values: [{ path: `${MS}PeriodicInformInterval`, value: 1200, type: 'unsignedInt' }],
      },
    },
    looping: { weight: 5, channel: 'loop', precondition: only, script: 'for (;;) {}' },
    'memory-bomb': {
      weight: 5,
      channel: 'bomb',
      precondition: only,
      script: 'const all = []; for (;;) all.push(new Array(100000).fill(all.length));',
    },
  };
  for (const [name, definition] of Object.entries(presets))
    await lab.store.presets.put(name, definition as never);
});
after(() => lab.close());

const MS = 'Device.ManagementServer.';
const SSID = 'Device.WiFi.SSID.1.SSID';

describe('preset scripts in sessions', { timeout: 60_000 }, () => {
  it('applies what a script derives, faults only the failing scripts’ channels, and converges', async () => {
    const d = await lab.device('SCR-00004821');
    const id = lab.idOf(d);
    const boot = d.waitForSession();
    d.start();
    const first = await boot;
    assert.equal(first.ok, true, first.error);
    assert.equal(d.model.getValue(SSID), 'net-4821', 'the script’s value, over real CWMP');
    assert.equal(
      d.model.getValue(`${MS}PeriodicInformInterval`),
      '1200',
      'the other channel in the same session',
    );
    assert.ok(first.acsRequests.includes('SetParameterValues'));

    // The failing scripts blocked their own channels (back-off), and said why.
    const state = (await lab.store.devices.getProvisioningState(id)) as {
      blockedChannels: Record<string, number>;
    };
    assert.deepEqual(Object.keys(state.blockedChannels).sort(), ['bomb', 'loop']);
    const failed = lab.logs
      .filter((l) => l.event === 'provisioning-script-failed')
      .map((l) => `${l.fields.preset}:${l.fields.reason}`);
    assert.deepEqual([...new Set(failed)].sort(), ['looping:timeout', 'memory-bomb:out-of-memory']);

    // Unchanged device, second session: nothing to set.
    const next = d.waitForSession();
    d.connectionRequest();
    const second = await next;
    assert.equal(second.ok, true, second.error);
    assert.ok(
      !second.acsRequests.includes('SetParameterValues'),
      `converged: ${second.acsRequests.join()}`,
    );
    assert.equal(d.model.getValue(SSID), 'net-4821');

    // The dry run shows the script's declared value and both failures, and plans nothing.
    const dry = await provisioningDryRun(lab.store, id, Date.now());
    assert.ok(dry);
    const scripts = new Map(dry.scripts.map((s) => [s.preset, s]));
    const ssid = scripts.get('ssid-from-serial');
    assert.ok(ssid?.ok);
    assert.deepEqual(ssid.declarations.values, [{ path: SSID, value: 'net-4821' }]);
    const looping = scripts.get('looping');
    const bomb = scripts.get('memory-bomb');
    assert.equal(looping?.ok === false && looping.reason, 'timeout');
    assert.equal(bomb?.ok === false && bomb.reason, 'out-of-memory');
    assert.deepEqual(dry.plan.tasks, []);
    assert.match(dry.summary, /failed {3}looping @loop: timeout/);
  });
});
