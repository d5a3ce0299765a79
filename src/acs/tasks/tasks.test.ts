import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CwmpRpc, decodeEnvelope, encodeEnvelope } from '../../cwmp/index.ts';
import { Secret } from '../../store/secret.ts';
import type { TaskArgs } from '../../store/task-args.ts';
import type { CpeFault, TaskHandler, TaskStep } from './handler.ts';
import { responseMethodOf, TASK_HANDLERS } from './index.ts';
import { REFRESH_BATCH_SIZE } from './refresh.ts';

function handlerOf(args: TaskArgs): TaskHandler {
  return TASK_HANDLERS[args.type] as TaskHandler;
}

/** The request a task starts with, as a CPE would receive it (through the codec). */
function firstRequest(args: TaskArgs): CwmpRpc {
  const step = handlerOf(args).start(args);
  assert.equal(step.kind, 'request');
  if (step.kind !== 'request') throw new Error('unreachable');
  const wire = decodeEnvelope(encodeEnvelope({ body: step.request }));
  assert.ok(wire.ok);
  assert.deepEqual(wire.warnings, []);
  assert.equal(responseMethodOf(step.request), `${step.request.method}Response`);
  return wire.envelope.body as CwmpRpc;
}

function answer(args: TaskArgs, response: CwmpRpc): TaskStep {
  const start = handlerOf(args).start(args);
  assert.equal(start.kind, 'request');
  return handlerOf(args).onResponse(args, start.kind === 'request' ? start.state : {}, response);
}

const transfer = { commandKey: 'ck', username: '', password: new Secret('') };

describe('task handlers', () => {
  it('getParameterValues reads values into the model', () => {
    const args: TaskArgs = { type: 'getParameterValues', parameterNames: ['Device.DeviceInfo.'] };
    assert.deepEqual(firstRequest(args), {
      method: 'GetParameterValues',
      ParameterNames: ['Device.DeviceInfo.'],
    });
    const values = [{ name: 'Device.DeviceInfo.UpTime', value: '5', type: 'unsignedInt' }];
    assert.deepEqual(
      answer(args, { method: 'GetParameterValuesResponse', ParameterList: values }),
      {
        kind: 'done',
        result: { parameters: values },
        model: { upsert: [{ path: 'Device.DeviceInfo.UpTime', value: '5', type: 'unsignedInt' }] },
      },
    );
  });

  it('setParameterValues reveals a secret value only on the wire, and keeps it a secret in the model', () => {
    const password = new Secret('hunter2');
    const args: TaskArgs = {
      type: 'setParameterValues',
      parameters: [
        { name: 'Device.Users.User.1.Password', value: password, type: 'string' },
        {
          name: 'Device.ManagementServer.PeriodicInformInterval',
          value: '300',
          type: 'unsignedInt',
        },
      ],
      parameterKey: 'k1',
    };
    const request = firstRequest(args);
    assert.deepEqual(request.method === 'SetParameterValues' && request.ParameterList[0], {
      name: 'Device.Users.User.1.Password',
      value: 'hunter2',
      type: 'string',
    });
    const step = answer(args, { method: 'SetParameterValuesResponse', Status: 1 });
    assert.equal(step.kind, 'done');
    if (step.kind !== 'done') return;
    assert.deepEqual(step.result, { status: 1 });
    assert.equal(step.model?.upsert?.[0]?.value, password);
    assert.equal(step.model?.parameterKey, 'k1');
    assert.doesNotMatch(JSON.stringify(step), /hunter2/);
  });

  it('getParameterNames prunes what the listing no longer names', () => {
    for (const nextLevel of [false, true]) {
      const args: TaskArgs = {
        type: 'getParameterNames',
        parameterPath: 'Device.WiFi.',
        nextLevel,
      };
      const step = answer(args, {
        method: 'GetParameterNamesResponse',
        ParameterList: [{ Name: 'Device.WiFi.SSID.', Writable: true }],
      });
      assert.deepEqual(step.kind === 'done' && step.model, {
        upsert: [{ path: 'Device.WiFi.SSID.', writable: true }],
        prune: { prefix: 'Device.WiFi.', nextLevel },
      });
    }
  });

  it('setParameterAttributes sends and records only the attributes it changes', () => {
    const args: TaskArgs = {
      type: 'setParameterAttributes',
      parameters: [
        {
          name: 'Device.A',
          notificationChange: true,
          notification: 2,
          accessListChange: false,
          accessList: [],
        },
      ],
    };
    assert.deepEqual(firstRequest(args).method === 'SetParameterAttributes' && firstRequest(args), {
      method: 'SetParameterAttributes',
      ParameterList: [
        {
          Name: 'Device.A',
          NotificationChange: true,
          Notification: 2,
          AccessListChange: false,
          AccessList: [],
        },
      ],
    });
    const step = answer(args, { method: 'SetParameterAttributesResponse' });
    assert.deepEqual(step.kind === 'done' && step.model, {
      upsert: [{ path: 'Device.A', notification: 2 }],
    });
  });

  it('addObject and deleteObject record the instance, the deletion and the ParameterKey', () => {
    const add = answer(
      { type: 'addObject', objectName: 'Device.NAT.PortMapping.', parameterKey: 'p' },
      { method: 'AddObjectResponse', InstanceNumber: 7, Status: 0 },
    );
    assert.deepEqual(add.kind === 'done' && add.model, {
      upsert: [{ path: 'Device.NAT.PortMapping.7.' }],
      parameterKey: 'p',
    });
    const del = answer(
      { type: 'deleteObject', objectName: 'Device.NAT.PortMapping.7.', parameterKey: '' },
      { method: 'DeleteObjectResponse', Status: 0 },
    );
    assert.deepEqual(del.kind === 'done' && del.model, {
      deleteSubtrees: ['Device.NAT.PortMapping.7.'],
      parameterKey: '',
    });
  });

  it('download waits for TransferComplete on Status 1 and is done on Status 0; the password travels', () => {
    const args: TaskArgs = {
      type: 'download',
      ...transfer,
      password: new Secret('s3cret'),
      fileType: '1 Firmware Upgrade Image',
      url: 'http://127.0.0.1/fw.bin',
      fileSize: 10,
      targetFileName: '',
      delaySeconds: 0,
      successUrl: '',
      failureUrl: '',
    };
    const request = firstRequest(args);
    assert.equal(request.method === 'Download' && request.Password, 's3cret');
    const unknown = '0001-01-01T00:00:00Z';
    const later = answer(args, {
      method: 'DownloadResponse',
      Status: 1,
      StartTime: unknown,
      CompleteTime: unknown,
    });
    assert.deepEqual(later.kind === 'awaiting-completion' && later.commandKey, 'ck');
    const now = answer(args, {
      method: 'DownloadResponse',
      Status: 0,
      StartTime: '2026-01-01T00:00:00Z',
      CompleteTime: '2026-01-01T00:00:09Z',
    });
    assert.equal(now.kind, 'done');
  });

  it('scheduleDownload and changeDUState always complete later', () => {
    const sd = answer(
      {
        type: 'scheduleDownload',
        ...transfer,
        fileType: '1 Firmware Upgrade Image',
        url: 'http://127.0.0.1/fw',
        fileSize: 0,
        targetFileName: '',
        timeWindows: [
          {
            windowStart: 0,
            windowEnd: 3600,
            windowMode: '1 At Any Time',
            userMessage: '',
            maxRetries: 0,
          },
        ],
      },
      { method: 'ScheduleDownloadResponse' },
    );
    assert.equal(sd.kind, 'awaiting-completion');
    const duArgs: TaskArgs = {
      type: 'changeDUState',
      operations: [
        { operation: 'install', url: 'http://127.0.0.1/du.ipk', password: new Secret('p') },
      ],
      commandKey: 'du1',
    };
    assert.deepEqual(firstRequest(duArgs), {
      method: 'ChangeDUState',
      Operations: [{ Operation: 'Install', URL: 'http://127.0.0.1/du.ipk', Password: 'p' }],
      CommandKey: 'du1',
    });
    assert.equal(answer(duArgs, { method: 'ChangeDUStateResponse' }).kind, 'awaiting-completion');
  });

  it('every other task type starts with a request the codec carries', () => {
    const all: TaskArgs[] = [
      { type: 'getParameterAttributes', parameterNames: ['Device.'] },
      { type: 'reboot', commandKey: 'r' },
      { type: 'factoryReset' },
      {
        type: 'upload',
        ...transfer,
        fileType: '1 Vendor Configuration File',
        url: 'http://127.0.0.1/up',
        delaySeconds: 0,
      },
      { type: 'scheduleInform', delaySeconds: 5, commandKey: 's' },
      { type: 'cancelTransfer', commandKey: 'x' },
      { type: 'getQueuedTransfers' },
      { type: 'getAllQueuedTransfers' },
      { type: 'getRPCMethods' },
      { type: 'getOptions', optionName: '.' },
      { type: 'setVouchers', voucherList: ['AAEC'] },
      { type: 'refresh', path: 'Device.' },
    ];
    for (const args of all) assert.ok(firstRequest(args).method);
  });
});

describe('refresh', () => {
  const args: TaskArgs = { type: 'refresh', path: 'Device.Hosts.' };
  const handler = TASK_HANDLERS.refresh as TaskHandler;
  const names = Array.from(
    { length: REFRESH_BATCH_SIZE + 3 },
    (_, i) => `Device.Hosts.Host.${i + 1}.HostName`,
  );
  const fault = (code: number): CpeFault => ({ FaultCode: code, SetParameterValuesFault: [] });

  function afterNames(): TaskStep {
    const start = handler.start(args);
    return handler.onResponse(args, start.kind === 'request' ? start.state : {}, {
      method: 'GetParameterNamesResponse',
      ParameterList: [
        { Name: 'Device.Hosts.', Writable: false },
        ...names.map((Name) => ({ Name, Writable: false })),
      ],
    });
  }

  it('lists names, then reads the leaves in batches, writing each row once', () => {
    const first = afterNames();
    assert.equal(first.kind, 'request');
    if (first.kind !== 'request') return;
    assert.equal(first.model, undefined, 'the listing is written with the values, not before them');
    assert.deepEqual(first.request, {
      method: 'GetParameterValues',
      ParameterNames: names.slice(0, REFRESH_BATCH_SIZE),
    });
    const second = handler.onResponse(args, first.state, {
      method: 'GetParameterValuesResponse',
      ParameterList: [{ name: names[0]!, value: 'pc', type: 'string' }],
    });
    assert.deepEqual(second.kind === 'request' && second.request, {
      method: 'GetParameterValues',
      ParameterNames: names.slice(REFRESH_BATCH_SIZE),
    });
    if (second.kind !== 'request') return;
    assert.deepEqual(second.model, {
      upsert: [{ path: names[0], value: 'pc', type: 'string', writable: false }],
    });
    const end = handler.onResponse(args, second.state, {
      method: 'GetParameterValuesResponse',
      ParameterList: [{ name: names.at(-1)!, value: 'last', type: 'string' }],
    });
    assert.deepEqual(end, {
      kind: 'done',
      result: { read: 2, skipped: [] },
      model: {
        // The last batch's values, then every listed name: what the store already holds costs no write, and the
        // prune keeps exactly what the CPE listed.
        upsert: [
          { path: names.at(-1), value: 'last', type: 'string', writable: false },
          { path: 'Device.Hosts.', writable: false },
          ...names.map((path) => ({ path, writable: false })),
        ],
        prune: { prefix: 'Device.Hosts.', nextLevel: false },
      },
    });
  });

  it('writes the listing even when there is no leaf to read', () => {
    const start = handler.start(args);
    const end = handler.onResponse(args, start.kind === 'request' ? start.state : {}, {
      method: 'GetParameterNamesResponse',
      ParameterList: [{ Name: 'Device.Hosts.', Writable: false }],
    });
    assert.deepEqual(end, {
      kind: 'done',
      result: { read: 0, skipped: [] },
      model: {
        upsert: [{ path: 'Device.Hosts.', writable: false }],
        prune: { prefix: 'Device.Hosts.', nextLevel: false },
      },
    });
  });

  it('splits a batch that faults, and skips a single name the CPE will not read (quirk 17)', () => {
    let step = afterNames();
    let faults = 0;
    // A CPE that refuses to read Host.2.HostName, though it listed it.
    while (step.kind === 'request') {
      const asked = step.request.method === 'GetParameterValues' ? step.request.ParameterNames : [];
      if (asked.includes(names[1]!)) {
        faults++;
        step = handler.onFault!(args, step.state, fault(9005))!;
      } else {
        const ParameterList = asked.map((name) => ({ name, value: 'x', type: 'string' }));
        step = handler.onResponse(args, step.state, {
          method: 'GetParameterValuesResponse',
          ParameterList,
        });
      }
    }
    assert.equal(step.kind, 'done');
    assert.deepEqual(step.kind === 'done' && step.result, {
      read: names.length - 1,
      skipped: [`${names[1]} (9005)`],
    });
    // Halving down to the bad name, then one more pair on the way back up: about log2(batch) round trips.
    assert.ok(faults <= Math.ceil(Math.log2(REFRESH_BATCH_SIZE)) + 2, `${faults} faults`);
  });

  it('fails on a fault to GetParameterNames itself', () => {
    const start = handler.start(args);
    assert.equal(
      handler.onFault!(args, start.kind === 'request' ? start.state : {}, fault(9005)),
      undefined,
    );
  });
});
