import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseBbfXml } from '../bbf/load-xml.ts';
import { BbfDefinitions } from '../device-definitions.ts';
import { STANDARD_SOURCES, standardTablesFrom } from './generate.ts';
import { StandardDefinitions } from './standard-definitions.ts';

const BBF = fileURLToPath(new URL('../../../../shared/bbf/', import.meta.url));
const TABLES = fileURLToPath(new URL('./tables/', import.meta.url));

describe('the shipped standard definitions', () => {
  it('are what the generator makes of the BBF files (npm run datamodel:tables), and hold no description text', {
    skip: existsSync(BBF) ? false : `no ${BBF} (the BBF's XML is not part of a user's clone)`,
  }, () => {
    const generated = standardTablesFrom((name) => readFileSync(join(BBF, name), 'utf8'));
    for (const [file, text] of Object.entries(generated)) {
      assert.equal(
        readFileSync(join(TABLES, file), 'utf8'),
        text,
        `${file} is stale: npm run datamodel:tables`,
      );
      assert.equal(/"description"/.test(text), false);
    }
  });

  it('resolve concrete paths of TR-181, TR-098 and a mounted TR-104 to their definitions', async () => {
    const standard = await StandardDefinitions.load();
    const resolved = (path: string) => {
      const r = standard.resolve(path);
      return r === undefined ? undefined : `${r.kind} ${r.schemaPath}`;
    };
    assert.equal(
      resolved('Device.IP.Interface.3.IPv4Address.2.IPAddress'),
      'parameter Device.IP.Interface.{i}.IPv4Address.{i}.IPAddress',
    );
    assert.equal(resolved('Device.IP.Interface.'), 'table Device.IP.Interface.');
    assert.equal(resolved('Device.IP.Interface.7.'), 'instance Device.IP.Interface.{i}.');
    assert.equal(
      resolved('InternetGatewayDevice.LANDevice.1.WLANConfiguration.2.SSID'),
      'parameter InternetGatewayDevice.LANDevice.{i}.WLANConfiguration.{i}.SSID',
    );
    assert.equal(
      resolved('Device.Services.VoiceService.1.Capabilities.MaxLineCount'),
      'parameter Services.VoiceService.{i}.Capabilities.MaxLineCount',
    );
    assert.equal(resolved('Device.Bogus.Thing'), undefined);
    assert.equal(resolved('Device.IP.Interface.0.Enable'), undefined, 'no instance 0');
    assert.equal(standard.modelName('Device.'), 'Device:2.17');
    assert.equal(standard.modelName('InternetGatewayDevice.'), 'InternetGatewayDevice:1.14');
  });

  it('know the version each name appeared in and the profiles, with what they inherit', async () => {
    const standard = await StandardDefinitions.load();
    assert.equal(standard.versionOf('Device.DeviceInfo.'), '2.0');
    assert.equal(standard.versionOf('Device.DeviceInfo.SoftwareVersion'), '2.0');
    assert.equal(standard.versionOf('Device.DeviceInfo.HostName'), '2.16');
    assert.equal(standard.versionOf('Device.Bogus.'), undefined);
    const baseline = standard.profile('Device.', 'Baseline:1');
    assert.equal(baseline?.objects.get('Device.DeviceInfo.')?.get('SoftwareVersion'), 'readOnly');
    assert.equal(
      standard
        .profile('Device.', 'Baseline:2')
        ?.objects.get('Device.DeviceInfo.')
        ?.get('SoftwareVersion'),
      'readOnly',
      'Baseline:2 extends Baseline:1',
    );
    assert.equal(standard.profile('Device.', 'NoSuch:1'), undefined);
    assert.ok(standard.profile('InternetGatewayDevice.', 'Baseline:1') !== undefined);
  });

  it('answer as the BBF XML itself does, for every name and profile', {
    skip: existsSync(BBF) ? false : `no ${BBF} (the BBF's XML is not part of a user's clone)`,
  }, async () => {
    const standard = await StandardDefinitions.load();
    const read = (name: string) => readFileSync(join(BBF, name), 'utf8');
    const dataTypes = parseBbfXml(read(STANDARD_SOURCES.types)).dataTypes;
    for (const [root, file] of [
      ['Device.', STANDARD_SOURCES.tables['device-2.json']],
      ['InternetGatewayDevice.', STANDARD_SOURCES.tables['internet-gateway-device-1.json']],
    ] as const) {
      const xml = BbfDefinitions.fromXml([read(file)], { dataTypes });
      const [model] = parseBbfXml(read(file), { dataTypes }).models;
      let names = 0;
      for (const o of model!.objects) {
        for (const path of [o.path, ...o.parameters.map((p) => o.path + p.name)]) {
          assert.equal(standard.versionOf(path), xml.versionOf(path), path);
          names++;
        }
      }
      assert.ok(names > 1000, `${root}: ${names} names`);
      for (const name of ['Baseline:1', 'Baseline:3', 'WiFiRadio:1', 'Time:1']) {
        const a = standard.profile(root, name);
        const b = xml.profile(root, name);
        assert.deepEqual(
          a && [...a.objects].map(([k, v]) => [k, [...v]]),
          b && [...b.objects].map(([k, v]) => [k, [...v]]),
          `${root} ${name}`,
        );
      }
    }
  });
});
