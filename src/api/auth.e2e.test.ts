import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { roleAtLeast } from '../store/api-keys.ts';
import { ApiConfigError, type RouteInfo, startApi } from './api.ts';
import { Harness } from './testing/harness.ts';

let h: Harness;
let deviceId: string;

before(async () => {
  h = await Harness.start();
  deviceId = (await h.informDevice('auth-1')).id;
});
after(() => h.close());

/** A concrete URL for a route pattern: every path parameter filled with a well-formed value. */
function urlOf(route: RouteInfo): string {
  const samples: Record<string, string> = {
    deviceId,
    taskId: '1',
    keyId: '0123456789abcdef',
    username: 'someone',
    tag: 'lab',
    sessionId: 'abc',
    name: 'some-preset',
    fileId: '0123456789abcdef0123456789abcdef',
    uploadId: '0123456789abcdef0123456789abcdef',
    campaignId: '1',
  };
  return route.url.replace(/:(\w+)/g, (_m, name: string) => {
    const value = samples[name];
    assert.ok(value !== undefined, `no sample for path parameter ${name} of ${route.url}`);
    return value;
  });
}

const WRONG_TOKENS = [
  'corral_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  'not-a-token',
  `${Harness.ADMIN_KEY}x`,
];

describe('API authentication and roles, over every route', () => {
  it('has the routes it documents, each with a role', () => {
    const routes = h.api.routes;
    assert.ok(routes.length >= 28, `only ${routes.length} routes`);
    const keys = new Set(routes.map((r) => `${r.method} ${r.url}`));
    assert.equal(keys.size, routes.length, 'a route is registered twice');
    for (const must of [
      'GET /openapi.json',
      'GET /api/v1/devices',
      'DELETE /api/v1/devices/:deviceId',
      'POST /api/v1/devices/:deviceId/tasks',
      'POST /api/v1/api-keys',
      'PUT /api/v1/devices/:deviceId/credentials/cpe',
      'PUT /api/v1/presets/:name',
      'DELETE /api/v1/presets/:name',
      'GET /api/v1/devices/:deviceId/provisioning',
      'POST /api/v1/files',
      'GET /api/v1/files/:fileId/content',
      'GET /api/v1/uploads/:uploadId/content',
    ]) {
      assert.ok(keys.has(must), `missing ${must}`);
    }
  });

  it('answers 401 with a JSON error and a Bearer challenge to every route without a key', async () => {
    for (const route of h.api.routes) {
      const reply = await h.request(route.method, urlOf(route), { token: null });
      assert.equal(reply.status, 401, `${route.method} ${route.url}`);
      assert.equal(reply.json?.error?.code, 'unauthenticated', `${route.method} ${route.url}`);
      assert.match(String(reply.headers['www-authenticate']), /^Bearer /);
    }
  });

  it('answers 401 to every route with a wrong, malformed or revoked key', async () => {
    const { key, token } = await h.store.apiKeys.create({ name: 'revoked', role: 'admin' });
    await h.store.apiKeys.revoke(key.id);
    for (const route of h.api.routes) {
      for (const wrong of [...WRONG_TOKENS, token.reveal()]) {
        const reply = await h.request(route.method, urlOf(route), { token: wrong });
        assert.equal(reply.status, 401, `${route.method} ${route.url} with ${wrong.slice(0, 12)}`);
      }
    }
  });

  it('answers 403 to every route a role may not use, before looking at the body', async () => {
    let checked = 0;
    for (const route of h.api.routes) {
      for (const role of ['read-only', 'operator'] as const) {
        if (roleAtLeast(role, route.role)) continue;
        const reply = await h.request(route.method, urlOf(route), { token: h.tokens[role] });
        assert.equal(reply.status, 403, `${role} on ${route.method} ${route.url}`);
        assert.equal(reply.json?.error?.code, 'forbidden');
        checked++;
      }
    }
    assert.ok(checked >= 20, `only ${checked} forbidden combinations`);
  });

  it('lets each role through to the routes it may use (never 401 or 403)', async () => {
    for (const route of h.api.routes) {
      if (route.method !== 'GET') continue;
      for (const role of ['read-only', 'operator', 'admin'] as const) {
        if (!roleAtLeast(role, route.role)) continue;
        // The status is all this asks: the event stream, for one, never ends.
        const reply = await h.request('GET', urlOf(route), {
          token: h.tokens[role],
          headersOnly: true,
        });
        assert.ok(
          ![401, 403].includes(reply.status),
          `${role} on GET ${route.url}: ${reply.status}`,
        );
      }
    }
  });

  it('accepts the environment admin key and stored keys as Bearer or X-API-Key, but not both', async () => {
    const bearer = await h.request('GET', '/api/v1/api-keys', { token: Harness.ADMIN_KEY });
    assert.equal(bearer.status, 200);
    const header = await h.request('GET', '/api/v1/api-keys', {
      token: null,
      headers: { 'x-api-key': Harness.ADMIN_KEY },
    });
    assert.equal(header.status, 200);
    const lower = await h.request('GET', '/api/v1/devices', {
      token: null,
      headers: { authorization: `bearer ${h.tokens['read-only']}` },
    });
    assert.equal(lower.status, 200);
    const both = await h.request('GET', '/api/v1/devices', {
      headers: { 'x-api-key': h.tokens.admin },
    });
    assert.equal(both.status, 401);
    const basic = await h.request('GET', '/api/v1/devices', {
      token: null,
      headers: { authorization: `Basic ${Buffer.from(`a:${h.tokens.admin}`).toString('base64')}` },
    });
    assert.equal(basic.status, 401);
  });

  it('refuses an expired key', async () => {
    const { token } = await h.store.apiKeys.create({
      name: 'short-lived',
      role: 'admin',
      expiresAt: Date.now() + 100,
    });
    assert.equal((await h.request('GET', '/api/v1/tags', { token: token.reveal() })).status, 200);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal((await h.request('GET', '/api/v1/tags', { token: token.reveal() })).status, 401);
  });

  it('hides unknown routes behind authentication: 401 without a key, 404 with one', async () => {
    const anonymous = await h.request('GET', '/api/v1/nothing-here', { token: null });
    assert.equal(anonymous.status, 401);
    const known = await h.request('GET', '/api/v1/nothing-here');
    assert.equal(known.status, 404);
    assert.equal(known.json.error.code, 'not-found');
  });

  it('never logs a token, and logs the failures', async () => {
    const text = JSON.stringify(h.logs);
    for (const token of [...Object.values(h.tokens), ...WRONG_TOKENS, Harness.ADMIN_KEY]) {
      assert.ok(!text.includes(token), 'a token reached the log');
      assert.ok(!text.includes(token.slice(-20)), 'part of a token reached the log');
    }
    const failures = h.logs.filter((l) => l.event === 'api-auth-failed');
    assert.ok(failures.length > 0);
    assert.ok(failures.some((l) => l.fields.reason === 'missing'));
    assert.ok(failures.some((l) => l.fields.keyId === '0123456789abcdef'));
  });

  it('refuses to start with a short admin key', async () => {
    await assert.rejects(
      startApi({
        store: h.store,
        host: '127.0.0.1',
        port: 0,
        adminKey: 'short',
        connectionRequest: async () => ({ ok: true }),
        log: () => {},
      }),
      ApiConfigError,
    );
  });
});
