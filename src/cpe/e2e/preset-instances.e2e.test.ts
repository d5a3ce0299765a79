/**
 * Instance management by key over real CWMP with a simulated device: a preset wants a Wi-Fi SSID named "Guest"
 * (enabled), another also wants no SSID named "Corral-5G". The ACS reads the SSID table, deletes the unwanted
 * instance, adds one, reads what the new instance holds (the AddObjectResponse gives only its number), gives it
 * its key and values, and the next session on the unchanged device sends nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Lab } from '../testing/lab.ts';

const SSID = 'Device.WiFi.SSID.';
const WRITES = ['DeleteObject', 'AddObject', 'SetParameterValues'];

let lab: Lab;
before(async () => {
  lab = await Lab.start();
  const guest = { object: SSID, keys: { SSID: 'Guest' }, values: { Enable: true } };
  await lab.store.presets.put('guest-wifi', {
    weight: 10,
    channel: 'wifi',
    precondition: { field: 'serialNumber', op: 'prefix', value: 'ADD-' },
    declarations: { instances: [guest] },
  });
  await lab.store.presets.put('guest-wifi-only', {
    weight: 10,
    channel: 'wifi',
    precondition: { field: 'serialNumber', op: 'prefix', value: 'SWAP-' },
    declarations: {
      instances: [guest],
      absentInstances: [{ object: SSID, keys: { SSID: 'Corral-5G' } }],
    },
  });
});
after(() => lab.close());

async function converge(serial: string, expected: string[]) {
  const d = await lab.device(serial);
  const table = () =>
    d.model.instances(SSID).map((n) => ({
      ssid: d.model.getValue(`${SSID}${n}.SSID`),
      enable: d.model.getValue(`${SSID}${n}.Enable`),
    }));
  const before = table();
  assert.ok(
    before.some((s) => s.ssid === 'Corral-5G'),
    JSON.stringify(before),
  );
  assert.ok(!before.some((s) => s.ssid === 'Guest'));

  const boot = d.waitForSession();
  d.start();
  const first = await boot;
  assert.equal(first.ok, true, first.error);
  assert.deepEqual(
    first.acsRequests.filter((m) => WRITES.includes(m)),
    expected,
    first.acsRequests.join(),
  );
  const after = table();
  const guest = after.filter((s) => s.ssid === 'Guest');
  assert.equal(guest.length, 1, JSON.stringify(after));
  assert.ok(['true', '1'].includes(guest[0]!.enable ?? ''), JSON.stringify(guest));

  const next = d.waitForSession();
  d.connectionRequest();
  const second = await next;
  assert.equal(second.ok, true, second.error);
  assert.deepEqual(
    second.acsRequests.filter((m) => WRITES.includes(m)),
    [],
    `converged: ${second.acsRequests.join()}`,
  );
  assert.deepEqual(table(), after);
  return after;
}

describe('preset instances by key', { timeout: 60_000 }, () => {
  it('adds the missing instance, reads it, gives it its key and values, and converges', async () => {
    await converge('ADD-0001', ['AddObject', 'SetParameterValues']);
  });

  it('deletes the unwanted instance and adds the missing one in the same session', async () => {
    const after = await converge('SWAP-0001', ['DeleteObject', 'AddObject', 'SetParameterValues']);
    assert.ok(!after.some((s) => s.ssid === 'Corral-5G'), JSON.stringify(after));
  });
});
