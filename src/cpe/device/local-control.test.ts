/**
 * The simulator's local control over real HTTP on loopback: a change posted there is the device's own — stored,
 * pending for 4 VALUE CHANGE when the parameter has notification — and what the device refuses is a 400 naming the
 * fault; an unknown device is 404. One listener serves a whole fleet through its look-up.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { SimulatedClock } from '../clock/simulated-clock.ts';
import { templateFor } from '../model/template.ts';
import { simulatorProfile } from '../profile/simulator-profile.ts';
import { LocalControl } from './local-control.ts';
import { SimulatedDevice } from './simulated-device.ts';

const template = templateFor(simulatorProfile(DEVICE2_GATEWAY));
const SSID = 'Device.WiFi.SSID.1.SSID';

function device(serial: string) {
  return new SimulatedDevice({
    template,
    identity: () => ({ 'Device.DeviceInfo.SerialNumber': serial }),
    scheduler: new SimulatedClock(),
  });
}

const controls: LocalControl[] = [];
after(async () => {
  for (const c of controls) await c.close();
});

async function post(url: string, body: string, contentType = 'application/x-www-form-urlencoded') {
  const res = await fetch(url, { method: 'POST', body, headers: { 'Content-Type': contentType } });
  return { status: res.status, text: await res.text() };
}

describe('LocalControl', () => {
  it('changes a value as the device itself would: stored, and pending for 4 VALUE CHANGE with notification', async () => {
    const one = device('LC0001');
    const control = await LocalControl.start();
    controls.push(control);
    control.add(one);
    const r = one.model.resolve(SSID);
    assert.equal(r?.kind, 'parameter');
    if (r?.kind === 'parameter') one.model.setAttributes(SSID, r.node, { notification: 1 });
    const form = new URLSearchParams({ path: SSID, value: 'kitchen' }).toString();
    assert.equal((await post(control.valuesUrl('LC0001'), form)).status, 204);
    assert.equal(one.model.getValue(SSID), 'kitchen');
    assert.deepEqual(
      one.model.pendingValueChanges().map((p) => [p.name, p.value]),
      [[SSID, 'kitchen']],
    );
    // The same value again changes nothing.
    assert.deepEqual(await post(control.valuesUrl('LC0001'), form), {
      status: 200,
      text: 'unchanged\n',
    });
    // JSON works too.
    const json = JSON.stringify({ path: SSID, value: 'garden' });
    assert.equal((await post(control.valuesUrl('LC0001'), json, 'application/json')).status, 204);
    assert.equal(one.model.getValue(SSID), 'garden');
  });

  it('answers 400 with the fault for what the device refuses, 404 for an unknown device or path', async () => {
    const one = device('LC0002');
    const control = await LocalControl.start();
    controls.push(control);
    control.add(one);
    const bad = await post(
      control.valuesUrl('LC0002'),
      new URLSearchParams({ path: 'Device.NoSuch.Thing', value: 'x' }).toString(),
    );
    assert.equal(bad.status, 400);
    assert.match(bad.text, /^fault 9005/);
    const tooLong = await post(
      control.valuesUrl('LC0002'),
      new URLSearchParams({ path: SSID, value: 'x'.repeat(40) }).toString(),
    );
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.text, /^fault 9007/);
    assert.equal((await post(control.valuesUrl('LC0002'), 'value=x')).status, 400);
    assert.equal((await post(control.valuesUrl('NOPE'), 'path=a&value=b')).status, 404);
    assert.equal((await post(`${control.url}/elsewhere`, '')).status, 404);
    assert.equal((await fetch(control.valuesUrl('LC0002'))).status, 405);
  });

  it('finds a fleet’s devices through its look-up', async () => {
    const fleet = [device('LC0010'), device('LC0011')];
    const control = await LocalControl.start({
      lookup: (serial) => fleet.find((d) => d.serialNumber === serial),
    });
    controls.push(control);
    const form = new URLSearchParams({ path: SSID, value: 'second' }).toString();
    assert.equal((await post(control.valuesUrl('LC0011'), form)).status, 204);
    assert.equal(fleet[1]!.model.getValue(SSID), 'second');
    assert.notEqual(fleet[0]!.model.getValue(SSID), 'second');
  });
});
