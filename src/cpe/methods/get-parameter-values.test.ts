import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CwmpFault, FaultCode } from '../../cwmp/faults.ts';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { DeviceModel } from '../model/device-model.ts';
import { templateFor } from '../model/template.ts';
import { getParameterValues } from './get-parameter-values.ts';

const device = () => new DeviceModel(templateFor(DEVICE2_GATEWAY));
const gpv = (d: DeviceModel, names: string[]) =>
  getParameterValues(d, { method: 'GetParameterValues', ParameterNames: names }).ParameterList;

test('full names: value and the xsd type on the wire', () => {
  assert.deepEqual(
    gpv(device(), [
      'Device.DeviceInfo.UpTime',
      'Device.WiFi.SSID.1.SSID',
      'Device.ManagementServer.PeriodicInformEnable',
    ]),
    [
      { name: 'Device.DeviceInfo.UpTime', value: '86412', type: 'unsignedInt' },
      { name: 'Device.WiFi.SSID.1.SSID', value: 'Corral-2G', type: 'string' },
      { name: 'Device.ManagementServer.PeriodicInformEnable', value: 'true', type: 'boolean' },
    ],
  );
});

test('a partial path returns every parameter below it, recursively; lists are strings', () => {
  const list = gpv(device(), ['Device.DHCPv4.Server.Pool.1.Client.']);
  assert.deepEqual(
    list.map((p) => p.name),
    [
      'Device.DHCPv4.Server.Pool.1.Client.1.Alias',
      'Device.DHCPv4.Server.Pool.1.Client.1.Chaddr',
      'Device.DHCPv4.Server.Pool.1.Client.1.Active',
      'Device.DHCPv4.Server.Pool.1.Client.1.IPv4AddressNumberOfEntries',
      'Device.DHCPv4.Server.Pool.1.Client.1.IPv4Address.1.IPAddress',
      'Device.DHCPv4.Server.Pool.1.Client.1.IPv4Address.1.LeaseTimeRemaining',
      ...[2, 3].flatMap((n) =>
        [
          'Alias',
          'Chaddr',
          'Active',
          'IPv4AddressNumberOfEntries',
          'IPv4Address.1.IPAddress',
          'IPv4Address.1.LeaseTimeRemaining',
        ].map((p) => `Device.DHCPv4.Server.Pool.1.Client.${n}.${p}`),
      ),
    ],
  );
  assert.deepEqual(gpv(device(), ['Device.DHCPv4.Server.Pool.1.DNSServers'])[0]?.type, 'string');
  assert.equal(gpv(device(), ['Device.'])[0]?.name, 'Device.RootDataModelVersion');
  assert.equal(gpv(device(), ['']).length, gpv(device(), ['Device.']).length);
});

test('full and partial names mixed, answered in the order asked', () => {
  const list = gpv(device(), [
    'Device.Time.Status',
    'Device.DNS.Client.',
    'Device.DeviceInfo.SerialNumber',
  ]);
  assert.equal(list[0]?.name, 'Device.Time.Status');
  assert.equal(list.at(-1)?.name, 'Device.DeviceInfo.SerialNumber');
  assert.equal(list.length, 1 + 3 + 2 * 6 + 1);
});

test('passwords and keys read as empty, command parameters as their null value', () => {
  const list = gpv(device(), [
    'Device.ManagementServer.Password',
    'Device.ManagementServer.ConnectionRequestPassword',
    'Device.WiFi.AccessPoint.1.Security.KeyPassphrase',
    'Device.Users.User.1.Password',
    'Device.IP.Interface.1.Reset',
  ]);
  assert.deepEqual(
    list.map((p) => p.value),
    ['', '', '', '', 'false'],
  );
});

test('NumberOfEntries follows AddObject and DeleteObject', () => {
  const d = device();
  d.addInstance('Device.NAT.PortMapping.');
  assert.equal(gpv(d, ['Device.NAT.PortMappingNumberOfEntries'])[0]?.value, '3');
});

test('one unknown name faults the whole request with 9005', () => {
  const d = device();
  for (const names of [
    ['Device.DeviceInfo.UpTime', 'Device.DeviceInfo.Nope'],
    ['Device.DeviceInfo'],
    ['Device.NAT.PortMapping.3.'],
    ['device.DeviceInfo.UpTime'],
  ]) {
    assert.throws(
      () => gpv(d, names),
      (e: unknown) => e instanceof CwmpFault && e.code === FaultCode.InvalidParameterName,
      names.join(','),
    );
  }
});

test('an empty list answers an empty list', () => {
  assert.deepEqual(gpv(device(), []), []);
});
