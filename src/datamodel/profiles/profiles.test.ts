/**
 * The profiles written in the project: usable on their own (every value fits its syntax, every instance and value
 * exists), of the promised size and coverage, and faithful to the BBF data models they claim (checked against
 * ../shared/bbf when it is there; skipped with a reason otherwise).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadBbfDataModel } from '../bbf/load-xml.ts';
import { compareToReference } from '../compare.ts';
import { DataModel } from '../data-model.ts';
import { checkProfile, type DeviceProfile } from '../profile.ts';
import { resolvePath } from '../resolve.ts';
import { DEVICE2_GATEWAY, IGD_GATEWAY } from './index.ts';

const BBF = new URL('../../../../shared/bbf/', import.meta.url);
const SKIP = existsSync(BBF)
  ? false
  : `no BBF data models at ${fileURLToPath(BBF)} (CI checks out ../shared beside the repository)`;

/** Concrete parameter paths of a profile: every schema parameter expanded over the profile's instances. */
function concreteParameters(profile: DeviceProfile): string[] {
  const model = new DataModel(profile.model);
  const out: string[] = [];
  const expand = (schemaPath: string): string[] => {
    const at = schemaPath.indexOf('{i}');
    if (at === -1) return [schemaPath];
    const table = schemaPath.slice(0, at);
    return (profile.instances[table] ?? []).flatMap((n) =>
      expand(`${table}${n}${schemaPath.slice(at + 3)}`),
    );
  };
  for (const p of model.parameters()) out.push(...expand(p.path));
  return out;
}

for (const profile of [DEVICE2_GATEWAY, IGD_GATEWAY]) {
  describe(profile.id, () => {
    test('is self-consistent: strict values, instances and attributes that exist', () => {
      assert.deepEqual(checkProfile(profile, { strictValues: true }), []);
    });

    test('gives every parameter without a default a value', () => {
      const model = new DataModel(profile.model);
      const exists = (t: string, n: number) => profile.instances[t]?.includes(n) === true;
      const missing = concreteParameters(profile).filter((path) => {
        const r = resolvePath(model, path, exists);
        assert.equal(r?.kind, 'parameter', path);
        const node = r?.kind === 'parameter' ? r.node : undefined;
        return (
          node?.counts === undefined &&
          node?.definition.syntax.default === undefined &&
          profile.values[path] === undefined
        );
      });
      assert.deepEqual(missing, []);
    });
  });
}

test('the Device:2 gateway: several hundred parameters over the promised areas', () => {
  const params = concreteParameters(DEVICE2_GATEWAY);
  assert.ok(params.length >= 600, `${params.length} parameters`);
  for (const area of [
    'Device.DeviceInfo.',
    'Device.ManagementServer.',
    'Device.Time.',
    'Device.Ethernet.Interface.',
    'Device.IP.Interface.1.IPv4Address.',
    'Device.IP.Interface.1.IPv6Address.',
    'Device.DHCPv4.Server.Pool.1.',
    'Device.WiFi.Radio.',
    'Device.WiFi.SSID.',
    'Device.WiFi.AccessPoint.1.Security.',
    'Device.Hosts.Host.',
    'Device.NAT.PortMapping.',
    'Device.DNS.',
    'Device.Users.User.',
    'Device.IP.Diagnostics.IPPing.',
    'Device.IP.Diagnostics.TraceRoute.',
    'Device.IP.Diagnostics.DownloadDiagnostics.',
    'Device.IP.Diagnostics.UploadDiagnostics.',
  ]) {
    assert.ok(
      params.some((p) => p.startsWith(area)),
      area,
    );
  }
  const forced = new DataModel(DEVICE2_GATEWAY.model);
  assert.deepEqual(
    [...forced.parameters()].filter((p) => p.definition.forcedInform).map((p) => p.path),
    [
      'Device.RootDataModelVersion',
      'Device.DeviceInfo.HardwareVersion',
      'Device.DeviceInfo.SoftwareVersion',
      'Device.DeviceInfo.ProvisioningCode',
      'Device.ManagementServer.ParameterKey',
      'Device.ManagementServer.ConnectionRequestURL',
      'Device.ManagementServer.AliasBasedAddressing',
    ],
  );
});

test('the InternetGatewayDevice:1 gateway: LAN, WLAN, WAN connection, diagnostics', () => {
  const params = concreteParameters(IGD_GATEWAY);
  assert.ok(params.length >= 150, `${params.length} parameters`);
  for (const p of [
    'InternetGatewayDevice.DeviceSummary',
    'InternetGatewayDevice.LANDevice.1.LANHostConfigManagement.DHCPServerEnable',
    'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID',
    'InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.ExternalIPAddress',
    'InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.PortMapping.1.ExternalPort',
    'InternetGatewayDevice.IPPingDiagnostics.DiagnosticsState',
  ]) {
    assert.ok(params.includes(p), p);
  }
});

describe('the profiles against the BBF data models', { skip: SKIP }, () => {
  const reference = (file: string) =>
    new DataModel(loadBbfDataModel(readFileSync(new URL(file, BBF), 'utf8')));

  test('every object and parameter of the Device:2 gateway is in TR-181 2.17, alike', () => {
    assert.deepEqual(
      compareToReference(
        new DataModel(DEVICE2_GATEWAY.model),
        reference('tr-181-2-17-0-cwmp-full.xml'),
      ),
      [],
    );
  });

  test('every object and parameter of the IGD gateway is in TR-098 1.8, alike', () => {
    assert.deepEqual(
      compareToReference(new DataModel(IGD_GATEWAY.model), reference('tr-098-1-8-0-full.xml')),
      [],
    );
  });
});
