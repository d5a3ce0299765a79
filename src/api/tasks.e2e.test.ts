import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ScriptedCpe } from '../acs/testing/scripted-cpe.ts';
import type { CwmpMessage } from '../cwmp/index.ts';
import { Secret } from '../store/secret.ts';
import { Harness, serveSession } from './testing/harness.ts';

let h: Harness;

before(async () => {
  h = await Harness.start();
});
after(() => h.close());

/** What a simple CPE answers to each RPC the tests queue. */
function answer(request: CwmpMessage): CwmpMessage {
  switch (request.method) {
    case 'GetParameterValues':
      return {
        method: 'GetParameterValuesResponse',
        ParameterList: request.ParameterNames.map((name) => ({
          name,
          value: name.endsWith('Password') ? 'cpe-held-secret' : '4242',
          type: name.endsWith('Password') ? 'string' : 'unsignedInt',
        })),
      };
    case 'SetParameterValues':
      return { method: 'SetParameterValuesResponse', Status: 0 };
    case 'Reboot':
      return { method: 'RebootResponse' };
    default:
      throw new Error(`unexpected ${request.method}`);
  }
}

/**
 * The connection request as the real flow has it, minus the HTTP GET: the CPE acknowledges at once, then
 * opens a session (6 CONNECTION REQUEST) in which it answers the queued tasks.
 */
function connectionRequestRuns(cpe: ScriptedCpe, seen: CwmpMessage[], delayMs = 0): void {
  h.onConnectionRequest = async () => {
    setTimeout(() => {
      serveSession(cpe, ['6 CONNECTION REQUEST'], (request) => {
        seen.push(request);
        return answer(request);
      }).catch((error) => seen.push({ method: 'Fault', error } as never));
    }, delayMs);
    return { ok: true };
  };
}

const create = (deviceId: string, body: unknown, query = '', token = h.tokens.operator) =>
  h.request('POST', `/api/v1/devices/${deviceId}/tasks${query}`, { token, body });

describe('tasks over the API', () => {
  it('queues a task, requests a connection, waits, and answers 200 with the result', async () => {
    const { id, cpe } = await h.informDevice('task-1');
    const seen: CwmpMessage[] = [];
    connectionRequestRuns(cpe, seen, 50);
    const reply = await create(
      id,
      { type: 'getParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] },
      '?connectionRequest=true&wait=10',
    );
    assert.equal(reply.status, 200, reply.text);
    assert.deepEqual(reply.json.connectionRequest, { ok: true });
    assert.equal(reply.json.task.state, 'done');
    assert.equal(reply.json.task.deviceId, id);
    assert.match(reply.json.task.createdBy, /^api-key:[0-9a-f]{16}$/);
    assert.deepEqual(reply.json.task.result, {
      parameters: [{ name: 'Device.DeviceInfo.UpTime', value: '4242', type: 'unsignedInt' }],
    });
    assert.equal(reply.headers.location, `/api/v1/tasks/${reply.json.task.id}`);
    assert.deepEqual(
      seen.map((m) => m.method),
      ['GetParameterValues'],
    );
    // The result updated the cached model.
    const device = await h.request('GET', `/api/v1/devices/${id}?prefix=Device.DeviceInfo.UpTime`);
    assert.equal(device.json.parameters[0].value, '4242');
    cpe.close();
  });

  it('answers 202 with the task as it stands when nothing answers within the wait', async () => {
    const { id, cpe } = await h.informDevice('task-2');
    h.onConnectionRequest = async () => ({ ok: true });
    const started = performance.now();
    const reply = await create(id, { type: 'reboot' }, '?connectionRequest=true&wait=1');
    const elapsed = performance.now() - started;
    assert.equal(reply.status, 202, reply.text);
    assert.equal(reply.json.task.state, 'pending');
    assert.ok(elapsed >= 950 && elapsed < 5000, `waited ${elapsed} ms`);
    cpe.close();
  });

  it('waits anyway when the connection request is throttled: the next session runs the task within the wait', async () => {
    const { id, cpe } = await h.informDevice('task-throttled');
    const seen: CwmpMessage[] = [];
    // One went out a moment ago (hence throttled); the session it brings arrives 300 ms later.
    h.onConnectionRequest = async () => {
      setTimeout(() => {
        serveSession(cpe, ['6 CONNECTION REQUEST'], (request) => {
          seen.push(request);
          return answer(request);
        }).catch((error) => seen.push({ method: 'Fault', error } as never));
      }, 300);
      return { ok: false, reason: 'throttled' };
    };
    const reply = await create(id, { type: 'reboot' }, '?connectionRequest=true&wait=30');
    assert.equal(reply.status, 200, reply.text);
    assert.deepEqual(reply.json.connectionRequest, { ok: false, reason: 'throttled' });
    assert.notEqual(reply.json.task.state, 'pending');
    assert.deepEqual(
      seen.map((m) => m.method),
      ['Reboot'],
    );
    cpe.close();
  });

  it('answers 202 at once, with the reason, when the connection request fails', async () => {
    const { id, cpe } = await h.informDevice('task-3');
    h.onConnectionRequest = async () => ({ ok: false, reason: 'no connection-request URL' });
    const started = performance.now();
    const reply = await create(id, { type: 'reboot' }, '?connectionRequest=true&wait=30');
    assert.equal(reply.status, 202);
    assert.ok(performance.now() - started < 1000);
    assert.deepEqual(reply.json.connectionRequest, {
      ok: false,
      reason: 'no connection-request URL',
    });
    h.onConnectionRequest = async () => {
      throw new Error('http://user:pw-in-url@cpe/ unreachable');
    };
    const thrown = await create(id, { type: 'reboot' }, '?connectionRequest=true');
    assert.equal(thrown.status, 202);
    assert.deepEqual(thrown.json.connectionRequest, { ok: false, reason: 'error' });
    h.onConnectionRequest = async () => ({
      ok: false,
      reason: 'reset',
      detail: 'the CPE closed the connection on the authorised request before answering',
    });
    const reset = await create(id, { type: 'reboot' }, '?connectionRequest=true');
    assert.deepEqual(reset.json.connectionRequest, {
      ok: false,
      reason: 'reset',
      detail: 'the CPE closed the connection on the authorised request before answering',
    });
    assert.equal(
      h.logs.findLast((l) => l.event === 'api-connection-request')?.fields.detail,
      'the CPE closed the connection on the authorised request before answering',
    );
    assert.ok(!JSON.stringify(h.logs).includes('pw-in-url'));
    cpe.close();
  });

  it('fills TR-069 defaults: CommandKey, ParameterKey, and the type the device reported', async () => {
    const { id, cpe } = await h.informDevice('task-4', [
      { name: 'Device.ManagementServer.PeriodicInformInterval', value: '300', type: 'unsignedInt' },
    ]);
    const reboot = await create(id, { type: 'reboot' });
    assert.equal(reboot.status, 202);
    const key = reboot.json.task.args.commandKey as string;
    assert.ok(key.length > 0 && key.length <= 32, key);
    const other = await create(id, { type: 'reboot' });
    assert.notEqual(other.json.task.args.commandKey, key);
    const given = await create(id, { type: 'reboot', commandKey: 'mine' });
    assert.equal(given.json.task.args.commandKey, 'mine');

    const spv = await create(id, {
      type: 'setParameterValues',
      parameters: [
        { name: 'Device.ManagementServer.PeriodicInformInterval', value: '600' },
        { name: 'Device.X_ACME_Test.Unknown', value: 'v' },
        { name: 'Device.X_ACME_Test.Typed', value: 'true', type: 'xsd:boolean' },
      ],
    });
    assert.equal(spv.status, 202, spv.text);
    assert.deepEqual(spv.json.task.args, {
      type: 'setParameterValues',
      parameters: [
        {
          name: 'Device.ManagementServer.PeriodicInformInterval',
          value: '600',
          type: 'unsignedInt',
        },
        { name: 'Device.X_ACME_Test.Unknown', value: 'v', type: 'string' },
        { name: 'Device.X_ACME_Test.Typed', value: 'true', type: 'boolean' },
      ],
      parameterKey: '',
    });
    const gpn = await create(id, { type: 'getParameterNames', parameterPath: 'Device.' });
    assert.equal(gpn.json.task.args.nextLevel, false);
    const download = await create(id, {
      type: 'download',
      fileType: '1 Firmware Upgrade Image',
      url: 'http://127.0.0.1:9/fw.bin',
    });
    assert.equal(download.status, 202, download.text);
    assert.equal(download.json.task.args.username, '');
    assert.equal(download.json.task.args.fileSize, 0);
    assert.equal(download.json.task.args.delaySeconds, 0);
    cpe.close();
  });

  it('never returns a password, yet the CPE receives it, and the stored parameter becomes write-only', async () => {
    const { id, cpe } = await h.informDevice('task-5');
    const seen: CwmpMessage[] = [];
    connectionRequestRuns(cpe, seen);
    const reply = await create(
      id,
      {
        type: 'setParameterValues',
        parameters: [
          { name: 'Device.Users.User.1.Password', value: 'new-admin-pass-1' },
          { name: 'Device.X_ACME_Test.ApiToken', value: 'flagged-secret-2', secret: true },
          { name: 'Device.X_ACME_Test.Plain', value: 'plain-value' },
        ],
        parameterKey: 'pk-1',
      },
      '?connectionRequest=true&wait=10',
    );
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.json.task.state, 'done');
    const args = reply.json.task.args.parameters;
    assert.equal(args[0].value, '[redacted]');
    assert.equal(args[1].value, '[redacted]');
    assert.equal(args[2].value, 'plain-value');
    // The device got the real values.
    const spv = seen.find((m) => m.method === 'SetParameterValues');
    assert.ok(spv && spv.method === 'SetParameterValues');
    assert.deepEqual(
      spv.ParameterList.map((p) => p.value),
      ['new-admin-pass-1', 'flagged-secret-2', 'plain-value'],
    );
    // A password read back from the device is redacted in the result too.
    const gpv = await (async () => {
      connectionRequestRuns(cpe, seen);
      return create(
        id,
        { type: 'getParameterValues', parameterNames: ['Device.Users.User.2.Password'] },
        '?connectionRequest=true&wait=10',
      );
    })();
    assert.equal(gpv.status, 200);
    assert.equal(gpv.json.task.result.parameters[0].value, '[redacted]');

    // Stored as secrets: the task's arguments and the cached values are encrypted at rest.
    const stored = await h.store.tasks.get(reply.json.task.id);
    assert.ok(stored?.args.type === 'setParameterValues');
    assert.deepEqual(
      stored.args.parameters.map((p) => p.value instanceof Secret),
      [true, true, false],
    );
    for (const path of ['Device.Users.User.1.Password', 'Device.X_ACME_Test.ApiToken']) {
      assert.equal((await h.store.parameters.get(id, path))?.secret, true, path);
    }

    const device = await h.request('GET', `/api/v1/devices/${id}`);
    const secretParam = device.json.parameters.find(
      (p: { path: string }) => p.path === 'Device.X_ACME_Test.ApiToken',
    );
    assert.deepEqual([secretParam.value, secretParam.secret], [null, true]);
    // A task queued by another component with a password-named value in clear is still redacted.
    const queued = await h.store.tasks.enqueue(id, {
      args: {
        type: 'setParameterValues',
        parameters: [
          { name: 'Device.Users.User.3.Password', value: 'queued-in-clear-3', type: 'string' },
        ],
        parameterKey: '',
      },
    });
    const read = await h.request('GET', `/api/v1/tasks/${queued.id}`);
    assert.equal(read.json.args.parameters[0].value, '[redacted]');
    const everything = [
      h.transcript.join('\n'),
      reply.text,
      gpv.text,
      device.text,
      (await h.request('GET', `/api/v1/tasks?deviceId=${id}`)).text,
      (await h.request('GET', `/api/v1/tasks/${reply.json.task.id}`)).text,
      JSON.stringify(h.logs),
    ].join('\n');
    for (const secret of [
      'new-admin-pass-1',
      'flagged-secret-2',
      'cpe-held-secret',
      'queued-in-clear-3',
    ]) {
      assert.ok(!everything.includes(secret), `${secret} leaked`);
    }
    cpe.close();
  });

  it('ends waits at once when the API closes, answering 202', async () => {
    const own = await Harness.start();
    try {
      const { id, cpe } = await own.informDevice('task-close');
      own.onConnectionRequest = async () => ({ ok: true });
      const started = performance.now();
      const pending = own.request(
        'POST',
        `/api/v1/devices/${id}/tasks?connectionRequest=true&wait=30`,
        {
          body: { type: 'reboot' },
        },
      );
      await new Promise((r) => setTimeout(r, 300));
      await own.api.close();
      const reply = await pending;
      assert.equal(reply.status, 202);
      assert.equal(reply.json.task.state, 'pending');
      assert.ok(performance.now() - started < 5000);
      cpe.close();
    } finally {
      await own.close();
    }
  });
});
