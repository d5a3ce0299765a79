import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CwmpFault, FaultCode } from '../../cwmp/faults.ts';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { DeviceModel } from '../model/device-model.ts';
import { templateFor } from '../model/template.ts';
import { deleteObject } from './delete-object.ts';

const device = () => new DeviceModel(templateFor(DEVICE2_GATEWAY));
const del = (d: DeviceModel, ObjectName: string, ParameterKey = 'del-key') =>
  deleteObject(d, { method: 'DeleteObject', ObjectName, ParameterKey });

function code(f: () => unknown): number | undefined {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof CwmpFault, String(e));
    return e.code;
  }
  return undefined;
}

test('deletes the instance and everything below it; stores the ParameterKey', () => {
  const d = device();
  assert.deepEqual(del(d, 'Device.IP.Interface.2.', 'drop-wan'), {
    method: 'DeleteObjectResponse',
    Status: 0,
  });
  assert.equal(d.getValue('Device.ManagementServer.ParameterKey'), 'drop-wan');
  assert.equal(d.resolve('Device.IP.Interface.2.IPv4Address.1.IPAddress'), undefined);
  assert.equal(d.getValue('Device.IP.InterfaceNumberOfEntries'), '1');
});

test('9005 for anything but an existing instance of a table the ACS may delete from', () => {
  const d = device();
  for (const name of [
    'Device.NAT.PortMapping.',
    'Device.NAT.PortMapping.7.',
    'Device.NAT.PortMapping.1',
    'Device.NAT.PortMapping.1.Enable',
    'Device.DeviceInfo.',
    'Device.Hosts.Host.1.',
    'Device.Ethernet.Interface.1.',
    'Device.NAT.PortMapping.[cpe-1].',
  ]) {
    assert.equal(
      code(() => del(d, name)),
      FaultCode.InvalidParameterName,
      name,
    );
  }
  del(d, 'Device.NAT.PortMapping.1.');
  assert.equal(
    code(() => del(d, 'Device.NAT.PortMapping.1.')),
    FaultCode.InvalidParameterName,
  );
});

test('9001 below minEntries; 9003 for a long ParameterKey; nothing changes on a fault', () => {
  const d = device();
  assert.equal(
    code(() => del(d, 'Device.DHCPv4.Client.1.')),
    FaultCode.RequestDenied,
  );
  assert.equal(
    code(() => del(d, 'Device.NAT.PortMapping.1.', 'x'.repeat(40))),
    FaultCode.InvalidArguments,
  );
  assert.equal(d.resolve('Device.NAT.PortMapping.1.')?.kind, 'instance');
  assert.equal(d.getValue('Device.ManagementServer.ParameterKey'), '');
});
