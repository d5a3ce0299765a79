import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CwmpRpc, decodeEnvelope, encodeEnvelope } from '../../cwmp/index.ts';
import type { CpeFault, TaskStep } from './handler.ts';
import { responseMethodOf, TASK_HANDLERS, type TaskSpec } from './index.ts';
import { REFRESH_BATCH_SIZE } from './refresh.ts';

const context = { taskId: 't42' };

/** The request a task starts with, as a CPE would receive it (through the codec). */
function firstRequest(spec: TaskSpec): CwmpRpc {
  const step = (TASK_HANDLERS[spec.type] as (typeof TASK_HANDLERS)['getRPCMethods']).start(
    spec as never,
    context,
  );
  assert.equal(step.kind, 'request');
  const wire = decodeEnvelope(encodeEnvelope({ body: step.request }));
  assert.ok(wire.ok);
  assert.deepEqual(wire.warnings, []);
  assert.equal(responseMethodOf(step.request), `${step.request.method}Response`);
  return wire.envelope.body as CwmpRpc;
}

function answer(spec: TaskSpec, response: CwmpRpc): TaskStep {
  const handler = TASK_HANDLERS[spec.type] as (typeof TASK_HANDLERS)['getRPCMethods'];
  const start = handler.start(spec as never, context);
  assert.equal(start.kind, 'request');
  return handler.onResponse(
    spec as never,
    start.kind === 'request' ? start.state : {},
    response,
    context,
  );
}

describe('task handlers', () => {
  it('getParameterValues reads values into the model', () => {
    const spec: TaskSpec = { type: 'getParameterValues', parameterNames: ['Device.DeviceInfo.'] };
    assert.deepEqual(firstRequest(spec), {
      method: 'GetParameterValues',
      ParameterNames: ['Device.DeviceInfo.'],
    });
    const values = [{ name: 'Device.DeviceInfo.UpTime', value: '5', type: 'unsignedInt' }];
    const step = answer(spec, { method: 'GetParameterValuesResponse', ParameterList: values });
    assert.deepEqual(step, {
      kind: 'done',
      result: { parameters: values },
      updates: [{ kind: 'values', values }],
    });
  });

  it('setParameterValues sends types and the ParameterKey, and records both on success', () => {
    const spec: TaskSpec = {
      type: 'setParameterValues',
      parameterValues: [
        { name: 'Device.WiFi.SSID.1.SSID', value: 'guest' },
        {
          name: 'Device.ManagementServer.PeriodicInformInterval',
          value: '300',
          type: 'unsignedInt',
        },
      ],
      parameterKey: 'k1',
    };
    const request = firstRequest(spec);
    assert.equal(request.method, 'SetParameterValues');
    assert.deepEqual(
      request.method === 'SetParameterValues' && request.ParameterList.map((p) => p.type),
      ['string', 'unsignedInt'],
    );
    const step = answer(spec, { method: 'SetParameterValuesResponse', Status: 1 });
    assert.equal(step.kind, 'done');
    assert.deepEqual(step.kind === 'done' && step.result, { status: 1 });
    assert.deepEqual(step.updates?.[1], { kind: 'parameter-key', value: 'k1' });
  });

  it('getParameterNames marks a NextLevel=false listing as complete, a NextLevel=true one not', () => {
    for (const nextLevel of [false, true]) {
      const spec: TaskSpec = {
        type: 'getParameterNames',
        parameterPath: 'Device.WiFi.',
        nextLevel,
      };
      const step = answer(spec, {
        method: 'GetParameterNamesResponse',
        ParameterList: [{ Name: 'Device.WiFi.SSID.', Writable: true }],
      });
      assert.deepEqual(step.updates, [
        {
          kind: 'names',
          path: 'Device.WiFi.',
          entries: [{ name: 'Device.WiFi.SSID.', writable: true }],
          complete: !nextLevel,
        },
      ]);
    }
  });

  it('setParameterAttributes sets only the attributes given', () => {
    const request = firstRequest({
      type: 'setParameterAttributes',
      parameters: [{ name: 'Device.A', notification: 2 }],
    });
    assert.deepEqual(request.method === 'SetParameterAttributes' && request.ParameterList, [
      {
        Name: 'Device.A',
        NotificationChange: true,
        Notification: 2,
        AccessListChange: false,
        AccessList: [],
      },
    ]);
  });

  it('addObject and deleteObject record the instance and the ParameterKey', () => {
    const add = answer(
      { type: 'addObject', objectName: 'Device.NAT.PortMapping.', parameterKey: 'p' },
      { method: 'AddObjectResponse', InstanceNumber: 7, Status: 0 },
    );
    assert.deepEqual(add.updates?.[0], {
      kind: 'instance-added',
      objectName: 'Device.NAT.PortMapping.',
      instanceNumber: 7,
    });
    const del = answer(
      { type: 'deleteObject', objectName: 'Device.NAT.PortMapping.7.' },
      { method: 'DeleteObjectResponse', Status: 0 },
    );
    assert.deepEqual(del.updates?.[0], {
      kind: 'object-deleted',
      objectName: 'Device.NAT.PortMapping.7.',
    });
  });

  it('reboot derives a CommandKey from the task when the operator gave none', () => {
    assert.deepEqual(firstRequest({ type: 'reboot' }), {
      method: 'Reboot',
      CommandKey: 'corral-t42',
    });
    assert.deepEqual(firstRequest({ type: 'reboot', commandKey: 'mine' }), {
      method: 'Reboot',
      CommandKey: 'mine',
    });
  });

  it('download waits for TransferComplete when the CPE answers Status 1, and is done on Status 0', () => {
    const spec: TaskSpec = {
      type: 'download',
      transfer: {
        fileType: '1 Firmware Upgrade Image',
        url: 'http://127.0.0.1/fw.bin',
        fileSize: 10,
      },
    };
    const request = firstRequest(spec);
    assert.equal(request.method === 'Download' && request.FileSize, 10);
    const unknown = '0001-01-01T00:00:00Z';
    const later = answer(spec, {
      method: 'DownloadResponse',
      Status: 1,
      StartTime: unknown,
      CompleteTime: unknown,
    });
    assert.equal(later.kind, 'awaiting-completion');
    assert.equal(later.kind === 'awaiting-completion' && later.commandKey, 'corral-t42');
    const now = answer(spec, {
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
        transfer: { fileType: '1 Firmware Upgrade Image', url: 'http://127.0.0.1/fw' },
        timeWindows: [{ windowStart: 0, windowEnd: 3600, windowMode: '1 At Any Time' }],
      },
      { method: 'ScheduleDownloadResponse' },
    );
    assert.equal(sd.kind, 'awaiting-completion');
    const du = answer(
      {
        type: 'changeDUState',
        operations: [{ Operation: 'Install', URL: 'http://127.0.0.1/du.ipk' }],
      },
      { method: 'ChangeDUStateResponse' },
    );
    assert.equal(du.kind, 'awaiting-completion');
  });

  it('every task type starts with a request the codec can carry', () => {
    const specs: TaskSpec[] = [
      { type: 'getParameterAttributes', parameterNames: ['Device.'] },
      { type: 'factoryReset' },
      { type: 'upload', fileType: '1 Vendor Configuration File', url: 'http://127.0.0.1/up' },
      { type: 'scheduleInform', delaySeconds: 5 },
      { type: 'cancelTransfer', commandKey: 'x' },
      { type: 'getQueuedTransfers' },
      { type: 'getAllQueuedTransfers' },
      { type: 'getRPCMethods' },
      { type: 'getOptions', optionName: '.' },
      { type: 'setVouchers', vouchers: ['AAEC'] },
      { type: 'refresh', path: 'Device.' },
    ];
    for (const spec of specs) assert.ok(firstRequest(spec).method);
  });
});

describe('refresh', () => {
  const spec: TaskSpec = { type: 'refresh', path: 'Device.Hosts.' };
  const handler = TASK_HANDLERS.refresh;
  const names = Array.from(
    { length: REFRESH_BATCH_SIZE + 3 },
    (_, i) => `Device.Hosts.Host.${i + 1}.HostName`,
  );
  const fault = (code: number): CpeFault => ({ FaultCode: code, SetParameterValuesFault: [] });

  function afterNames(): TaskStep {
    const start = handler.start(spec as never, context);
    assert.equal(start.kind, 'request');
    return handler.onResponse(
      spec as never,
      start.kind === 'request' ? start.state : {},
      {
        method: 'GetParameterNamesResponse',
        ParameterList: [
          { Name: 'Device.Hosts.', Writable: false },
          ...names.map((Name) => ({ Name, Writable: false })),
        ],
      },
      context,
    );
  }

  it('lists names, then reads the leaves in batches', () => {
    const first = afterNames();
    assert.equal(first.kind, 'request');
    if (first.kind !== 'request') return;
    assert.equal(first.updates?.[0]?.kind, 'names');
    assert.deepEqual(first.request, {
      method: 'GetParameterValues',
      ParameterNames: names.slice(0, REFRESH_BATCH_SIZE),
    });
    const second = handler.onResponse(
      spec as never,
      first.state,
      { method: 'GetParameterValuesResponse', ParameterList: [] },
      context,
    );
    assert.deepEqual(second.kind === 'request' && second.request, {
      method: 'GetParameterValues',
      ParameterNames: names.slice(REFRESH_BATCH_SIZE),
    });
    if (second.kind !== 'request') return;
    const end = handler.onResponse(
      spec as never,
      second.state,
      {
        method: 'GetParameterValuesResponse',
        ParameterList: [{ name: names[0]!, value: 'pc', type: 'string' }],
      },
      context,
    );
    assert.equal(end.kind, 'done');
    assert.deepEqual(end.kind === 'done' && end.result, { read: 1, skipped: [] });
  });

  it('splits a batch that faults, and skips a single name the CPE will not read (quirk 17)', () => {
    let step = afterNames();
    let faults = 0;
    // A CPE that refuses to read Host.2.HostName, though it listed it.
    while (step.kind === 'request') {
      const asked = step.request.method === 'GetParameterValues' ? step.request.ParameterNames : [];
      if (asked.includes(names[1]!)) {
        faults++;
        step = handler.onFault!(spec as never, step.state, fault(9005), context)!;
      } else {
        const ParameterList = asked.map((name) => ({ name, value: 'x', type: 'string' }));
        step = handler.onResponse(
          spec as never,
          step.state,
          { method: 'GetParameterValuesResponse', ParameterList },
          context,
        );
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
    const start = handler.start(spec as never, context);
    assert.equal(
      handler.onFault!(
        spec as never,
        start.kind === 'request' ? start.state : {},
        fault(9005),
        context,
      ),
      undefined,
    );
  });
});
