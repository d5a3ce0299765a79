import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBbfXml } from './bbf/load-xml.ts';
import { TYPES_XML, vendorXml } from './bbf/vendor-xml.fixture.ts';
import { BbfDefinitions } from './device-definitions.ts';
import { LayeredDefinitions } from './layered-definitions.ts';
import { StandardDefinitions } from './standard/standard-definitions.ts';

describe('LayeredDefinitions', () => {
  it('answers from the vendor file first and from the standard for the rest', async () => {
    const standard = await StandardDefinitions.load();
    const vendor = BbfDefinitions.fromXml([vendorXml()], {
      dataTypes: parseBbfXml(TYPES_XML).dataTypes,
    });
    const layered = new LayeredDefinitions([vendor, standard]);
    const kind = (path: string) => {
      const r = layered.resolve(path);
      return r === undefined ? undefined : `${r.kind} ${r.schemaPath}`;
    };
    assert.equal(
      kind('Device.IP.Interface.2.X_ACME_Vlan'),
      'parameter Device.IP.Interface.{i}.X_ACME_Vlan',
      'the vendor extension, from the vendor file',
    );
    assert.equal(standard.resolve('Device.IP.Interface.2.X_ACME_Vlan'), undefined);
    assert.equal(
      kind('Device.WiFi.SSID.1.SSID'),
      'parameter Device.WiFi.SSID.{i}.SSID',
      'what the vendor file leaves out, from the standard',
    );
    assert.equal(kind('Device.Nothing.Here'), undefined);
    assert.equal(layered.modelName('Device.'), 'Device:2.17');
    assert.equal(layered.modelName('InternetGatewayDevice.'), 'InternetGatewayDevice:1.14');
    // The vendor file has no profiles or versions: the standard's answer.
    assert.ok(layered.profile('Device.', 'Baseline:1') !== undefined);
    assert.equal(layered.versionOf('Device.DeviceInfo.HostName'), '2.16');
  });
});
