import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { parseApiToken } from '../store/api-keys.ts';
import type { AuditEntry } from '../store/audit.ts';
import { encodeDeviceId } from '../store/device-id.ts';
import { Secret } from '../store/secret.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import { type RouteInfo, startApi } from './api.ts';
import { MAX_AUDIT_BODY_BYTES, REDACTED } from './audit.ts';
import { Harness, type Json } from './testing/harness.ts';

let h: Harness;
let deviceId: string;
/** A device deleted by a test. */
let doomed: string;
const ids = {} as Record<'admin' | 'operator' | 'read-only', string>;
const actor = (role: keyof typeof ids) => `api-key:${ids[role]}`;
const as = (role: keyof typeof ids) => ({ token: h.tokens[role] });

before(async () => {
  h = await Harness.start();
  deviceId = (await h.informDevice('audit-1')).id;
  doomed = (await h.informDevice('audit-doomed')).id;
  for (const role of ['admin', 'operator', 'read-only'] as const) {
    ids[role] = parseApiToken(h.tokens[role])?.id ?? '';
  }
});
after(() => h.close());

/** Every entry, newest first, through the API (as the admin). */
async function audit(query = ''): Promise<{ entries: AuditEntry[]; text: string }> {
  const reply = await h.request('GET', `/api/v1/audit?limit=10000${query}`);
  assert.equal(reply.status, 200, reply.text);
  return { entries: reply.json.entries, text: reply.text };
}

/** The newest entry, which must be the only one written since `before` (an entry id). */
async function lastEntry(before: number): Promise<AuditEntry> {
  const { entries } = await audit();
  const fresh = entries.filter((e) => e.id > before);
  assert.equal(fresh.length, 1, `one new entry expected, got ${JSON.stringify(fresh)}`);
  return fresh[0]!;
}

async function newestId(): Promise<number> {
  const reply = await h.request('GET', '/api/v1/audit?limit=1');
  assert.equal(reply.status, 200, reply.text);
  return reply.json.entries[0]?.id ?? 0;
}

const body = (e: AuditEntry) => (e.details as Json).body;

/** Who, what, on what, how it ended. */
const summary = (e: AuditEntry) => [e.actor, e.action, e.target, e.outcome];

describe('the audit log of API changes', () => {
  it('records changes with actor, action, target and outcome: presets, tasks, keys, credentials, deletions', async () => {
    let mark = await newestId();
    const put = await h.request('PUT', '/api/v1/presets/wifi', {
      ...as('operator'),
      body: {
        weight: 1,
        declarations: { values: [{ path: 'Device.WiFi.SSID.1.SSID', value: 'corral' }] },
      },
    });
    assert.equal(put.status, 201, put.text);
    let e = await lastEntry(mark);
    assert.deepEqual(summary(e), [actor('operator'), 'PUT /api/v1/presets/:name', 'wifi', 201]);
    assert.deepEqual((e.details as Json).params, { name: 'wifi' });
    assert.equal(body(e).declarations.values[0].value, 'corral', 'non-secret values stay');
    assert.ok(Math.abs(e.at - Date.now()) < 60_000);

    mark = e.id;
    const task = await h.request('POST', `/api/v1/devices/${deviceId}/tasks`, {
      ...as('operator'),
      body: { type: 'getParameterValues', parameterNames: ['Device.'] },
    });
    assert.equal(task.status, 202, task.text);
    e = await lastEntry(mark);
    assert.deepEqual(summary(e), [
      actor('operator'),
      'POST /api/v1/devices/:deviceId/tasks',
      deviceId,
      202,
    ]);
    assert.equal((e.details as Json).result.taskId, task.json.task.id, 'the task is named');
    assert.equal(task.json.task.createdBy, e.actor);

    mark = e.id;
    const key = await h.request('POST', '/api/v1/api-keys', {
      token: Harness.ADMIN_KEY,
      body: { name: 'robot', role: 'read-only' },
    });
    assert.equal(key.status, 201);
    const keyId: string = key.json.key.id;
    e = await lastEntry(mark);
    assert.deepEqual(summary(e), ['admin-key', 'POST /api/v1/api-keys', keyId, 201]);
    assert.deepEqual(body(e), { name: 'robot', role: 'read-only' });

    mark = e.id;
    const cred = await h.request('PUT', `/api/v1/devices/${deviceId}/credentials/cpe`, {
      body: { username: 'cpe-user', password: 'cpe-password-value' },
    });
    assert.equal(cred.status, 204);
    e = await lastEntry(mark);
    const credAction = 'PUT /api/v1/devices/:deviceId/credentials/cpe';
    assert.deepEqual(summary(e), [actor('admin'), credAction, deviceId, 204]);
    assert.deepEqual(body(e), { username: 'cpe-user', password: REDACTED });

    const deletions: [string, string, string, number][] = [
      ['/api/v1/presets/wifi', 'DELETE /api/v1/presets/:name', 'wifi', 204],
      ['/api/v1/presets/wifi', 'DELETE /api/v1/presets/:name', 'wifi', 404],
      [`/api/v1/api-keys/${keyId}`, 'DELETE /api/v1/api-keys/:keyId', keyId, 200],
      [
        `/api/v1/devices/${deviceId}/credentials/cpe`,
        `DELETE ${credAction.slice(4)}`,
        deviceId,
        204,
      ],
      [`/api/v1/devices/${doomed}`, 'DELETE /api/v1/devices/:deviceId', doomed, 204],
    ];
    for (const [url, action, target, status] of deletions) {
      mark = e.id;
      assert.equal((await h.request('DELETE', url)).status, status, url);
      e = await lastEntry(mark);
      assert.deepEqual(summary(e), [actor('admin'), action, target, status]);
    }

    mark = e.id;
    await h.request('POST', `/api/v1/devices/${deviceId}/tags`, { body: { tags: ['lab'] } });
    e = await lastEntry(mark);
    assert.deepEqual(summary(e).slice(1, 3), ['POST /api/v1/devices/:deviceId/tags', deviceId]);
    assert.equal((await h.request('DELETE', `/api/v1/devices/${deviceId}/tags/lab`)).status, 200);
    e = await lastEntry(e.id);
    assert.equal(e.target, `${deviceId}/lab`, 'several path parameters are joined by /');
  });

  it('records refusals: a read-only key’s 403, an invalid body’s 400; not reads, not 401s', async () => {
    let mark = await newestId();
    const refused = await h.request('POST', `/api/v1/devices/${deviceId}/tasks`, {
      ...as('read-only'),
      body: { type: 'reboot' },
    });
    assert.equal(refused.status, 403);
    let e = await lastEntry(mark);
    assert.deepEqual(summary(e), [
      actor('read-only'),
      'POST /api/v1/devices/:deviceId/tasks',
      deviceId,
      403,
    ]);
    assert.equal(body(e), null, 'the body of a refused request is never read');

    mark = e.id;
    const invalid = await h.request('PUT', '/api/v1/presets/bad', {
      ...as('operator'),
      body: { weight: 'heavy' },
    });
    assert.equal(invalid.status, 400);
    e = await lastEntry(mark);
    assert.equal(e.outcome, 400);
    assert.deepEqual(body(e), { weight: 'heavy' });

    mark = e.id;
    const anonymous = await h.request('DELETE', `/api/v1/devices/${deviceId}`, { token: null });
    assert.equal(anonymous.status, 401);
    const wrong = await h.request('POST', '/api/v1/api-keys', {
      token: 'not-a-token',
      body: { name: 'x', role: 'admin' },
    });
    assert.equal(wrong.status, 401);
    assert.equal((await h.request('GET', '/api/v1/devices')).status, 200);
    assert.equal(await newestId(), mark, 'neither 401s nor reads are recorded');
    assert.ok(h.logs.some((l) => l.event === 'api-auth-failed' && l.fields.method === 'DELETE'));

    const unknown = await h.request('POST', '/api/v1/no-such-thing/x', { body: { a: 1 } });
    assert.equal(unknown.status, 404);
    e = await lastEntry(mark);
    assert.equal(e.action, 'POST (no route)');
    assert.equal((e.details as Json).path, '/api/v1/no-such-thing/x');
  });

  it('audits every mutating route, whatever it answers', async () => {
    const other = encodeDeviceId({ oui: '00D09E', productClass: 'GW', serialNumber: 'none' });
    const urlOf = (route: RouteInfo) =>
      route.url.replace(/:(\w+)/g, (_m, name: string) => (name === 'deviceId' ? other : '1'));
    let checked = 0;
    for (const route of h.api.routes) {
      if (route.method === 'GET') continue;
      for (const role of ['read-only', 'admin'] as const) {
        const mark = await newestId();
        const reply = await h.request(route.method, urlOf(route), as(role));
        const e = await lastEntry(mark);
        assert.equal(e.action, `${route.method} ${route.url}`);
        assert.equal(e.outcome, reply.status, `${route.method} ${route.url}`);
        assert.equal(e.actor, actor(role));
        checked++;
      }
    }
    assert.ok(checked >= 30, `only ${checked} mutating requests`);
  });

  it('shows no secret: API key tokens, passwords, secret parameter values', async () => {
    const secrets: string[] = [];
    const secret = (label: string) => {
      const value = `${label}-${randomBytes(8).toString('hex')}`;
      secrets.push(value);
      return value;
    };
    // An API key's token: in the response only, never in the audit.
    const created = await h.request('POST', '/api/v1/api-keys', {
      body: { name: 'dashboard', role: 'operator' },
    });
    assert.equal(created.status, 201);
    // The secret part whole: base64url has underscores of its own (split('_') cut it, at times to nothing).
    secrets.push(created.json.token, created.json.token.replace(/^corral_[0-9a-f]{16}_/, ''));
    // …nor when someone pastes a token where it does not belong (a 400, audited with its body).
    const pasted = await h.request('PUT', '/api/v1/presets/leak', {
      body: { weight: 1, note: `my key is ${created.json.token}` },
    });
    assert.equal(pasted.status, 400);
    const invented = secret('chosen-token');
    await h.request('POST', '/api/v1/api-keys', {
      body: { name: 'x', role: 'admin', token: invented },
    });

    // Credentials: the CPE password; the connection-request username and password.
    await h.request('PUT', `/api/v1/devices/${deviceId}/credentials/cpe`, {
      body: { username: 'cpe-user', password: secret('cpe-pass') },
    });
    const cr = await h.request(
      'PUT',
      `/api/v1/devices/${deviceId}/credentials/connection-request`,
      {
        body: { username: secret('cr-user'), password: secret('cr-pass') },
      },
    );
    assert.equal(cr.status, 204);
    const boot = await h.request('PUT', '/api/v1/bootstrap-credentials/boot-user', {
      body: { password: secret('boot-pass'), allow: { ouis: ['00D09E'] } },
    });
    assert.equal(boot.status, 200, boot.text);

    // SetParameterValues: by name, by `secret: true`, and by what the store keeps as a secret.
    await h.store.parameters.upsert(deviceId, [
      { path: 'Device.X_Vendor.Code', value: new Secret('old'), type: 'string' },
    ]);
    const spv = await h.request('POST', `/api/v1/devices/${deviceId}/tasks`, {
      ...as('operator'),
      body: {
        type: 'setParameterValues',
        parameters: [
          { name: 'Device.WiFi.AccessPoint.1.Security.KeyPassphrase', value: secret('wpa') },
          { name: 'Device.X_ACME_Lock.Pin', value: secret('flagged'), secret: true },
          { name: 'Device.X_Vendor.Code', value: secret('stored') },
          { name: 'Device.WiFi.SSID.1.SSID', value: 'visible-ssid' },
        ],
      },
    });
    assert.equal(spv.status, 202, spv.text);
    const download = await h.request('POST', `/api/v1/devices/${deviceId}/tasks`, {
      ...as('operator'),
      body: {
        type: 'download',
        fileType: '1 Firmware Upgrade Image',
        url: 'http://files.example/fw.bin',
        username: 'fw',
        password: secret('download-pass'),
      },
    });
    assert.equal(download.status, 202, download.text);

    // A preset setting passwords, as declared values and as an instance's values.
    const preset = await h.request('PUT', '/api/v1/presets/secrets', {
      ...as('operator'),
      body: {
        weight: 1,
        declarations: {
          values: [
            { path: 'Device.Users.User.1.Password', value: secret('user-pass') },
            { path: 'Device.Users.User.1.Username', value: 'visible-user' },
          ],
          instances: [
            {
              object: 'Device.WiFi.AccessPoint.',
              keys: { SSIDReference: 'Device.WiFi.SSID.1.' },
              values: { 'Security.KeyPassphrase': secret('psk') },
            },
          ],
        },
      },
    });
    assert.equal(preset.status, 201, preset.text);

    const { entries, text } = await audit();
    for (const s of secrets) assert.ok(!text.includes(s), `a secret is in the audit: ${s}`);
    // Redacted in place, not dropped: the entries are there and say so.
    const spvBody = body(
      entries.find((e) => (e.details as Json).result?.taskId === spv.json.task.id)!,
    );
    assert.deepEqual(
      spvBody.parameters.map((p: Json) => p.value),
      [REDACTED, REDACTED, REDACTED, 'visible-ssid'],
    );
    const crBody = body(entries.find((e) => e.action.endsWith('/credentials/connection-request'))!);
    assert.deepEqual(crBody, { username: REDACTED, password: REDACTED });
    const presetBody = body(entries.find((e) => e.target === 'secrets')!);
    assert.deepEqual(
      presetBody.declarations.values.map((v: Json) => v.value),
      [REDACTED, 'visible-user'],
    );
    assert.equal(presetBody.declarations.instances[0].values['Security.KeyPassphrase'], REDACTED);
    assert.equal(presetBody.declarations.instances[0].keys.SSIDReference, 'Device.WiFi.SSID.1.');
    const leak = body(entries.find((e) => e.target === 'leak')!);
    assert.match(leak.note, /^my key is corral_[0-9a-f]{16}_\[redacted\]$/);
    // The log never had them either.
    const logged = JSON.stringify(h.logs);
    for (const s of secrets) assert.ok(!logged.includes(s), `a secret is in the log: ${s}`);

    // A preset name may look like a token (the preset route logs it; the audit masks it).
    await h.request('PUT', `/api/v1/presets/${created.json.token}`, { body: { weight: 1 } });
    const latest = (await audit()).entries[0]!;
    assert.equal(latest.target, `corral_${created.json.key.id}_${REDACTED}`);
    const secretPart = created.json.token.replace(/^corral_[0-9a-f]{16}_/, '');
    assert.ok(!JSON.stringify(latest).includes(secretPart));
  });

  it('summarises a large body and keeps every entry within 8 KB', async () => {
    const mark = await newestId();
    const values = Array.from({ length: 300 }, (_, i) => ({
      path: `Device.X_00D09E_Bulk.P${i}`,
      value: `v${i}`,
    }));
    const put = await h.request('PUT', '/api/v1/presets/big', {
      ...as('operator'),
      body: { weight: 1, declarations: { values } },
    });
    assert.equal(put.status, 201, put.text);
    const summary = body(await lastEntry(mark));
    assert.equal(summary.summarised, true);
    assert.ok(summary.bytes > MAX_AUDIT_BODY_BYTES);
    assert.deepEqual(summary.keys, ['weight', 'declarations']);
    for (const e of (await audit()).entries) {
      assert.ok(Buffer.byteLength(JSON.stringify(e.details)) <= 8192);
    }
  });

  it('is readable by admins only, with filters and pages', async () => {
    for (const role of ['operator', 'read-only'] as const) {
      const reply = await h.request('GET', '/api/v1/audit', as(role));
      assert.equal(reply.status, 403);
    }
    const all = (await audit()).entries;
    assert.ok(all.length > 40);
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1]!, all[i]!];
      assert.ok(a.at > b.at || (a.at === b.at && a.id > b.id), 'newest first');
    }
    const defaults = await h.request('GET', '/api/v1/audit');
    assert.equal(defaults.json.entries.length, Math.min(100, all.length));

    const middle = all[Math.floor(all.length / 2)]!;
    const action = 'PUT /api/v1/presets/:name';
    const cases: [string, (e: AuditEntry) => boolean][] = [
      [`actor=${actor('read-only')}`, (e) => e.actor === actor('read-only')],
      [`action=${encodeURIComponent(action)}`, (e) => e.action === action],
      [`target=${deviceId}`, (e) => e.target === deviceId],
      [`since=${middle.at}`, (e) => e.at >= middle.at],
      [`until=${middle.at}`, (e) => e.at <= middle.at],
      [`since=${middle.at}&until=${middle.at}`, (e) => e.at === middle.at],
    ];
    for (const [query, keep] of cases) {
      const expected = all.filter(keep);
      assert.ok(expected.length > 0 && expected.length < all.length, `${query} filters`);
      assert.deepEqual((await audit(`&${query}`)).entries, expected, query);
    }
    const pages: number[] = [];
    for (let offset = 0; offset < all.length; offset += 7) {
      const reply = await h.request('GET', `/api/v1/audit?limit=7&offset=${offset}`);
      pages.push(...reply.json.entries.map((e: AuditEntry) => e.id));
    }
    assert.deepEqual(
      pages,
      all.map((e) => e.id),
    );

    for (const bad of ['limit=10001', 'offset=-1', 'since=abc', 'since=5&until=4', 'who=me']) {
      const reply = await h.request('GET', `/api/v1/audit?${bad}`);
      assert.equal(reply.status, 400, bad);
    }
  });
});

describe('an audit write that fails', () => {
  it('never fails the request, and is logged without secrets', async () => {
    const real = await openSqliteStore({ path: ':memory:', secretKey: randomBytes(32) });
    // The real store, except that its audit log refuses every write.
    const store = Object.create(real) as Store;
    Object.defineProperty(store, 'audit', {
      value: {
        record: () => {
          throw new Error('disk full');
        },
        list: real.audit.list.bind(real.audit),
      },
    });
    const logs: { event: string; fields: Record<string, unknown> }[] = [];
    const adminKey = `admin-${randomBytes(16).toString('hex')}`;
    const api = await startApi({
      store,
      host: '127.0.0.1',
      port: 0,
      adminKey,
      connectionRequest: async () => ({ ok: false, reason: 'none' }),
      log: (event, fields) => logs.push({ event, fields }),
    });
    try {
      const reply = await fetch(`${api.url}/api/v1/api-keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'still works', role: 'operator' }),
      });
      assert.equal(reply.status, 201);
      const { token } = (await reply.json()) as { token: string };
      assert.ok((await real.apiKeys.verify(token)) !== null, 'the change happened');
      const failures = logs.filter((l) => l.event === 'audit-error');
      assert.equal(failures.length, 1);
      assert.deepEqual(failures[0]!.fields, {
        method: 'POST',
        route: '/api/v1/api-keys',
        status: 201,
        error: 'Error',
      });
      assert.ok(!JSON.stringify(logs).includes(token));
    } finally {
      await api.close();
      await real.close();
    }
  });
});
