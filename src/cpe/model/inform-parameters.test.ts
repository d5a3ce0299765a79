import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEVICE2_GATEWAY, IGD_GATEWAY } from '../../datamodel/profiles/index.ts';
import { DeviceModel } from './device-model.ts';
import { forcedInformParameters, informParameterList } from './inform-parameters.ts';
import { templateFor } from './template.ts';

test('Device:2: the forced-inform parameters with their values', () => {
  const d = new DeviceModel(templateFor(DEVICE2_GATEWAY));
  d.setParameterKey('k1');
  assert.deepEqual(forcedInformParameters(d), [
    { name: 'Device.RootDataModelVersion', value: '2.17', type: 'string' },
    { name: 'Device.DeviceInfo.HardwareVersion', value: 'HG2100-B2', type: 'string' },
    { name: 'Device.DeviceInfo.SoftwareVersion', value: '4.2.7', type: 'string' },
    { name: 'Device.DeviceInfo.ProvisioningCode', value: '', type: 'string' },
    { name: 'Device.ManagementServer.ParameterKey', value: 'k1', type: 'string' },
    {
      name: 'Device.ManagementServer.ConnectionRequestURL',
      value: 'http://192.0.2.10:7547/connreq/CRL00000000001',
      type: 'string',
    },
    { name: 'Device.ManagementServer.AliasBasedAddressing', value: 'false', type: 'boolean' },
  ]);
});

test('InternetGatewayDevice:1: forced parameters inside tables follow the instances that exist', () => {
  const d = new DeviceModel(templateFor(IGD_GATEWAY));
  const names = () => forcedInformParameters(d).map((p) => p.name);
  const wan = 'InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANIPConnection.';
  assert.ok(names().includes(`${wan}1.ExternalIPAddress`));
  assert.ok(names().includes('InternetGatewayDevice.DeviceSummary'));
  assert.ok(names().includes('InternetGatewayDevice.DeviceInfo.SpecVersion'));
  d.deleteInstance(`${wan}1.`);
  assert.equal(
    names().some((n) => n.startsWith(wan)),
    false,
  );
});

test('the Inform list: forced parameters, then pending changes not already among them', () => {
  const d = new DeviceModel(templateFor(DEVICE2_GATEWAY));
  d.setLocalValue('Device.ManagementServer.ConnectionRequestURL', 'http://192.0.2.99:7547/cr');
  d.setLocalValue('Device.IP.Interface.2.IPv4Address.1.IPAddress', '198.51.100.200');
  const list = informParameterList(d);
  assert.equal(
    list.filter((p) => p.name === 'Device.ManagementServer.ConnectionRequestURL').length,
    1,
  );
  assert.equal(
    list.find((p) => p.name === 'Device.ManagementServer.ConnectionRequestURL')?.value,
    'http://192.0.2.99:7547/cr',
  );
  assert.deepEqual(list.at(-1), {
    name: 'Device.IP.Interface.2.IPv4Address.1.IPAddress',
    value: '198.51.100.200',
    type: 'string',
  });
  assert.equal(list.length, 8);
});
