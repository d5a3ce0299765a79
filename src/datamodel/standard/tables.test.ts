import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { standardTablesFrom } from './generate.ts';
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
});
