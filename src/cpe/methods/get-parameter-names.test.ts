import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CwmpFault, FaultCode } from '../../cwmp/faults.ts';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { DeviceModel } from '../model/device-model.ts';
import { templateFor } from '../model/template.ts';
import { getParameterNames } from './get-parameter-names.ts';

const device = () => new DeviceModel(templateFor(DEVICE2_GATEWAY));
const gpn = (d: DeviceModel, ParameterPath: string, NextLevel: boolean) =>
  getParameterNames(d, { method: 'GetParameterNames', ParameterPath, NextLevel }).ParameterList.map(
    (p) => `${p.Name} ${p.Writable}`,
  );

function fault(f: () => unknown): number | undefined {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof CwmpFault);
    return e.code;
  }
  return undefined;
}

test('"" with NextLevel true: the root object alone', () => {
  assert.deepEqual(gpn(device(), '', true), ['Device. false']);
});

test('"" with NextLevel false: the whole tree, root first, objects ending in "."', () => {
  const all = gpn(device(), '', false);
  assert.equal(all[0], 'Device. false');
  assert.ok(all.includes('Device.DeviceInfo. false'));
  assert.ok(all.includes('Device.WiFi.SSID.2.SSID true'));
  const params = all.filter((x) => !x.split(' ')[0]!.endsWith('.'));
  assert.ok(params.length > 700, `${params.length}`);
  assert.equal(new Set(all).size, all.length);
});

test('a partial path with NextLevel true: immediate children, not the object itself', () => {
  assert.deepEqual(gpn(device(), 'Device.NAT.', true), [
    'Device.NAT.InterfaceSettingNumberOfEntries false',
    'Device.NAT.PortMappingNumberOfEntries false',
    'Device.NAT.MaxNumberOfPortMappings false',
    'Device.NAT.InterfaceSetting. true',
    'Device.NAT.PortMapping. true',
  ]);
  // A table's children are its instances; a read-only table's are not deletable.
  assert.deepEqual(gpn(device(), 'Device.NAT.PortMapping.', true), [
    'Device.NAT.PortMapping.1. true',
    'Device.NAT.PortMapping.2. true',
  ]);
  assert.deepEqual(gpn(device(), 'Device.Hosts.Host.', true).slice(0, 1), [
    'Device.Hosts.Host.1. false',
  ]);
  assert.deepEqual(gpn(device(), 'Device.Hosts.', true), [
    'Device.Hosts.HostNumberOfEntries false',
    'Device.Hosts.Host. false',
  ]);
});

test('a partial path with NextLevel false: the object and everything below it', () => {
  assert.deepEqual(gpn(device(), 'Device.DNS.Client.Server.2.', false), [
    'Device.DNS.Client.Server.2. true',
    'Device.DNS.Client.Server.2.Enable true',
    'Device.DNS.Client.Server.2.Status false',
    'Device.DNS.Client.Server.2.Alias true',
    'Device.DNS.Client.Server.2.DNSServer true',
    'Device.DNS.Client.Server.2.Interface true',
    'Device.DNS.Client.Server.2.Type false',
  ]);
});

test('a parameter with NextLevel false: that parameter; with NextLevel true: 9003', () => {
  const d = device();
  assert.deepEqual(gpn(d, 'Device.ManagementServer.PeriodicInformInterval', false), [
    'Device.ManagementServer.PeriodicInformInterval true',
  ]);
  assert.equal(
    fault(() => gpn(d, 'Device.ManagementServer.PeriodicInformInterval', true)),
    FaultCode.InvalidArguments,
  );
});

test('Writable follows the device: an Alias once written is no longer writable', () => {
  const d = device();
  const alias = 'Device.NAT.PortMapping.1.Alias';
  assert.deepEqual(gpn(d, alias, false), [`${alias} true`]);
  const c = d.checkAcsWrite(alias, 'web');
  assert.ok(c.ok);
  d.applyAcsValues([c]);
  assert.deepEqual(gpn(d, alias, false), [`${alias} false`]);
});

test('added and deleted instances show at once', () => {
  const d = device();
  d.addInstance('Device.NAT.PortMapping.');
  d.deleteInstance('Device.NAT.PortMapping.1.');
  assert.deepEqual(gpn(d, 'Device.NAT.PortMapping.', true), [
    'Device.NAT.PortMapping.2. true',
    'Device.NAT.PortMapping.3. true',
  ]);
});

test('9005 for every path that does not exist', () => {
  const d = device();
  for (const path of [
    'Device.Nope.',
    'Device.DeviceInfo',
    'Device.NAT.PortMapping.9.',
    'Device.NAT.PortMapping.1',
    'InternetGatewayDevice.',
    'Device.NAT.PortMapping.*.',
    'Device.NAT.PortMapping.[cpe-1].',
    'Device.DeviceInfo.UpTime.',
  ]) {
    assert.equal(
      fault(() => gpn(d, path, false)),
      FaultCode.InvalidParameterName,
      path,
    );
    assert.equal(
      fault(() => gpn(d, path, true)),
      FaultCode.InvalidParameterName,
      path,
    );
  }
});
