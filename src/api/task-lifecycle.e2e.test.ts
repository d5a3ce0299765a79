import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Harness, serveSession } from './testing/harness.ts';

let h: Harness;

before(async () => {
  h = await Harness.start();
});
after(() => h.close());

const create = (deviceId: string, body: unknown, query = '', token = h.tokens.operator) =>
  h.request('POST', `/api/v1/devices/${deviceId}/tasks${query}`, { token, body });

describe('task lifecycle over the API: list, cancel, retry, faults, traces, validation', () => {
  it('lists and gets tasks, cancels and retries them', async () => {
    const { id, cpe } = await h.informDevice('task-6');
    const first = (await create(id, { type: 'reboot' })).json.task;
    const second = (await create(id, { type: 'factoryReset' })).json.task;
    const listed = await h.request('GET', `/api/v1/tasks?deviceId=${id}`, {
      token: h.tokens['read-only'],
    });
    assert.deepEqual(
      listed.json.tasks.map((t: { id: number }) => t.id),
      [first.id, second.id],
    );
    const cancelled = await h.request('POST', `/api/v1/tasks/${first.id}/cancel`, {
      token: h.tokens.operator,
    });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.json.state, 'cancelled');
    const pending = await h.request('GET', `/api/v1/tasks?deviceId=${id}&state=pending`);
    assert.deepEqual(
      pending.json.tasks.map((t: { id: number }) => t.id),
      [second.id],
    );
    const retried = await h.request('POST', `/api/v1/tasks/${first.id}/retry`, {
      token: h.tokens.operator,
    });
    assert.equal(retried.status, 202);
    assert.equal(retried.json.task.state, 'pending');
    assert.ok(retried.json.task.position > second.position, 'a retried task goes to the end');
    const again = await h.request('POST', `/api/v1/tasks/${first.id}/retry`);
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'conflict');

    const got = await h.request('GET', `/api/v1/tasks/${second.id}`);
    assert.equal(got.json.type, 'factoryReset');
    assert.equal((await h.request('GET', '/api/v1/tasks/999999')).status, 404);
    const bad = await h.request('GET', '/api/v1/tasks/abc');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.field, 'taskId');
    cpe.close();
  });

  it('lists faults and clears them', async () => {
    const { id, cpe } = await h.informDevice('task-7');
    const task = (
      await create(id, {
        type: 'setParameterValues',
        parameters: [{ name: 'Device.X_ACME_Test.Bogus', value: 'v' }],
      })
    ).json.task;
    await serveSession(cpe, ['2 PERIODIC'], () => ({
      method: 'Fault',
      faultcode: 'Client',
      faultstring: 'CWMP fault',
      FaultCode: 9003,
      FaultString: 'Invalid arguments',
      SetParameterValuesFault: [
        {
          ParameterName: 'Device.X_ACME_Test.Bogus',
          FaultCode: 9005,
          FaultString: 'Invalid parameter name',
        },
      ],
    }));
    const faults = await h.request('GET', `/api/v1/faults?deviceId=${id}`, {
      token: h.tokens['read-only'],
    });
    assert.equal(faults.status, 200);
    assert.equal(faults.json.faults.length, 1);
    const [fault] = faults.json.faults;
    assert.equal(fault.id, task.id);
    assert.equal(fault.state, 'failed');
    assert.equal(fault.fault.code, 9003);
    assert.equal(fault.fault.source, 'cpe');
    assert.equal(fault.fault.message, 'Invalid arguments');

    const cleared = await h.request('DELETE', `/api/v1/faults/${task.id}`, {
      token: h.tokens.operator,
    });
    assert.equal(cleared.status, 200);
    assert.equal(cleared.json.state, 'cancelled');
    const after = await h.request('GET', `/api/v1/faults?deviceId=${id}`);
    assert.deepEqual(after.json.faults, []);
    assert.equal((await h.request('DELETE', `/api/v1/faults/${task.id}`)).status, 409);
    cpe.close();
  });

  it('serves the session traces of a device', async () => {
    const { id, cpe } = await h.informDevice('task-8');
    const sessions = await h.request('GET', `/api/v1/devices/${id}/sessions`, {
      token: h.tokens['read-only'],
    });
    assert.equal(sessions.status, 200);
    assert.equal(sessions.json.sessions.length, 1);
    const [session] = sessions.json.sessions;
    assert.equal(session.deviceId, id);
    const trace = await h.request('GET', `/api/v1/devices/${id}/sessions/${session.sessionId}`);
    assert.equal(trace.status, 200);
    assert.ok(trace.json.messages.length >= 2);
    assert.equal(trace.json.messages[0].direction, 'cpe-to-acs');
    assert.match(trace.json.messages[0].body, /<cwmp:Inform>/);
    const missing = await h.request('GET', `/api/v1/devices/${id}/sessions/nope`);
    assert.equal(missing.status, 404);
    cpe.close();
  });

  it('names the offending field of a bad task', async () => {
    const { id, cpe } = await h.informDevice('task-9');
    const cases: Array<[unknown, string, string?]> = [
      [{ type: 'nonsense' }, 'type'],
      [{}, 'type'],
      [{ type: 'reboot', commandKey: 'x'.repeat(33) }, 'commandKey'],
      [{ type: 'reboot', extra: 1 }, 'extra'],
      [{ type: 'setParameterValues', parameters: [{ value: 'v' }] }, 'parameters[0].name'],
      [{ type: 'setParameterValues', parameters: [] }, 'parameters'],
      [
        { type: 'setParameterValues', parameters: [{ name: 'A', value: 5 }] },
        'parameters[0].value',
      ],
      [{ type: 'scheduleInform', delaySeconds: '5' }, 'delaySeconds'],
      [{ type: 'addObject', objectName: 'Device.X' }, 'objectName'],
      [
        { type: 'changeDUState', operations: [{ operation: 'explode' }] },
        'operations[0].operation',
      ],
      [[1, 2], 'body'],
      [{ type: 'reboot' }, 'wait', '?wait=61'],
      [{ type: 'reboot' }, 'connectionRequest', '?connectionRequest=maybe'],
      [{ type: 'reboot' }, 'sleep', '?sleep=1'],
    ];
    for (const [body, field, query] of cases) {
      const reply = await create(id, body, query ?? '');
      assert.equal(reply.status, 400, JSON.stringify(body));
      assert.equal(reply.json.error.code, 'invalid');
      assert.equal(
        reply.json.error.field,
        field,
        `${JSON.stringify(body)} ${query}: ${reply.text}`,
      );
    }
    const noDevice = await create('000000-X-nobody', { type: 'reboot' });
    assert.equal(noDevice.status, 404);
    cpe.close();
  });
});
