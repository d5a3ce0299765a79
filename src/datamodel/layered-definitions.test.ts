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

describe('descriptions from a loaded BBF file', () => {
  const XML = `<?xml version="1.0"?>
<dm:document xmlns:dm="urn:broadband-forum-org:cwmp:datamodel-1-14" spec="urn:acme:descr-1-0">
  <model name="Device:2.17">
    <object name="Device." access="readOnly" minEntries="1" maxEntries="1">
      <description>The   root.</description>
    </object>
    <object name="Device.X_00D09E_Fan." access="readOnly" minEntries="1" maxEntries="1">
      <description>The fan, as
        ACME builds it.</description>
      <parameter name="Speed" access="readWrite">
        <description>Revolutions a minute; &lt;b&gt;0&lt;/b&gt; stops it.</description>
        <syntax><unsignedInt/></syntax>
      </parameter>
    </object>
  </model>
</dm:document>`;

  it('are kept only when asked for, whitespace folded, and answered through the layers', async () => {
    const plain = BbfDefinitions.fromXml([XML]);
    assert.equal(plain.describe('Device.X_00D09E_Fan.Speed'), undefined);
    const described = BbfDefinitions.fromXml([XML], { descriptions: true });
    assert.equal(described.describe('Device.X_00D09E_Fan.'), 'The fan, as ACME builds it.');
    assert.equal(
      described.describe('Device.X_00D09E_Fan.Speed'),
      'Revolutions a minute; <b>0</b> stops it.',
    );
    const layered = new LayeredDefinitions([described, await StandardDefinitions.load()]);
    assert.equal(
      layered.describe('Device.X_00D09E_Fan.Speed'),
      'Revolutions a minute; <b>0</b> stops it.',
    );
    assert.equal(
      layered.describe('Device.DeviceInfo.SoftwareVersion'),
      undefined,
      'the shipped tables have none',
    );
  });
});
