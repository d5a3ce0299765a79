import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Harness, type Json } from './testing/harness.ts';

let h: Harness;
let deviceId: string;

const SSID = 'Device.WiFi.SSID.1.SSID';
const WIFI = {
  weight: 10,
  precondition: { field: 'oui', op: 'eq', value: 'AABBCC' },
  declarations: { values: [{ path: SSID, value: 'corral-net' }] },
};

before(async () => {
  h = await Harness.start();
  deviceId = (
    await h.informDevice(
      'prov-1',
      [
        { name: SSID, value: 'home', type: 'string' },
        { name: 'Device.ManagementServer.ParameterKey', value: '', type: 'string' },
      ],
      { oui: 'AABBCC', productClass: 'GW' },
    )
  ).id;
});
after(() => h.close());

const as = (role: 'read-only' | 'operator' | 'admin') => ({ token: h.tokens[role] });

describe('presets over the API', () => {
  it('creates (201), reads, lists by name, replaces (200, keeping createdAt) and deletes', async () => {
    const created = await h.request('PUT', '/api/v1/presets/wifi', {
      ...as('operator'),
      body: WIFI,
    });
    assert.equal(created.status, 201, created.text);
    const preset = created.json.preset;
    assert.equal(preset.name, 'wifi');
    assert.deepEqual(preset.definition, WIFI);
    assert.match(preset.updatedBy, /^api-key:/);
    assert.equal(typeof preset.createdAt, 'number');

    const got = await h.request('GET', '/api/v1/presets/wifi', as('read-only'));
    assert.equal(got.status, 200);
    assert.deepEqual(got.json.preset, preset);

    const other = { weight: 0, channel: 'tags', declarations: { addTags: ['seen'] } };
    assert.equal(
      (await h.request('PUT', '/api/v1/presets/a.first', { ...as('admin'), body: other })).status,
      201,
    );
    const listed = await h.request('GET', '/api/v1/presets', as('read-only'));
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.json.presets.map((p: Json) => p.name),
      ['a.first', 'wifi'],
    );

    await new Promise((r) => setTimeout(r, 5));
    const replaced = await h.request('PUT', '/api/v1/presets/a.first', {
      ...as('operator'),
      body: { ...other, weight: 3 },
    });
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal(replaced.json.preset.definition.weight, 3);
    const first = listed.json.presets[0];
    assert.equal(replaced.json.preset.createdAt, first.createdAt);
    assert.ok(replaced.json.preset.updatedAt > first.updatedAt);

    const gone = await h.request('DELETE', '/api/v1/presets/a.first', as('operator'));
    assert.equal(gone.status, 204);
    const again = await h.request('DELETE', '/api/v1/presets/a.first', as('operator'));
    assert.equal(again.status, 404);
    assert.equal(again.json.error.code, 'not-found');
    assert.equal((await h.request('GET', '/api/v1/presets/a.first')).status, 404);
    assert.deepEqual(
      (await h.request('GET', '/api/v1/presets')).json.presets.map((p: Json) => p.name),
      ['wifi'],
    );
    assert.ok(h.logs.some((l) => l.event === 'preset-written' && l.fields.name === 'wifi'));
    assert.ok(h.logs.some((l) => l.event === 'preset-deleted' && l.fields.name === 'a.first'));
  });

  it('refuses an invalid preset with a 400 naming the field, and stores nothing', async () => {
    const cases: [unknown, string][] = [
      [{ weight: 1.5 }, 'weight'],
      [
        { weight: 0, declarations: { values: [{ path: SSID, value: 'x', type: 'nope' }] } },
        'declarations.values[0].type',
      ],
      [{ weight: 0, declarations: { values: [{ path: SSID }] } }, 'declarations.values[0].value'],
      [{ weight: 0, precondition: { field: 'oui', op: 'bogus', value: 'x' } }, 'precondition.op'],
      [{ weight: 0, surprise: true }, 'surprise'],
      [{ weight: 0, name: 'other' }, 'name'],
    ];
    for (const [body, field] of cases) {
      const reply = await h.request('PUT', '/api/v1/presets/broken', { ...as('operator'), body });
      assert.equal(reply.status, 400, `${JSON.stringify(body)}: ${reply.text}`);
      assert.equal(reply.json.error.code, 'invalid');
      assert.equal(reply.json.error.field, field, JSON.stringify(body));
      assert.ok(reply.json.error.message.startsWith(field), reply.json.error.message);
    }
    const notObject = await h.request('PUT', '/api/v1/presets/broken', {
      ...as('operator'),
      body: [1, 2],
    });
    assert.equal(notObject.status, 400);
    assert.equal(notObject.json.error.field, 'body', 'the route schema refuses it first');
    const badName = await h.request('PUT', '/api/v1/presets/has%20space', {
      ...as('operator'),
      body: { weight: 0 },
    });
    assert.equal(badName.status, 400);
    assert.equal(badName.json.error.code, 'invalid');
    assert.equal(await h.store.presets.get('broken'), null);
    assert.equal(await h.store.presets.get('has space'), null);
  });

  it('refuses declarations the data model refuses (422 naming the field), unless an admin forces them', async () => {
    const put = (body: unknown, role: 'operator' | 'admin' = 'operator', force = false) =>
      h.request('PUT', `/api/v1/presets/model-check${force ? '?force=true' : ''}`, {
        ...as(role),
        body: { weight: 1, declarations: body },
      });
    const cases: [unknown, string, RegExp][] = [
      [
        { values: [{ path: 'Device.ManagementServer.PeriodicInformInterval', value: 'soon' }] },
        'declarations.values[0].value',
        /takes unsignedInt/,
      ],
      [
        { values: [{ path: 'Device.WiFi.SSID.1.Bogus', value: 'x' }] },
        'declarations.values[0].path',
        /unknown-parameter/,
      ],
      [
        { values: [{ path: 'Device.DeviceInfo.SoftwareVersion', value: '2.0' }] },
        'declarations.values[0].path',
        /not-writable/,
      ],
      [
        { instances: [{ object: 'Device.DeviceInfo.', keys: { Alias: 'a' } }] },
        'declarations.instances[0].object',
        /not-a-table/,
      ],
    ];
    for (const [declarations, field, message] of cases) {
      const refused = await put(declarations);
      assert.equal(refused.status, 422, refused.text);
      assert.equal(refused.json.error.code, 'model-violation');
      assert.equal(refused.json.error.field, field);
      assert.match(refused.json.error.message, message);
    }
    assert.equal(
      (await h.request('GET', '/api/v1/presets/model-check')).status,
      404,
      'nothing saved',
    );
    const bad = cases[0]![0];
    assert.equal((await put(bad, 'operator', true)).status, 403, 'force takes an admin');
    assert.equal((await put(bad, 'admin', true)).status, 201);
    // A vendor extension the ACS has no definition of goes through.
    const fine = await put({
      values: [
        { path: 'Device.X_00D09E_Tuning.Level', value: 'high' },
        { path: 'Device.WiFi.SSID.2.SSID', value: 'guest-net' },
      ],
    });
    assert.equal(fine.status, 200, fine.text);
    assert.equal((await h.request('DELETE', '/api/v1/presets/model-check')).status, 204);
  });

  it('lists in a dry run what the data model refuses of a preset on this device', async () => {
    await h.store.parameters.upsert(deviceId, [{ path: SSID, writable: false }]);
    try {
      const run = await h.request('POST', '/api/v1/presets/dry-run', {
        ...as('operator'),
        body: { name: 'draft-ro', preset: WIFI, deviceId },
      });
      assert.equal(run.status, 200, run.text);
      // The draft, and any stored preset matching the device that sets the same parameter.
      const problems = run.json.modelProblems as {
        preset: string;
        field: string;
        message: string;
      }[];
      assert.ok(
        problems.some((p) => p.preset === 'draft-ro'),
        JSON.stringify(problems),
      );
      for (const p of problems) {
        assert.equal(p.field, 'declarations.values[0].path');
        assert.match(p.message, /not-writable/);
      }
    } finally {
      await h.store.parameters.upsert(deviceId, [{ path: SSID, writable: true }]);
    }
  });

  it('refuses software naming no stored firmware image, and takes one that does', async () => {
    const upload = (fileType: string) =>
      h.request(
        'POST',
        `/api/v1/files?name=${fileType[0]}.img&fileType=${encodeURIComponent(fileType)}`,
        {
          raw: Buffer.from('CORRAL-FIRMWARE version=2.0\n'),
          headers: { 'content-type': 'application/octet-stream' },
        },
      );
    const config = (await upload('3 Vendor Configuration File')).json.id;
    const image = (await upload('1 Firmware Upgrade Image')).json.id;
    for (const fileId of ['c'.repeat(32), config]) {
      const refused = await h.request('PUT', '/api/v1/presets/fw', {
        body: { weight: 0, software: { version: '2.0', fileId } },
      });
      assert.equal(refused.status, 400, refused.text);
      assert.equal(refused.json.error.field, 'software.fileId');
    }
    const byOperator = await h.request('PUT', '/api/v1/presets/fw', {
      ...as('operator'),
      body: { weight: 0, software: { version: '2.0', fileId: image } },
    });
    assert.equal(byOperator.status, 403, 'firmware for every matching device takes an admin');
    const taken = await h.request('PUT', '/api/v1/presets/fw', {
      body: { weight: 0, software: { version: '2.0', fileId: image } },
    });
    assert.equal(taken.status, 201, taken.text);
    assert.equal((await h.request('DELETE', '/api/v1/presets/fw')).status, 204);
  });

  it('lets read-only read presets but not write them', async () => {
    const put = await h.request('PUT', '/api/v1/presets/ro', { ...as('read-only'), body: WIFI });
    assert.equal(put.status, 403);
    const del = await h.request('DELETE', '/api/v1/presets/wifi', as('read-only'));
    assert.equal(del.status, 403);
    assert.equal((await h.request('GET', '/api/v1/presets', as('read-only'))).status, 200);
    assert.equal(await h.store.presets.get('ro'), null);
    assert.notEqual(await h.store.presets.get('wifi'), null);
    const roles = new Map(h.api.routes.map((r) => [`${r.method} ${r.url}`, r.role]));
    assert.equal(roles.get('GET /api/v1/presets'), 'read-only');
    assert.equal(roles.get('GET /api/v1/presets/:name'), 'read-only');
    assert.equal(roles.get('PUT /api/v1/presets/:name'), 'operator');
    assert.equal(roles.get('DELETE /api/v1/presets/:name'), 'operator');
    assert.equal(roles.get('GET /api/v1/devices/:deviceId/provisioning'), 'read-only');
  });
});

describe('the provisioning dry run', () => {
  it('plans the SetParameterValues for a value the device has differently, and touches nothing', async () => {
    await h.request('PUT', '/api/v1/presets/wifi', { ...as('operator'), body: WIFI });
    await h.request('PUT', '/api/v1/presets/lab-only', {
      ...as('operator'),
      body: { weight: 0, precondition: { tag: 'lab' }, declarations: { addTags: ['lab-seen'] } },
    });
    // A row an older or buggy writer left: reported, not fatal.
    await h.store.presets.put('stale-row', { weight: 'heavy' });
    await h.store.presets.put('not-an-object', [1]);
    const paramsBefore = await h.store.parameters.list(deviceId);
    const stateBefore = await h.store.devices.getProvisioningState(deviceId);

    const reply = await h.request(
      'GET',
      `/api/v1/devices/${deviceId}/provisioning`,
      as('read-only'),
    );
    assert.equal(reply.status, 200, reply.text);
    const body = reply.json;
    assert.equal(body.deviceId, deviceId);
    assert.deepEqual(body.matched, ['wifi']);
    assert.deepEqual(body.plan.matched, ['wifi']);
    assert.deepEqual(body.events.sort(), ['0 BOOTSTRAP', '1 BOOT']);
    assert.deepEqual(body.invalidPresets, [
      { name: 'not-an-object', field: '(root)', reason: 'must be an object' },
      { name: 'stale-row', field: 'weight', reason: 'must be an integer' },
    ]);
    const change = body.plan.diff.find((d: Json) => d.kind === 'value');
    assert.deepEqual(
      {
        path: change.path,
        current: change.current,
        desired: change.desired,
        preset: change.preset,
      },
      { path: SSID, current: 'home', desired: 'corral-net', preset: 'wifi' },
    );
    const sets = body.plan.tasks.filter((t: Json) => t.args.type === 'setParameterValues');
    assert.equal(sets.length, 1, JSON.stringify(body.plan.tasks));
    assert.deepEqual(sets[0].args.parameters, [
      { name: SSID, value: 'corral-net', type: 'string' },
    ]);
    assert.equal(sets[0].args.parameterKey, body.plan.parameterKey);
    assert.match(body.summary, /setParameterValues Device\.WiFi\.SSID\.1\.SSID/);

    assert.deepEqual(await h.store.tasks.queue(deviceId), [], 'no task was queued');
    assert.deepEqual(await h.store.parameters.list(deviceId), paramsBefore);
    assert.deepEqual(await h.store.devices.getProvisioningState(deviceId), stateBefore);
    assert.deepEqual((await h.store.devices.get(deviceId))?.tags, []);
  });

  it('follows tags and leaves out channels blocked until a later time', async () => {
    await h.store.devices.addTags(deviceId, ['lab']);
    await h.store.devices.setProvisioningState(deviceId, {
      blockedChannels: { '': Date.now() + 60_000, old: Date.now() - 60_000 },
    });
    try {
      const reply = await h.request('GET', `/api/v1/devices/${deviceId}/provisioning`);
      assert.equal(reply.status, 200, reply.text);
      assert.deepEqual(reply.json.matched.sort(), ['lab-only', 'wifi']);
      assert.deepEqual(reply.json.plan.blockedChannels, ['']);
      assert.deepEqual(reply.json.plan.tasks, [], 'the default channel is blocked');
      assert.deepEqual(await h.store.tasks.queue(deviceId), []);
    } finally {
      await h.store.devices.setProvisioningState(deviceId, null);
      await h.store.devices.removeTags(deviceId, ['lab']);
    }
  });

  it('plans a draft preset in place of the stored one of its name, saving nothing', async () => {
    await h.request('PUT', '/api/v1/presets/wifi', { ...as('operator'), body: WIFI });
    const draft = {
      ...WIFI,
      declarations: { values: [{ path: SSID, value: 'draft-net' }] },
    };
    const reply = await h.request('POST', '/api/v1/presets/dry-run', {
      ...as('operator'),
      body: { name: 'wifi', preset: draft, deviceId },
    });
    assert.equal(reply.status, 200, reply.text);
    const desired = reply.json.plan.diff
      .filter((d: Json) => d.kind === 'value' && d.path === SSID)
      .map((d: Json) => d.desired);
    assert.deepEqual(desired, ['draft-net'], 'the draft replaces the stored wifi');
    assert.deepEqual(reply.json.matched, ['wifi']);
    assert.deepEqual((await h.store.presets.get('wifi'))?.definition, WIFI, 'nothing saved');
    assert.deepEqual(await h.store.tasks.queue(deviceId), []);

    const invalid = await h.request('POST', '/api/v1/presets/dry-run', {
      ...as('operator'),
      body: { preset: { weight: 'heavy' }, deviceId },
    });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.json.error.field, 'preset.weight');
    const nobody = await h.request('POST', '/api/v1/presets/dry-run', {
      ...as('operator'),
      body: { preset: WIFI, deviceId: 'AABBCC-GW-nobody' },
    });
    assert.equal(nobody.status, 404);
    const readOnly = await h.request('POST', '/api/v1/presets/dry-run', {
      ...as('read-only'),
      body: { preset: WIFI, deviceId },
    });
    assert.equal(readOnly.status, 403, 'scripts run: an operator’s call');
  });

  it('answers 404 for an unknown device and 400 for a malformed id', async () => {
    const unknown = await h.request('GET', '/api/v1/devices/AABBCC-GW-nobody/provisioning');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.field, 'deviceId');
    const malformed = await h.request('GET', '/api/v1/devices/not_zz_valid/provisioning');
    assert.equal(malformed.status, 400);
  });
});
