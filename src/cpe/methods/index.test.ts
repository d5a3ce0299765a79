/**
 * The dispatcher, and the handlers end to end through the codec: the ACS's request encoded and decoded as it
 * travels, the answer (or its fault) encoded and decoded back.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CwmpFault, FaultCode } from '../../cwmp/faults.ts';
import { type CwmpMessage, decodeEnvelope, encodeEnvelope } from '../../cwmp/index.ts';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { DeviceModel } from '../model/device-model.ts';
import { DeviceTemplate, templateFor } from '../model/template.ts';
import { answerCpeMethod, faultMessage } from './index.ts';

const device = () => new DeviceModel(templateFor(DEVICE2_GATEWAY));

/** What the CPE sends back for a request, after both have crossed the wire. */
function overTheWire(d: DeviceModel, request: CwmpMessage): CwmpMessage {
  const received = decodeEnvelope(encodeEnvelope({ header: { ID: 'req-1' }, body: request }));
  assert.ok(received.ok);
  let answer: CwmpMessage;
  try {
    const r = answerCpeMethod(d, received.envelope.body);
    assert.ok(r !== undefined, 'answered here');
    answer = r;
  } catch (e) {
    assert.ok(e instanceof CwmpFault, String(e));
    answer = faultMessage(e);
  }
  const back = decodeEnvelope(encodeEnvelope({ header: { ID: 'req-1' }, body: answer }));
  assert.ok(back.ok);
  return back.envelope.body;
}

describe('through the codec', () => {
  test('GetParameterValues', () => {
    const body = overTheWire(device(), {
      method: 'GetParameterValues',
      ParameterNames: ['Device.DeviceInfo.UpTime', 'Device.Time.'],
    });
    assert.equal(body.method, 'GetParameterValuesResponse');
    if (body.method === 'GetParameterValuesResponse') {
      assert.deepEqual(body.ParameterList[0], {
        name: 'Device.DeviceInfo.UpTime',
        value: '86412',
        type: 'unsignedInt',
      });
      assert.equal(body.ParameterList.length, 10);
    }
  });

  test('a failed SetParameterValues arrives as a Client fault 9003 with its per-parameter faults', () => {
    const d = device();
    const body = overTheWire(d, {
      method: 'SetParameterValues',
      ParameterList: [
        {
          name: 'Device.ManagementServer.PeriodicInformInterval',
          value: 'soon',
          type: 'unsignedInt',
        },
        { name: 'Device.DeviceInfo.SerialNumber', value: 'X', type: 'string' },
      ],
      ParameterKey: 'k',
    });
    assert.equal(body.method, 'Fault');
    if (body.method === 'Fault') {
      assert.deepEqual(
        [body.faultcode, body.faultstring, body.FaultCode, body.FaultString],
        ['Client', 'CWMP fault', 9003, 'Invalid arguments'],
      );
      assert.deepEqual(
        body.SetParameterValuesFault.map((f) => [f.ParameterName, f.FaultCode]),
        [
          ['Device.ManagementServer.PeriodicInformInterval', 9007],
          ['Device.DeviceInfo.SerialNumber', 9008],
        ],
      );
    }
  });

  test('AddObject then GetParameterNames of the new instance', () => {
    const d = device();
    const added = overTheWire(d, {
      method: 'AddObject',
      ObjectName: 'Device.Users.User.',
      ParameterKey: 'u',
    });
    assert.deepEqual(added, { method: 'AddObjectResponse', InstanceNumber: 3, Status: 0 });
    const names = overTheWire(d, {
      method: 'GetParameterNames',
      ParameterPath: 'Device.Users.User.3.',
      NextLevel: true,
    });
    assert.equal(names.method, 'GetParameterNamesResponse');
    if (names.method === 'GetParameterNamesResponse') {
      assert.deepEqual(names.ParameterList[0], {
        Name: 'Device.Users.User.3.Alias',
        Writable: true,
      });
    }
  });
});

describe('answerCpeMethod', () => {
  const is9000 = (e: unknown) => e instanceof CwmpFault && e.code === FaultCode.MethodNotSupported;

  test("leaves the session engine's methods to it", () => {
    assert.equal(answerCpeMethod(device(), { method: 'Reboot', CommandKey: 'r' }), undefined);
    assert.equal(answerCpeMethod(device(), { method: 'FactoryReset' }), undefined);
  });

  test('9000 for GetOptions, SetVouchers, unknown and ACS-side methods, and what the profile does not list', () => {
    assert.throws(
      () => answerCpeMethod(device(), { method: 'GetOptions', OptionName: '' }),
      is9000,
    );
    assert.throws(
      () => answerCpeMethod(device(), { method: 'SetVouchers', VoucherList: [] }),
      is9000,
    );
    assert.throws(
      () => answerCpeMethod(device(), { method: 'UnknownMethod', Name: 'X_ACME_Frob' }),
      is9000,
    );
    assert.throws(() => answerCpeMethod(device(), { method: 'GetQueuedTransfers' }), is9000);
    assert.throws(
      () => answerCpeMethod(device(), { method: 'InformResponse', MaxEnvelopes: 1 }),
      is9000,
    );
    const minimal = new DeviceModel(
      new DeviceTemplate({ ...DEVICE2_GATEWAY, rpcMethods: ['GetRPCMethods'] }),
    );
    assert.throws(
      () => answerCpeMethod(minimal, { method: 'GetParameterValues', ParameterNames: [] }),
      is9000,
    );
    assert.equal(
      answerCpeMethod(minimal, { method: 'GetRPCMethods' })?.method,
      'GetRPCMethodsResponse',
    );
  });

  test('routes each data-model method to its handler', () => {
    const d = device();
    const methods = [
      answerCpeMethod(d, { method: 'GetRPCMethods' }),
      answerCpeMethod(d, { method: 'GetParameterNames', ParameterPath: '', NextLevel: true }),
      answerCpeMethod(d, { method: 'GetParameterValues', ParameterNames: ['Device.Time.Enable'] }),
      answerCpeMethod(d, {
        method: 'SetParameterValues',
        ParameterList: [{ name: 'Device.Time.Enable', value: 'false', type: 'boolean' }],
        ParameterKey: '',
      }),
      answerCpeMethod(d, {
        method: 'GetParameterAttributes',
        ParameterNames: ['Device.Time.Enable'],
      }),
      answerCpeMethod(d, {
        method: 'SetParameterAttributes',
        ParameterList: [
          {
            Name: 'Device.Time.Enable',
            NotificationChange: true,
            Notification: 1,
            AccessListChange: false,
            AccessList: [],
          },
        ],
      }),
      answerCpeMethod(d, {
        method: 'AddObject',
        ObjectName: 'Device.NAT.PortMapping.',
        ParameterKey: '',
      }),
      answerCpeMethod(d, {
        method: 'DeleteObject',
        ObjectName: 'Device.NAT.PortMapping.3.',
        ParameterKey: '',
      }),
    ].map((r) => r?.method);
    assert.deepEqual(methods, [
      'GetRPCMethodsResponse',
      'GetParameterNamesResponse',
      'GetParameterValuesResponse',
      'SetParameterValuesResponse',
      'GetParameterAttributesResponse',
      'SetParameterAttributesResponse',
      'AddObjectResponse',
      'DeleteObjectResponse',
    ]);
  });
});
