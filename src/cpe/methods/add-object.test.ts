import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CwmpFault, FaultCode } from '../../cwmp/faults.ts';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { DeviceModel } from '../model/device-model.ts';
import { templateFor } from '../model/template.ts';
import { addObject } from './add-object.ts';
import { deleteObject } from './delete-object.ts';

const device = () => new DeviceModel(templateFor(DEVICE2_GATEWAY));
const add = (d: DeviceModel, ObjectName: string, ParameterKey = 'add-key') =>
  addObject(d, { method: 'AddObject', ObjectName, ParameterKey });

function code(f: () => unknown): number | undefined {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof CwmpFault, String(e));
    return e.code;
  }
  return undefined;
}

test('creates the next instance with defaults; stores the ParameterKey', () => {
  const d = device();
  assert.deepEqual(add(d, 'Device.NAT.PortMapping.', 'pm-1'), {
    method: 'AddObjectResponse',
    InstanceNumber: 3,
    Status: 0,
  });
  assert.equal(d.getValue('Device.ManagementServer.ParameterKey'), 'pm-1');
  assert.equal(d.getValue('Device.NAT.PortMapping.3.Enable'), 'false');
  assert.equal(d.getValue('Device.NAT.PortMapping.3.Status'), 'Disabled');
  assert.equal(d.getValue('Device.NAT.PortMapping.3.Origin'), 'Controller');
  assert.equal(d.getValue('Device.NAT.PortMapping.3.Protocol'), 'TCP');
  assert.equal(d.getValue('Device.NAT.PortMapping.3.Alias'), 'cpe-3');
  assert.equal(d.getValue('Device.NAT.PortMappingNumberOfEntries'), '3');
});

test('instance numbers are never reused', () => {
  const d = device();
  const first = add(d, 'Device.NAT.PortMapping.').InstanceNumber;
  deleteObject(d, {
    method: 'DeleteObject',
    ObjectName: `Device.NAT.PortMapping.${first}.`,
    ParameterKey: '',
  });
  assert.equal(add(d, 'Device.NAT.PortMapping.').InstanceNumber, first + 1);
});

test('nested tables, in a template instance and in one just added', () => {
  const d = device();
  assert.equal(add(d, 'Device.IP.Interface.1.IPv4Address.').InstanceNumber, 2);
  const n = add(d, 'Device.WiFi.SSID.').InstanceNumber;
  assert.equal(n, 3);
  assert.equal(d.getValue(`Device.WiFi.SSID.${n}.Stats.BytesSent`), '0');
});

test('9005: unknown, a single-instance object, an instance, a parameter, no trailing dot, a read-only table', () => {
  const d = device();
  for (const name of [
    'Device.Nope.',
    'Device.DeviceInfo.',
    'Device.WiFi.AccessPoint.1.Security.',
    'Device.NAT.PortMapping.1.',
    'Device.NAT.PortMapping',
    'Device.NAT.PortMappingNumberOfEntries',
    'Device.Hosts.Host.',
    'Device.NAT.PortMapping.[new].',
    '',
  ]) {
    assert.equal(
      code(() => add(d, name)),
      FaultCode.InvalidParameterName,
      name,
    );
  }
  assert.equal(d.getValue('Device.ManagementServer.ParameterKey'), '');
});

test('9004 when the table is full; 9003 for a ParameterKey over 32 characters', () => {
  const d = device();
  for (let i = 3; i <= 32; i++) add(d, 'Device.NAT.PortMapping.');
  assert.equal(
    code(() => add(d, 'Device.NAT.PortMapping.', 'full')),
    FaultCode.ResourcesExceeded,
  );
  assert.equal(d.getValue('Device.ManagementServer.ParameterKey'), 'add-key');
  assert.equal(
    code(() => add(device(), 'Device.Users.User.', 'x'.repeat(33))),
    FaultCode.InvalidArguments,
  );
});
