import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { encodeDeviceId } from '../store/device-id.ts';
import { Harness } from './testing/harness.ts';

let h: Harness;
const ids: Record<string, string> = {};

/** What a faithful Device:2 reports in its Informs (the forced-inform parameters and a few more). */
const FAITHFUL = [
  { name: 'Device.RootDataModelVersion', value: '2.17', type: 'string' },
  { name: 'Device.DeviceInfo.HardwareVersion', value: 'HW1', type: 'string' },
  { name: 'Device.DeviceInfo.ProvisioningCode', value: '', type: 'string' },
  { name: 'Device.DeviceInfo.UpTime', value: '100', type: 'unsignedInt' },
  {
    name: 'Device.ManagementServer.ConnectionRequestURL',
    value: 'http://10.0.0.1:7547/',
    type: 'string',
  },
  { name: 'Device.ManagementServer.PeriodicInformInterval', value: '300', type: 'unsignedInt' },
  { name: 'Device.WiFi.SSID.1.SSID', value: 'home', type: 'string' },
];
/** The same, wrong four ways. */
const BROKEN = [
  ...FAITHFUL.filter((p) => p.name !== 'Device.ManagementServer.PeriodicInformInterval'),
  { name: 'Device.ManagementServer.PeriodicInformInterval', value: 'soon', type: 'string' },
  { name: 'Device.WiFi.SSID.1.Bogus', value: '1', type: 'string' },
  { name: 'Device.WiFi.X_acme_Boost', value: 'true', type: 'boolean' },
  { name: 'Device.X_00D09E_Fine', value: 'vendor', type: 'string' },
];

before(async () => {
  h = await Harness.start();
  for (let i = 0; i < 3; i++)
    ids[`good-${i}`] = (await h.informDevice(`good-${i}`, FAITHFUL, { productClass: 'GOOD' })).id;
  for (let i = 0; i < 2; i++)
    ids[`bad-${i}`] = (await h.informDevice(`bad-${i}`, BROKEN, { productClass: 'BAD' })).id;
});
after(() => h.close());

const report = async (id: string) => {
  const reply = await h.request('GET', `/api/v1/devices/${id}/datamodel`, {
    token: h.tokens['read-only'],
  });
  assert.equal(reply.status, 200, reply.text);
  return reply.json as {
    root: string;
    model: string;
    items: number;
    counts: Record<string, number>;
    findings: { path: string; rule: string; message: string }[];
  };
};

describe('data-model reports over the API', () => {
  it('finds nothing wrong with a faithful device, and exactly what is wrong with a broken one', async () => {
    const good = await report(ids['good-0']!);
    assert.equal(good.root, 'Device.');
    assert.equal(good.model, 'Device:2.17');
    assert.ok(good.items >= FAITHFUL.length);
    assert.deepEqual(good.findings, [], JSON.stringify(good.findings));

    const bad = await report(ids['bad-0']!);
    assert.deepEqual(
      bad.findings.map((f) => `${f.rule} ${f.path}`).sort(),
      [
        'bad-vendor-extension-name Device.WiFi.X_acme_Boost',
        'type-mismatch Device.ManagementServer.PeriodicInformInterval',
        'unknown-parameter Device.WiFi.SSID.1.Bogus',
      ],
      JSON.stringify(bad.findings),
    );
    assert.deepEqual(bad.counts, {
      'bad-vendor-extension-name': 1,
      'type-mismatch': 1,
      'unknown-parameter': 1,
    });
    for (const f of bad.findings) assert.doesNotMatch(f.message, /\n/);

    const unknown = encodeDeviceId({ oui: '000000', productClass: 'X', serialNumber: 'none' });
    assert.equal((await h.request('GET', `/api/v1/devices/${unknown}/datamodel`)).status, 404);
  });

  it('reports a fleet by ProductClass and SoftwareVersion, finding exactly the broken devices', async () => {
    const reply = await h.request('GET', '/api/v1/datamodel/report', {
      token: h.tokens['read-only'],
    });
    assert.equal(reply.status, 200, reply.text);
    const { total, checked, groups } = reply.json;
    assert.equal(total, 5);
    assert.equal(checked, 5);
    const byClass = new Map(groups.map((g: { productClass: string }) => [g.productClass, g]));
    assert.deepEqual(byClass.get('GOOD'), {
      productClass: 'GOOD',
      softwareVersion: '1.0.0',
      devices: 3,
      deviating: 0,
      rules: {},
      paths: [],
    });
    const bad = byClass.get('BAD') as {
      devices: number;
      deviating: number;
      rules: object;
      paths: object[];
    };
    assert.equal(bad.devices, 2);
    assert.equal(bad.deviating, 2);
    assert.deepEqual(bad.rules, {
      'bad-vendor-extension-name': 2,
      'type-mismatch': 2,
      'unknown-parameter': 2,
    });
    assert.deepEqual(bad.paths, [
      { rule: 'bad-vendor-extension-name', schemaPath: 'Device.WiFi.X_acme_Boost', devices: 2 },
      {
        rule: 'type-mismatch',
        schemaPath: 'Device.ManagementServer.PeriodicInformInterval',
        devices: 2,
      },
      { rule: 'unknown-parameter', schemaPath: 'Device.WiFi.SSID.{i}.Bogus', devices: 2 },
    ]);

    const filtered = await h.request(
      'GET',
      `/api/v1/datamodel/report?limit=1&filter=${encodeURIComponent(JSON.stringify([{ kind: 'field', field: 'productClass', op: 'eq', value: 'BAD' }]))}`,
    );
    assert.equal(filtered.status, 200, filtered.text);
    assert.deepEqual([filtered.json.total, filtered.json.checked], [2, 1]);
    const badFilter = await h.request('GET', '/api/v1/datamodel/report?filter=%5B%7B%7D%5D');
    assert.equal(badFilter.status, 400);
  });

  it('describes any parameter or object: type, facets, access, version, profiles', async () => {
    const get = (path: string) =>
      h.request('GET', `/api/v1/datamodel/definition?path=${encodeURIComponent(path)}`, {
        token: h.tokens['read-only'],
      });
    const interval = await get('Device.ManagementServer.PeriodicInformInterval');
    assert.equal(interval.status, 200, interval.text);
    const d = interval.json.definition;
    assert.equal(d.kind, 'parameter');
    assert.equal(d.model, 'Device:2.17');
    assert.equal(d.parameter.access, 'readWrite');
    assert.equal(d.parameter.syntax.type, 'unsignedInt');
    assert.deepEqual(d.parameter.syntax.ranges, [{ min: 1 }]);
    assert.equal(d.parameter.syntax.units, 'seconds');
    assert.equal(d.version, '2.0');
    assert.ok(d.profiles.includes('Baseline:1'), d.profiles.join());

    const ssid = (await get('Device.WiFi.SSID.3.')).json.definition;
    assert.deepEqual([ssid.kind, ssid.schemaPath], ['instance', 'Device.WiFi.SSID.{i}.']);
    assert.equal(ssid.object.access, 'readWrite');
    assert.ok(ssid.object.uniqueKeys.length > 0);

    const igd = (await get('InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID')).json;
    assert.equal(igd.definition.model, 'InternetGatewayDevice:1.14');
    assert.equal((await get('Device.Bogus.Thing')).status, 404);
  });
});
