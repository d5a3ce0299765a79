import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { declarations } from '../../acs/provisioning/presets/testing.ts';
import { Harness, type Json } from '../testing/harness.ts';

let h: Harness;
let deviceId: string;

const SSID = 'Device.WiFi.SSID.1.SSID';
const SERIAL = 'Device.DeviceInfo.SerialNumber';

before(async () => {
  h = await Harness.start();
  deviceId = (
    await h.informDevice(
      'dry-9876',
      [
        { name: SSID, value: 'home', type: 'string' },
        { name: SERIAL, value: 'dry-9876', type: 'string' },
        { name: 'Device.ManagementServer.ParameterKey', value: '', type: 'string' },
      ],
      { oui: 'A1B2C3', productClass: 'GW' },
    )
  ).id;
});
after(() => h.close());

const operator = () => ({ token: h.tokens.operator });
const only = { field: 'oui', op: 'eq', value: 'A1B2C3' };

describe('the dry run with preset scripts', () => {
  it('shows what each script declared, or its error, and plans only the channels whose scripts ran', async () => {
    const put = (name: string, body: object) =>
      h.request('PUT', `/api/v1/presets/${name}`, { ...operator(), body });
    const scripts = {
      'ssid-from-serial': {
        weight: 10,
        channel: 'wifi',
        precondition: only,
        script: `declare.value('${SSID}', 'net-' + device.value('${SERIAL}').slice(-4)); log('hello');`,
      },
      spin: { weight: 0, channel: 'spin', precondition: only, script: 'while (true) {}' },
      hog: {
        weight: 0,
        channel: 'hog',
        precondition: only,
        declarations: { values: [{ path: 'Device.X_Hog.Enable', value: true }] },
        script: "let s = 'x'; for (;;) s += s;",
      },
    };
    for (const [name, body] of Object.entries(scripts))
      assert.equal((await put(name, body)).status, 201, name);
    const stateBefore = await h.store.devices.getProvisioningState(deviceId);

    const reply = await h.request('GET', `/api/v1/devices/${deviceId}/provisioning`, {
      token: h.tokens['read-only'],
    });
    assert.equal(reply.status, 200, reply.text);
    const body = reply.json;
    const byPreset = new Map<string, Json>(body.scripts.map((s: Json) => [s.preset, s]));
    assert.deepEqual(byPreset.get('ssid-from-serial'), {
      preset: 'ssid-from-serial',
      channel: 'wifi',
      ok: true,
      logs: ['hello'],
      declarations: declarations({ values: [{ path: SSID, value: 'net-9876' }] }),
    });
    assert.equal(byPreset.get('spin').ok, false);
    assert.equal(byPreset.get('spin').reason, 'timeout');
    assert.equal(byPreset.get('hog').reason, 'out-of-memory');
    assert.match(byPreset.get('hog').message, /memory/);

    const channels = body.plan.tasks.map((t: Json) => t.channel);
    assert.deepEqual([...new Set(channels)], ['wifi'], JSON.stringify(body.plan.tasks));
    const set = body.plan.tasks.find((t: Json) => t.args.type === 'setParameterValues');
    assert.deepEqual(set.args.parameters, [{ name: SSID, value: 'net-9876', type: 'string' }]);
    assert.match(body.summary, /ran {6}ssid-from-serial @wifi: 1 value/);
    assert.match(body.summary, /failed {3}spin @spin: timeout/);
    assert.match(body.summary, /failed {3}hog @hog: out-of-memory/);

    // A dry run acts on nothing: no task, no blocked channel.
    assert.deepEqual(await h.store.tasks.queue(deviceId), []);
    assert.deepEqual(await h.store.devices.getProvisioningState(deviceId), stateBefore);
    for (const name of Object.keys(scripts)) await h.request('DELETE', `/api/v1/presets/${name}`);
  });

  it('refuses to store a script that does not parse, naming the field', async () => {
    const reply = await h.request('PUT', '/api/v1/presets/unparsable', {
      ...operator(),
      body: { weight: 0, script: "declare.value('Device.A', " },
    });
    assert.equal(reply.status, 400, reply.text);
    assert.equal(reply.json.error.field, 'script');
    assert.match(reply.json.error.message, /SyntaxError/);
    assert.equal(await h.store.presets.get('unparsable'), null);
    const fine = await h.request('PUT', '/api/v1/presets/parsable', {
      ...operator(),
      body: { weight: 0, precondition: { tag: 'none' }, script: 'for (;;) {}' },
    });
    assert.equal(fine.status, 201, 'a script that parses is stored, whatever it does when run');
  });
});
