import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { encodeDeviceId } from '../store/device-id.ts';
import { Secret } from '../store/secret.ts';
import { Harness, type Json } from './testing/harness.ts';

let h: Harness;
const ids: Record<string, string> = {};
/** At most 64 characters, the longest SerialNumber TR-069 allows. */
const HOSTILE_SERIAL = `<script>alert(1)</script>';DROP TABLE d;--=cmd|'/C calc'!A0\u202e`;

/** Devices created by real Inform sessions, with values to filter and sort on. */
before(async () => {
  h = await Harness.start();
  const fleet = [
    { serial: 'dev-a', oui: 'AAAAAA', productClass: 'GW1', uptime: '50', ssid: 'home' },
    { serial: 'dev-b', oui: 'AAAAAA', productClass: 'GW2', uptime: '700', ssid: 'office' },
    { serial: 'dev-c', oui: 'BBBBBB', productClass: 'GW1', uptime: '9', ssid: 'home-2' },
    { serial: 'dev-d', oui: 'CCCCCC', productClass: 'GW3', uptime: '7000', ssid: 'lab' },
  ];
  for (const d of fleet) {
    const { id } = await h.informDevice(
      d.serial,
      [
        { name: 'Device.DeviceInfo.UpTime', value: d.uptime, type: 'unsignedInt' },
        { name: 'Device.WiFi.SSID.1.SSID', value: d.ssid, type: 'string' },
        {
          name: 'Device.WiFi.AccessPoint.1.Security.KeyPassphrase',
          value: `passphrase-of-${d.serial}`,
          type: 'string',
        },
      ],
      { oui: d.oui, productClass: d.productClass },
    );
    ids[d.serial] = id;
  }
  ids.hostile = (await h.informDevice(HOSTILE_SERIAL, [], { productClass: 'x-y_z' })).id;
});
after(() => h.close());

const list = async (query: string) => {
  const reply = await h.request('GET', `/api/v1/devices?${query}`, {
    token: h.tokens['read-only'],
  });
  assert.equal(reply.status, 200, reply.text);
  return reply.json as { devices: Array<Record<string, Json>>; total: number };
};
const filter = (conditions: unknown[]) =>
  `filter=${encodeURIComponent(JSON.stringify(conditions))}`;
const serials = (body: { devices: Array<Record<string, Json>> }) =>
  body.devices.map((d) => d.serialNumber);

describe('devices over the API', () => {
  it('lists the devices the Informs created, with their fields and tags', async () => {
    const all = await list('');
    assert.equal(all.total, 5);
    const a = all.devices.find((d) => d.id === ids['dev-a']);
    assert.equal(a?.oui, 'AAAAAA');
    assert.equal(a?.productClass, 'GW1');
    assert.equal(a?.softwareVersion, '1.0.0');
    assert.equal(a?.remoteAddress, '127.0.0.1');
    assert.deepEqual(a?.tags, []);
    assert.equal(typeof a?.lastInformAt, 'number');
  });

  it('filters on device fields, tags and parameter values', async () => {
    const byOui = await list(filter([{ kind: 'field', field: 'oui', op: 'eq', value: 'AAAAAA' }]));
    assert.deepEqual(serials(byOui).sort(), ['dev-a', 'dev-b']);
    assert.equal(byOui.total, 2);
    const inList = await list(
      filter([{ kind: 'field', field: 'productClass', op: 'in', values: ['GW2', 'GW3'] }]),
    );
    assert.deepEqual(serials(inList).sort(), ['dev-b', 'dev-d']);
    const numeric = await list(
      filter([{ kind: 'parameter', path: 'Device.DeviceInfo.UpTime', op: 'gt', value: 60 }]),
    );
    assert.deepEqual(serials(numeric).sort(), ['dev-b', 'dev-d'], 'numeric, not text, comparison');
    const prefix = await list(
      filter([{ kind: 'parameter', path: 'Device.WiFi.SSID.1.SSID', op: 'prefix', value: 'home' }]),
    );
    assert.deepEqual(serials(prefix).sort(), ['dev-a', 'dev-c']);
    const and = await list(
      filter([
        { kind: 'parameter', path: 'Device.WiFi.SSID.1.SSID', op: 'prefix', value: 'home' },
        { kind: 'field', field: 'oui', op: 'ne', value: 'AAAAAA' },
      ]),
    );
    assert.deepEqual(serials(and), ['dev-c']);

    await h.request('POST', `/api/v1/devices/${ids['dev-c']}/tags`, {
      body: { tags: ['lab', 'eu'] },
    });
    await h.request('POST', `/api/v1/devices/${ids['dev-d']}/tags`, { body: { tags: ['lab'] } });
    assert.deepEqual(serials(await list('tag=lab')).sort(), ['dev-c', 'dev-d']);
    assert.deepEqual(serials(await list('tag=lab&tag=eu')), ['dev-c']);
    const lacks = await list(filter([{ kind: 'tag', tag: 'lab', op: 'lacks' }]));
    assert.equal(lacks.total, 3);
  });

  it('sorts, pages and projects', async () => {
    const desc = await list('sort=serialNumber&order=desc&limit=2');
    assert.equal(desc.total, 5);
    // Code-point order: '<' sorts before 'd'.
    assert.deepEqual(serials(desc), ['dev-d', 'dev-c']);
    const page2 = await list('sort=serialNumber&order=desc&limit=2&offset=2');
    assert.deepEqual(serials(page2), ['dev-b', 'dev-a']);
    const page3 = await list('sort=serialNumber&order=desc&limit=2&offset=4');
    assert.deepEqual(serials(page3), [HOSTILE_SERIAL]);
    const asc = await list('sort=lastInformAt&limit=1');
    assert.deepEqual(serials(asc), ['dev-a']);

    const projected = await list(
      `${filter([{ kind: 'field', field: 'serialNumber', op: 'eq', value: 'dev-a' }])}` +
        '&fields=oui&fields=serialNumber&tags=false&parameters=Device.WiFi.',
    );
    const [only] = projected.devices;
    assert.ok(only !== undefined);
    assert.deepEqual(Object.keys(only).sort(), ['id', 'oui', 'parameters', 'serialNumber']);
    const paths = (only.parameters as Array<{ path: string }>).map((p) => p.path);
    assert.deepEqual(paths, [
      'Device.WiFi.AccessPoint.1.Security.KeyPassphrase',
      'Device.WiFi.SSID.1.SSID',
    ]);
    const passphrase = only.parameters[0];
    assert.equal(passphrase.value, null);
    assert.equal(passphrase.secret, true);
  });

  it('names the offending field of a bad query', async () => {
    const cases: Array<[string, string]> = [
      ['sort=bogus', 'sort'],
      ['limit=0', 'limit'],
      ['limit=10001', 'limit'],
      ['offset=-1', 'offset'],
      ['fields=password', 'fields[0]'],
      ['colour=red', 'colour'],
      ['filter=not-json', 'filter'],
      [filter([{ kind: 'field', field: 'oui', op: 'like', value: 'A' }]), 'filter[0].op'],
      [filter([{ kind: 'field', field: 'secret', op: 'eq', value: 'A' }]), 'filter[0].field'],
      [filter([{ kind: 'nonsense' }]), 'filter[0].kind'],
      [filter([{ kind: 'parameter', path: 'X', op: 'eq' }]), 'filter[0].value'],
      [filter([{ kind: 'field', field: 'oui', op: 'null', value: 1 }]), 'filter[0].value'],
      [filter({ kind: 'tag' } as never), 'filter'],
    ];
    for (const [query, field] of cases) {
      const reply = await h.request('GET', `/api/v1/devices?${query}`);
      assert.equal(reply.status, 400, query);
      assert.equal(reply.json.error.code, 'invalid', query);
      assert.equal(reply.json.error.field, field, `${query}: ${reply.text}`);
      assert.ok(reply.json.error.message.includes(field.split('[')[0]!), reply.text);
    }
  });

  it('returns one device with its parameter tree, secret values never shown', async () => {
    const id = ids['dev-b']!;
    // A value the store holds as a secret (as after a SetParameterValues with a password).
    await h.store.parameters.upsert(id, [
      { path: 'Device.Users.User.1.Password', value: new Secret('stored-secret-9') },
      { path: 'Device.Users.User.1.Username', value: 'admin' },
    ]);
    const reply = await h.request('GET', `/api/v1/devices/${id}`, { token: h.tokens['read-only'] });
    assert.equal(reply.status, 200);
    assert.equal(reply.json.device.id, id);
    assert.equal(reply.json.device.serialNumber, 'dev-b');
    const byPath = new Map(
      (reply.json.parameters as Array<Record<string, Json>>).map((p) => [p.path, p]),
    );
    assert.equal(byPath.get('Device.DeviceInfo.UpTime')?.value, '700');
    assert.equal(byPath.get('Device.DeviceInfo.UpTime')?.type, 'unsignedInt');
    assert.equal(byPath.get('Device.Users.User.1.Username')?.value, 'admin');
    for (const path of [
      'Device.Users.User.1.Password',
      'Device.WiFi.AccessPoint.1.Security.KeyPassphrase',
    ]) {
      assert.equal(byPath.get(path)?.value, null, path);
      assert.equal(byPath.get(path)?.secret, true, path);
    }
    assert.ok(!reply.text.includes('stored-secret-9'));
    assert.ok(!reply.text.includes('passphrase-of-dev-b'));

    const subtree = await h.request('GET', `/api/v1/devices/${id}?prefix=Device.Users.`);
    assert.deepEqual(
      subtree.json.parameters.map((p: { path: string }) => p.path),
      ['Device.Users.User.1.Password', 'Device.Users.User.1.Username'],
    );
  });

  it('lists one level of the tree at a time, secrets still never shown', async () => {
    const id = ids['dev-c']!;
    const level = async (path: string) => {
      const reply = await h.request(
        'GET',
        `/api/v1/devices/${id}/children?path=${encodeURIComponent(path)}`,
        { token: h.tokens['read-only'] },
      );
      assert.equal(reply.status, 200, reply.text);
      return reply.json.children as Array<{
        path: string;
        object: boolean;
        parameter: Record<string, Json> | null;
      }>;
    };
    const top = await level('Device.');
    assert.ok(top.some((c) => c.path === 'Device.WiFi.' && c.object));
    assert.ok(
      top.every((c) => c.path.split('.').length <= 3),
      'direct children only',
    );
    const uptime = (await level('Device.DeviceInfo.')).find(
      (c) => c.path === 'Device.DeviceInfo.UpTime',
    );
    assert.deepEqual([uptime?.object, uptime?.parameter?.value], [false, '9']);
    const security = await level('Device.WiFi.AccessPoint.1.Security.');
    const passphrase = security.find((c) => c.path.endsWith('KeyPassphrase'))?.parameter;
    assert.deepEqual([passphrase?.value, passphrase?.secret], [null, true]);
    assert.deepEqual(
      (await level('')).map((c) => c.path),
      ['Device.'],
    );

    const leaf = await h.request(
      'GET',
      `/api/v1/devices/${id}/children?path=Device.DeviceInfo.UpTime`,
    );
    assert.equal(leaf.status, 400);
    assert.equal(leaf.json.error.field, 'path');
    const unknown = encodeDeviceId({ oui: '000000', productClass: 'X', serialNumber: 'none' });
    const missing = await h.request('GET', `/api/v1/devices/${unknown}/children?path=Device.`);
    assert.equal(missing.status, 404);
  });

  it('marks a parameter for fleet-wide search (admin), finding the same devices through the index', async () => {
    const bySsid = filter([
      { kind: 'parameter', path: 'Device.WiFi.SSID.1.SSID', op: 'prefix', value: 'home' },
    ]);
    const before = serials(await list(bySsid)).sort();
    assert.deepEqual(before, ['dev-a', 'dev-c']);
    const pattern = 'Device.WiFi.SSID.*.SSID';
    const denied = await h.request('POST', '/api/v1/indexed-parameters', {
      token: h.tokens.operator,
      body: { pattern },
    });
    assert.equal(denied.status, 403);
    const marked = await h.request('POST', '/api/v1/indexed-parameters', { body: { pattern } });
    assert.equal(marked.status, 201, marked.text);
    assert.deepEqual(marked.json.patterns, [pattern]);
    assert.equal(
      (await h.request('POST', '/api/v1/indexed-parameters', { body: { pattern } })).status,
      200,
      'marking twice changes nothing',
    );
    assert.deepEqual(serials(await list(bySsid)).sort(), before);
    const read = await h.request('GET', '/api/v1/indexed-parameters', {
      token: h.tokens['read-only'],
    });
    assert.deepEqual(read.json.patterns, [pattern]);
    const bad = await h.request('POST', '/api/v1/indexed-parameters', {
      body: { pattern: 'Device.WiFi.' },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.field, 'pattern');
    const query = `pattern=${encodeURIComponent(pattern)}`;
    assert.equal((await h.request('DELETE', `/api/v1/indexed-parameters?${query}`)).status, 204);
    assert.equal((await h.request('DELETE', `/api/v1/indexed-parameters?${query}`)).status, 404);
    assert.deepEqual(serials(await list(bySsid)).sort(), before);
  });

  it('carries hostile device strings inertly', async () => {
    const id = ids.hostile!;
    assert.match(id, /^[A-Za-z0-9._-]+$/);
    const reply = await h.request('GET', `/api/v1/devices/${id}`);
    assert.equal(reply.status, 200);
    assert.equal(reply.json.device.serialNumber, HOSTILE_SERIAL);
    assert.equal(reply.json.device.productClass, 'x-y_z');
    assert.match(String(reply.headers['content-type']), /^application\/json/);
    assert.equal(reply.headers['x-content-type-options'], 'nosniff');
    const found = await list(
      filter([{ kind: 'field', field: 'serialNumber', op: 'eq', value: HOSTILE_SERIAL }]),
    );
    assert.deepEqual(serials(found), [HOSTILE_SERIAL]);
  });

  it('refuses a malformed device id (400) and an unknown one (404)', async () => {
    for (const bad of ['four-parts-in-it', 'abcde', 'A_zz-B-C', 'AB-CD', 'A-b_2d-C']) {
      const reply = await h.request('GET', `/api/v1/devices/${bad}`);
      assert.equal(reply.status, 400, bad);
      assert.equal(reply.json.error.field, 'deviceId', bad);
    }
    const unknown = encodeDeviceId({ oui: '000000', productClass: 'X', serialNumber: 'none' });
    for (const path of [`/api/v1/devices/${unknown}`, `/api/v1/devices/${unknown}/events`]) {
      const reply = await h.request('GET', path);
      assert.equal(reply.status, 404, path);
      assert.equal(reply.json.error.code, 'not-found');
    }
  });

  it('lists a device’s Inform events, newest first', async () => {
    const reply = await h.request('GET', `/api/v1/devices/${ids['dev-a']}/events`);
    assert.equal(reply.status, 200);
    const codes = reply.json.events.map((e: { code: string }) => e.code).sort();
    assert.deepEqual(codes, ['0 BOOTSTRAP', '1 BOOT']);
    const one = await h.request('GET', `/api/v1/devices/${ids['dev-a']}/events?limit=1`);
    assert.equal(one.json.events.length, 1);
  });

  it('adds, removes and counts tags (operator), and validates them', async () => {
    const id = ids['dev-a']!;
    const added = await h.request('POST', `/api/v1/devices/${id}/tags`, {
      token: h.tokens.operator,
      body: { tags: ['zeta', 'alpha'] },
    });
    assert.equal(added.status, 200);
    assert.deepEqual(added.json.tags, ['alpha', 'zeta']);
    const removed = await h.request('DELETE', `/api/v1/devices/${id}/tags/zeta`, {
      token: h.tokens.operator,
    });
    assert.deepEqual(removed.json.tags, ['alpha']);
    const counts = await h.request('GET', '/api/v1/tags', { token: h.tokens['read-only'] });
    assert.deepEqual(
      counts.json.tags.find((t: { tag: string }) => t.tag === 'lab'),
      { tag: 'lab', devices: 2 },
    );
    for (const [body, field] of [
      [{ tags: [] }, 'tags'],
      [{ tags: [''] }, 'tags[0]'],
      [{ tags: ['x'.repeat(257)] }, 'tags[0]'],
      [{ tags: ['a'], tag: 'x' }, 'tag'],
      [{}, 'tags'],
    ] as const) {
      const reply = await h.request('POST', `/api/v1/devices/${id}/tags`, { body });
      assert.equal(reply.status, 400, JSON.stringify(body));
      assert.equal(reply.json.error.field, field, reply.text);
    }
  });

  it('tags a selection in bulk (operator), counting devices gone meanwhile', async () => {
    const selection = [ids['dev-b']!, ids['dev-c']!, 'AAAAAA-GW9-gone'];
    const bulk = (body: unknown, role: 'operator' | 'read-only' = 'operator') =>
      h.request('POST', '/api/v1/devices/tags', { token: h.tokens[role], body });
    assert.equal((await bulk({ deviceIds: selection, add: ['bulk'] }, 'read-only')).status, 403);
    const added = await bulk({ deviceIds: selection, add: ['bulk', 'wave-1'] });
    assert.equal(added.status, 200, added.text);
    assert.deepEqual(added.json, { updated: 2, missing: 1 });
    const tagsOf = async (serial: string) => (await h.store.devices.get(ids[serial]!))?.tags ?? [];
    assert.deepEqual(
      (await tagsOf('dev-c')).filter((t) => t === 'bulk' || t === 'wave-1'),
      ['bulk', 'wave-1'],
    );
    const removed = await bulk({ deviceIds: selection.slice(0, 2), remove: ['wave-1'] });
    assert.deepEqual(removed.json, { updated: 2, missing: 0 });
    assert.equal((await tagsOf('dev-b')).includes('wave-1'), false);
    assert.equal((await tagsOf('dev-b')).includes('bulk'), true);
    const nothing = await bulk({ deviceIds: selection });
    assert.equal(nothing.status, 400);
    const tooMany = await bulk({ deviceIds: Array(1001).fill(ids['dev-b']), add: ['x'] });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.json.error.field, 'deviceIds');
    await bulk({ deviceIds: selection.slice(0, 2), remove: ['bulk'] });
  });

  it('deletes a device (admin) with everything it had', async () => {
    const id = ids['dev-d']!;
    const reply = await h.request('DELETE', `/api/v1/devices/${id}`);
    assert.equal(reply.status, 204);
    assert.equal(reply.text, '');
    assert.equal((await h.request('GET', `/api/v1/devices/${id}`)).status, 404);
    assert.equal((await h.request('DELETE', `/api/v1/devices/${id}`)).status, 404);
    assert.equal((await list('')).total, 4);
  });
});
