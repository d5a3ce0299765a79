/**
 * Profiles from BBF XML: a small vendor-style model written here (always run), then the published TR-181 2.17 and
 * TR-098 files in ../shared/bbf (skipped with a reason where that directory is absent).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkProfile } from '../profile.ts';
import { DEVICE2_GATEWAY } from '../profiles/index.ts';
import { parseBbfXml } from './load-xml.ts';
import { profileFromBbfXml } from './profile-from-xml.ts';
import { TYPES_XML, vendorXml } from './vendor-xml.fixture.ts';

const BBF = new URL('../../../../shared/bbf/', import.meta.url);
const SKIP = existsSync(BBF)
  ? false
  : `no BBF data models at ${fileURLToPath(BBF)} (CI checks out ../shared beside the repository)`;

describe('a profile from a vendor model in the BBF format', () => {
  const types = parseBbfXml(TYPES_XML).dataTypes;

  test('seeds identity, ManagementServer and the tables the model has; the vendor extension starts valid', () => {
    const { profile, warnings } = profileFromBbfXml(vendorXml(), { id: 'acme', dataTypes: types });
    assert.deepEqual(warnings, []);
    assert.deepEqual(checkProfile(profile, { strictValues: true }), []);
    assert.equal(profile.values['Device.RootDataModelVersion'], '2.17');
    assert.equal(profile.values['Device.DeviceInfo.ManufacturerOUI'], '02C0A1');
    assert.equal(profile.values['Device.ManagementServer.URL'], 'http://127.0.0.1:7547/');
    assert.equal(profile.values['Device.ManagementServer.PeriodicInformInterval'], '3600');
    assert.deepEqual(profile.instances, {
      'Device.IP.Interface.': [1, 2],
      'Device.IP.Interface.1.IPv4Address.': [1],
      'Device.IP.Interface.2.IPv4Address.': [1],
    });
    assert.equal(profile.values['Device.IP.Interface.1.IPv4Address.1.IPAddress'], '192.168.1.1');
    assert.equal(profile.values['Device.IP.Interface.2.Alias'], 'cpe-2');
    // Not seeded: the model's own starting value applies (the bottom of its range), not a value it forbids.
    assert.equal(profile.values['Device.IP.Interface.1.X_ACME_Vlan'], undefined);
    assert.equal(profile.rpcMethods, undefined);
  });

  test('a seed value the model forbids is left out, with a warning', () => {
    const narrow = '<string><size maxLength="8"/></string>';
    const { profile, warnings } = profileFromBbfXml(vendorXml({ ipType: narrow }), { id: 'acme' });
    assert.equal(profile.values['Device.IP.Interface.2.IPv4Address.1.IPAddress'], undefined);
    assert.match(
      warnings.join('\n'),
      /IPv4Address\.1\.IPAddress: seed value "203\.0\.113\.10" left out/,
    );
  });

  test('refuses a model without ManagementServer, and types it cannot resolve, in one line', () => {
    assert.throws(
      () => profileFromBbfXml(vendorXml({ ms: false }), { id: 'x', dataTypes: types }),
      /^DataModelLoadError: Device:2\.17 is not a model a CPE can run on: it lacks ManagementServer\.URL under Device\. /,
    );
    assert.throws(() => profileFromBbfXml(vendorXml(), { id: 'x' }), /IPv4Address/);
    assert.throws(
      () => profileFromBbfXml('<dm:document><model', { id: 'x' }),
      /not well-formed XML/,
    );
  });
});

describe('profiles from the published BBF models', { skip: SKIP }, () => {
  const read = (f: string) => readFileSync(new URL(f, BBF), 'utf8');

  test('TR-181 2.17: valid throughout, identity like the hand-written gateway, Wi-Fi and IP instances', () => {
    const { profile, warnings } = profileFromBbfXml(read('tr-181-2-17-0-cwmp-full.xml'), {
      id: 'tr181',
      dataTypes: parseBbfXml(read('tr-106-types.xml')).dataTypes,
    });
    assert.deepEqual(warnings, []);
    assert.deepEqual(checkProfile(profile, { strictValues: true }), []);
    for (const name of ['Manufacturer', 'ManufacturerOUI']) {
      const path = `Device.DeviceInfo.${name}`;
      assert.equal(profile.values[path], DEVICE2_GATEWAY.values[path]);
    }
    assert.deepEqual(profile.instances['Device.WiFi.SSID.'], [1, 2]);
    assert.equal(profile.values['Device.WiFi.SSID.2.LowerLayers'], 'Device.WiFi.Radio.2');
    assert.equal(profile.values['Device.WiFi.Radio.2.OperatingFrequencyBand'], '5GHz');
    assert.equal(profile.values['Device.IP.Interface.1.IPv4Address.1.IPAddress'], '192.168.1.1');
  });

  test('TR-098 1.8 (InternetGatewayDevice:1.14): DeviceSummary, a LAN with Wi-Fi, a WAN IP connection', () => {
    const { profile, warnings } = profileFromBbfXml(read('tr-098-1-8-0-full.xml'), { id: 'tr098' });
    assert.deepEqual(warnings, []);
    assert.deepEqual(checkProfile(profile, { strictValues: true }), []);
    const igd = 'InternetGatewayDevice.';
    assert.equal(profile.values[`${igd}DeviceSummary`], 'InternetGatewayDevice:1.14[](Baseline:1)');
    assert.equal(profile.values[`${igd}LANDevice.1.WLANConfiguration.1.SSID`], 'Corral-2G');
    assert.equal(
      profile.values[`${igd}WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.ExternalIPAddress`],
      '203.0.113.10',
    );
  });

  test('TR-104 (a service model) is refused: it is not a CPE', () => {
    assert.throws(
      () => profileFromBbfXml(read('tr-104-2-0-2-cwmp-full.xml'), { id: 'tr104' }),
      /VoiceService:2\.0 is not a model a CPE can run on: it lacks DeviceInfo\.Manufacturer/,
    );
  });
});
