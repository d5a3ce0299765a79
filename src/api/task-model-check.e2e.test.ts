import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Harness } from './testing/harness.ts';

let h: Harness;
let deviceId: string;

before(async () => {
  h = await Harness.start();
  deviceId = (
    await h.informDevice('model-1', [
      {
        name: 'Device.ManagementServer.PeriodicInformInterval',
        value: '3600',
        type: 'xsd:unsignedInt',
      },
      { name: 'Device.X_ACME_Fan.Speed', value: '3', type: 'xsd:unsignedInt' },
    ])
  ).id;
});
after(() => h.close());

const task = (body: unknown, role: 'operator' | 'admin' = 'operator') =>
  h.request('POST', `/api/v1/devices/${deviceId}/tasks`, { token: h.tokens[role], body });
const spv = (name: string, value: string, extra: Record<string, unknown> = {}) =>
  task({ type: 'setParameterValues', parameters: [{ name, value }], ...extra });

describe('writes are checked against the data model before anything is queued', () => {
  it('refuses a value of the wrong type, an unknown name and a read-only parameter with 422, naming each', async () => {
    const bad = await task({
      type: 'setParameterValues',
      parameters: [
        { name: 'Device.ManagementServer.PeriodicInformInterval', value: 'abc' },
        { name: 'Device.Bogus.Thing', value: '1' },
        { name: 'Device.DeviceInfo.SoftwareVersion', value: '9.9' },
        { name: 'Device.ManagementServer.PeriodicInformInterval', value: '0' },
      ],
    });
    assert.equal(bad.status, 422, bad.text);
    assert.equal(bad.json.error.code, 'model-violation');
    assert.equal(bad.json.error.field, 'parameters[0].value');
    assert.deepEqual(
      bad.json.error.details.map((d: { field: string }) => d.field),
      ['parameters[0].value', 'parameters[1].name', 'parameters[2].name', 'parameters[3].value'],
    );
    const messages = bad.json.error.details.map((d: { message: string }) => d.message).join('\n');
    assert.match(messages, /PeriodicInformInterval takes .*unsignedInt.*\(invalid-value\)/);
    assert.match(
      messages,
      /Device\.Bogus\.Thing is not a parameter of the standard model.*\(unknown-parameter\)/,
    );
    assert.match(messages, /SoftwareVersion is read-only \(not-writable\)/);
    assert.match(messages, /0 is outside/);
    assert.deepEqual(await h.store.tasks.queue(deviceId), [], 'nothing queued');
  });

  it('refuses AddObject on a single object, DeleteObject on a table, and a forced notification turned off', async () => {
    const add = await task({ type: 'addObject', objectName: 'Device.DeviceInfo.' });
    assert.equal(add.status, 422);
    assert.match(add.json.error.message, /not a multi-instance object.*\(not-a-table\)/);
    const del = await task({ type: 'deleteObject', objectName: 'Device.IP.Interface.' });
    assert.equal(del.status, 422);
    assert.match(del.json.error.message, /not an instance/);
    assert.equal(
      (await task({ type: 'addObject', objectName: 'Device.IP.Interface.' })).status,
      202,
    );
    assert.equal(
      (await task({ type: 'deleteObject', objectName: 'Device.IP.Interface.2.' })).status,
      202,
    );
    const attrs = await task({
      type: 'setParameterAttributes',
      parameters: [{ name: 'Device.DeviceInfo.SoftwareVersion', notification: 0 }],
    });
    assert.equal(attrs.status, 422, attrs.text);
    assert.match(attrs.json.error.message, /notification-not-allowed/);
  });

  it('accepts what is right, a vendor parameter the device reported, and one it did not (with a warning)', async () => {
    assert.equal((await spv('Device.ManagementServer.PeriodicInformInterval', '600')).status, 202);
    assert.equal((await spv('Device.X_ACME_Fan.Speed', '4')).status, 202);
    const unseen = await spv('Device.X_ACME_Led.Colour', 'blue');
    assert.equal(unseen.status, 202);
    const logged = h.logs.find(
      (l) => l.event === 'api-task-created' && l.fields.modelWarnings !== undefined,
    );
    assert.match(String(logged?.fields.modelWarnings), /X_ACME_Led\.Colour is a vendor extension/);
  });

  it('force: true sends it anyway, as an admin only, and the audit log keeps it', async () => {
    const operator = await spv('Device.DeviceInfo.SoftwareVersion', '9.9', { force: true });
    assert.equal(operator.status, 403);
    assert.equal(operator.json.error.field, 'force');
    const forced = await task(
      {
        type: 'setParameterValues',
        parameters: [{ name: 'Device.DeviceInfo.SoftwareVersion', value: '9.9' }],
        force: true,
      },
      'admin',
    );
    assert.equal(forced.status, 202, forced.text);
    const queued = await h.store.tasks.queue(deviceId);
    assert.ok(queued.some((t) => t.id === forced.json.task.id));
    const audit = await h.request('GET', '/api/v1/audit?limit=20');
    assert.ok(audit.text.includes('"force":true'));
  });

  it('never shows a secret value in the refusal', async () => {
    const reply = await task({
      type: 'setParameterValues',
      parameters: [
        {
          name: 'Device.ManagementServer.ConnectionRequestPassword',
          value: `${'x'.repeat(300)}SECRET`,
        },
      ],
    });
    assert.equal(reply.status, 422, reply.text);
    assert.equal(reply.text.includes('SECRET'), false);
    assert.match(reply.json.error.message, /not shown: a secret/);
  });
});
