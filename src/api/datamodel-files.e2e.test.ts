import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { TYPES_XML, vendorXml } from '../datamodel/bbf/vendor-xml.fixture.ts';
import { Harness } from './testing/harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-datamodel-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const xml = (h: Harness, method: string, name: string, text?: string, token?: string) =>
  h.request(method, `/api/v1/datamodel/files/${name}`, {
    ...(token === undefined ? {} : { token }),
    ...(text === undefined ? {} : { raw: text, headers: { 'content-type': 'application/xml' } }),
  });

const definition = (h: Harness, path: string) =>
  h.request('GET', `/api/v1/datamodel/definition?path=${encodeURIComponent(path)}`);

describe('data-model files uploaded through the API', () => {
  it('checks writes against an uploaded vendor model at once, keeps it across a restart, and removes it', async () => {
    const h = await Harness.start({ datamodelDir: dir });
    let closed = false;
    try {
      const vlan = 'Device.IP.Interface.1.X_ACME_Vlan';
      assert.equal((await definition(h, vlan)).status, 404, 'unknown before');

      // The vendor file imports a named type: alone it does not load, and nothing changes.
      const alone = await xml(h, 'PUT', 'acme.xml', vendorXml());
      assert.equal(alone.status, 400, alone.text);
      assert.match(alone.json.error.message, /^acme\.xml: .*IPv4Address/);
      assert.doesNotMatch(alone.json.error.message, /\n/);
      assert.deepEqual((await h.request('GET', '/api/v1/datamodel/files')).json.files, []);

      assert.equal((await xml(h, 'PUT', 'tr-106-types.xml', TYPES_XML)).status, 201);
      assert.equal(
        (await xml(h, 'PUT', 'acme.xml', vendorXml(), h.tokens.operator)).status,
        403,
        'admin only',
      );
      const uploaded = await xml(h, 'PUT', 'acme.xml', vendorXml());
      assert.equal(uploaded.status, 201, uploaded.text);
      assert.deepEqual(uploaded.json.roots, ['Device.']);
      assert.deepEqual((await definition(h, vlan)).json.definition.parameter.syntax.ranges, [
        { min: 1, max: 4094 },
      ]);

      const { id } = await h.informDevice('dm-up-1', [
        { name: 'Device.IP.Interface.1.X_ACME_Vlan', value: '10', type: 'unsignedInt' },
      ]);
      const task = await h.request('POST', `/api/v1/devices/${id}/tasks`, {
        body: {
          type: 'setParameterValues',
          parameters: [{ name: vlan, value: '5000', type: 'unsignedInt' }],
        },
      });
      assert.equal(task.status, 422, task.text);
      assert.equal(task.json.error.code, 'model-violation');

      for (const bad of ['../escape.xml', 'no-extension', '.hidden.xml', 'a b.xml']) {
        const r = await xml(h, 'PUT', encodeURIComponent(bad), vendorXml());
        assert.ok([400, 404].includes(r.status), `${bad}: ${r.status}`);
      }
      const broken = await xml(h, 'PUT', 'broken.xml', '<dm:document><model name="Device:2.17">');
      assert.equal(broken.status, 400);
      assert.deepEqual(readdirSync(dir).sort(), ['acme.xml', 'tr-106-types.xml']);

      await h.close();
      closed = true;
    } finally {
      if (!closed) await h.close();
    }

    const again = await Harness.start({ datamodelDir: dir });
    try {
      assert.equal((await definition(again, 'Device.IP.Interface.1.X_ACME_Vlan')).status, 200);
      const files = (await again.request('GET', '/api/v1/datamodel/files')).json.files;
      assert.deepEqual(
        files.map((f: { name: string }) => f.name),
        ['acme.xml', 'tr-106-types.xml'],
      );
      // The vendor file needs the types: they cannot go first.
      assert.equal((await xml(again, 'DELETE', 'tr-106-types.xml')).status, 400);
      assert.equal((await xml(again, 'DELETE', 'acme.xml')).status, 204);
      assert.equal((await xml(again, 'DELETE', 'acme.xml')).status, 404);
      assert.equal((await definition(again, 'Device.IP.Interface.1.X_ACME_Vlan')).status, 404);
      assert.deepEqual(readdirSync(dir), ['tr-106-types.xml']);
    } finally {
      await again.close();
    }
  });
});
