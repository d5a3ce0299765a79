import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CwmpFault, FaultCode } from '../../cwmp/faults.ts';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { DeviceModel } from '../model/device-model.ts';
import { templateFor } from '../model/template.ts';
import { getParameterAttributes } from './get-parameter-attributes.ts';

const device = () => new DeviceModel(templateFor(DEVICE2_GATEWAY));
const gpa = (d: DeviceModel, names: string[]) =>
  getParameterAttributes(d, { method: 'GetParameterAttributes', ParameterNames: names })
    .ParameterList;

test('Notification and AccessList of full names', () => {
  assert.deepEqual(
    gpa(device(), [
      'Device.DeviceInfo.UpTime',
      'Device.DeviceInfo.SoftwareVersion',
      'Device.ManagementServer.ConnectionRequestURL',
      'Device.WiFi.SSID.1.SSID',
      'Device.WiFi.SSID.1.Enable',
    ]),
    [
      { Name: 'Device.DeviceInfo.UpTime', Notification: 0, AccessList: [] },
      { Name: 'Device.DeviceInfo.SoftwareVersion', Notification: 2, AccessList: [] },
      { Name: 'Device.ManagementServer.ConnectionRequestURL', Notification: 2, AccessList: [] },
      { Name: 'Device.WiFi.SSID.1.SSID', Notification: 0, AccessList: ['Subscriber'] },
      { Name: 'Device.WiFi.SSID.1.Enable', Notification: 1, AccessList: ['Subscriber'] },
    ],
  );
});

test('a partial path gives every parameter below it; hidden ones included', () => {
  const list = gpa(device(), ['Device.ManagementServer.']);
  assert.equal(list.length, 35); // with the XMPP connection-request parameters
  assert.ok(list.some((p) => p.Name === 'Device.ManagementServer.Password'));
  assert.ok(gpa(device(), ['']).length > 700);
});

test('9005 for a name that does not exist', () => {
  assert.throws(
    () => gpa(device(), ['Device.DeviceInfo.UpTime', 'Device.Nope.']),
    (e: unknown) => e instanceof CwmpFault && e.code === FaultCode.InvalidParameterName,
  );
});
