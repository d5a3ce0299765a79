import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CwmpFault, FaultCode } from '../../cwmp/faults.ts';
import type { SetParameterAttributes } from '../../cwmp/index.ts';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { DeviceModel } from '../model/device-model.ts';
import { templateFor } from '../model/template.ts';
import { getParameterAttributes } from './get-parameter-attributes.ts';
import { setParameterAttributes } from './set-parameter-attributes.ts';

type Entry = SetParameterAttributes['ParameterList'][number];
const device = () => new DeviceModel(templateFor(DEVICE2_GATEWAY));
const entry = (Name: string, change: Partial<Entry> = {}): Entry => ({
  Name,
  NotificationChange: false,
  Notification: 0,
  AccessListChange: false,
  AccessList: [],
  ...change,
});
const spa = (d: DeviceModel, list: Entry[]) =>
  setParameterAttributes(d, { method: 'SetParameterAttributes', ParameterList: list });
const attrs = (d: DeviceModel, name: string) =>
  getParameterAttributes(d, {
    method: 'GetParameterAttributes',
    ParameterNames: [name],
  }).ParameterList.map((p) => [p.Notification, p.AccessList.join(',')]);

function code(f: () => unknown): number | undefined {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof CwmpFault, String(e));
    return e.code;
  }
  return undefined;
}

test('sets Notification and AccessList; a false *Change flag leaves that field alone', () => {
  const d = device();
  assert.deepEqual(
    spa(d, [entry('Device.Time.Status', { NotificationChange: true, Notification: 2 })]),
    {
      method: 'SetParameterAttributesResponse',
    },
  );
  spa(d, [
    entry('Device.WiFi.SSID.2.SSID', {
      AccessListChange: true,
      AccessList: ['Subscriber'],
      Notification: 2,
    }),
  ]);
  assert.deepEqual(attrs(d, 'Device.Time.Status'), [[2, '']]);
  assert.deepEqual(attrs(d, 'Device.WiFi.SSID.2.SSID'), [[0, 'Subscriber']]);
  spa(d, [entry('Device.WiFi.SSID.1.SSID', { AccessListChange: true, AccessList: [] })]);
  assert.deepEqual(attrs(d, 'Device.WiFi.SSID.1.SSID'), [[0, '']]);
});

test('a partial path applies to every parameter below it', () => {
  const d = device();
  spa(d, [entry('Device.DNS.Client.Server.', { NotificationChange: true, Notification: 1 })]);
  assert.deepEqual(attrs(d, 'Device.DNS.Client.Server.'), Array(12).fill([1, '']));
  assert.deepEqual(attrs(d, 'Device.DNS.Client.Enable'), [[0, '']]);
});

test('the notification then drives value changes', () => {
  const d = device();
  spa(d, [entry('Device.Time.Status', { NotificationChange: true, Notification: 2 })]);
  d.setLocalValue('Device.Time.Status', 'Unsynchronized');
  assert.equal(d.activeValueChangePending, true);
});

test('9009: active notification on a canDeny parameter, also reached through a partial path; nothing applied', () => {
  const d = device();
  assert.equal(
    code(() =>
      spa(d, [entry('Device.DeviceInfo.UpTime', { NotificationChange: true, Notification: 2 })]),
    ),
    FaultCode.NotificationRequestRejected,
  );
  assert.equal(
    code(() =>
      spa(d, [
        entry('Device.Time.Enable', { NotificationChange: true, Notification: 2 }),
        entry('Device.Ethernet.Interface.1.', { NotificationChange: true, Notification: 2 }),
      ]),
    ),
    FaultCode.NotificationRequestRejected,
  );
  assert.deepEqual(attrs(d, 'Device.Time.Enable'), [[0, '']]);
  // Passive notification cannot be refused.
  spa(d, [entry('Device.DeviceInfo.UpTime', { NotificationChange: true, Notification: 1 })]);
  assert.deepEqual(attrs(d, 'Device.DeviceInfo.UpTime'), [[1, '']]);
});

test('forceEnabled stays active; forceDefaultEnabled may be turned off', () => {
  const d = device();
  spa(d, [
    entry('Device.DeviceInfo.SoftwareVersion', { NotificationChange: true, Notification: 0 }),
    entry('Device.ManagementServer.ConnectionRequestURL', {
      NotificationChange: true,
      Notification: 0,
    }),
  ]);
  assert.deepEqual(attrs(d, 'Device.DeviceInfo.SoftwareVersion'), [[2, '']]);
  assert.deepEqual(attrs(d, 'Device.ManagementServer.ConnectionRequestURL'), [[0, '']]);
});

test('9003 for a Notification out of 0..6, an unknown AccessList entry, an empty list; 9009 for lightweight', () => {
  const d = device();
  assert.equal(
    code(() =>
      spa(d, [entry('Device.Time.Enable', { NotificationChange: true, Notification: 7 })]),
    ),
    FaultCode.InvalidArguments,
  );
  assert.equal(
    code(() =>
      spa(d, [entry('Device.Time.Enable', { NotificationChange: true, Notification: -1 })]),
    ),
    FaultCode.InvalidArguments,
  );
  assert.equal(
    code(() =>
      spa(d, [entry('Device.Time.Enable', { AccessListChange: true, AccessList: ['Everyone'] })]),
    ),
    FaultCode.InvalidArguments,
  );
  assert.equal(
    code(() => spa(d, [])),
    FaultCode.InvalidArguments,
  );
  assert.equal(
    code(() =>
      spa(d, [entry('Device.Time.Enable', { NotificationChange: true, Notification: 4 })]),
    ),
    FaultCode.NotificationRequestRejected,
  );
  // A Notification value is not checked when NotificationChange is false.
  spa(d, [entry('Device.Time.Enable', { Notification: 99 })]);
});

test('9005 for an unknown name, nothing applied', () => {
  const d = device();
  assert.equal(
    code(() =>
      spa(d, [
        entry('Device.Time.Enable', { NotificationChange: true, Notification: 1 }),
        entry('Device.Time.Nope', { NotificationChange: true, Notification: 1 }),
      ]),
    ),
    FaultCode.InvalidParameterName,
  );
  assert.deepEqual(attrs(d, 'Device.Time.Enable'), [[0, '']]);
});
