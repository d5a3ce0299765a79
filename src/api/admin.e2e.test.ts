import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { encodeDeviceId } from '../store/device-id.ts';
import { Harness } from './testing/harness.ts';

let h: Harness;
const PASSWORDS = ['cpe-pass-31337', 'cr-pass-42424', 'cr-user-secret', 'bootstrap-pass-777'];

before(async () => {
  h = await Harness.start();
});
after(() => h.close());

describe('API keys (admin)', () => {
  it('shows a new key’s token once; the list never does', async () => {
    const created = await h.request('POST', '/api/v1/api-keys', {
      body: { name: 'ops dashboard', role: 'operator' },
    });
    assert.equal(created.status, 201, created.text);
    const { key, token } = created.json;
    assert.match(token, /^corral_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    assert.equal(key.name, 'ops dashboard');
    assert.equal(key.role, 'operator');
    assert.match(key.createdBy, /^api-key:/);
    assert.equal(created.headers['cache-control'], 'no-store');

    const listed = await h.request('GET', '/api/v1/api-keys');
    assert.equal(listed.status, 200);
    // The whole of it: the base64url secret has underscores of its own (split('_') could cut it to a fragment).
    const secretPart = token.replace(/^corral_[0-9a-f]{16}_/, '');
    assert.ok(!listed.text.includes(secretPart), 'the list shows the token');
    assert.ok(!/hash/i.test(listed.text), 'the list shows a hash');
    const entry = listed.json.keys.find((k: { id: string }) => k.id === key.id);
    assert.deepEqual(Object.keys(entry).sort(), [
      'createdAt',
      'createdBy',
      'expiresAt',
      'id',
      'lastUsedAt',
      'name',
      'revokedAt',
      'role',
    ]);

    // The token works with its role: operator may queue, may not manage keys.
    assert.equal((await h.request('GET', '/api/v1/tasks', { token })).status, 200);
    assert.equal((await h.request('GET', '/api/v1/api-keys', { token })).status, 403);

    const revoked = await h.request('DELETE', `/api/v1/api-keys/${key.id}`);
    assert.equal(revoked.status, 200);
    assert.equal(typeof revoked.json.revokedAt, 'number');
    assert.equal((await h.request('GET', '/api/v1/tasks', { token })).status, 401);
    assert.equal((await h.request('DELETE', '/api/v1/api-keys/ffffffffffffffff')).status, 404);
    assert.ok(!JSON.stringify(h.logs).includes(secretPart), 'the log shows the token');
  });

  it('validates a new key', async () => {
    const cases: Array<[unknown, string]> = [
      [{ name: 'x', role: 'root' }, 'role'],
      [{ name: '', role: 'admin' }, 'name'],
      [{ role: 'admin' }, 'name'],
      [{ name: 'x', role: 'admin', expiresAt: 1 }, 'expiresAt'],
      [{ name: 'x', role: 'admin', token: 'chosen' }, 'token'],
    ];
    for (const [body, field] of cases) {
      const reply = await h.request('POST', '/api/v1/api-keys', { body });
      assert.equal(reply.status, 400, JSON.stringify(body));
      assert.equal(reply.json.error.field, field, reply.text);
    }
    const bad = await h.request('DELETE', '/api/v1/api-keys/NOT-AN-ID');
    assert.equal(bad.json.error.field, 'keyId');
  });

  it('lists the allowed values when an enum is refused, and documents per-field details', async () => {
    const role = await h.request('POST', '/api/v1/api-keys', { body: { name: 'x', role: 'root' } });
    assert.equal(role.json.error.message, 'role must be one of read-only, operator, admin');
    const { id } = await h.informDevice('enum-1');
    const type = await h.request('POST', `/api/v1/devices/${id}/tasks`, {
      body: { type: 'rebootNow' },
    });
    assert.equal(type.status, 400);
    assert.equal(type.json.error.field, 'type');
    assert.match(type.json.error.message, /^type must be one of getParameterValues, .*reboot, /);
    const state = await h.request('GET', '/api/v1/tasks?state=sleeping');
    assert.match(state.json.error.message, /must be one of pending, /);
    const doc = (await h.request('GET', '/openapi.json')).json;
    const body =
      doc.paths['/api/v1/api-keys'].post.responses['400'].content['application/json'].schema;
    const error =
      body.properties?.error ??
      doc.components?.schemas?.[body.$ref?.split('/').at(-1)]?.properties?.error;
    assert.deepEqual(Object.keys(error.properties.details.items.properties), ['field', 'message']);
  });
});

describe('credentials (admin, write-only)', () => {
  const deviceId = encodeDeviceId({ oui: '00D09E', productClass: 'GW', serialNumber: 'cred-1' });
  const other = encodeDeviceId({ oui: '00D09E', productClass: 'GW', serialNumber: 'cred-2' });

  it('sets a CPE credential before the first Inform; never returns its password', async () => {
    const put = await h.request('PUT', `/api/v1/devices/${deviceId}/credentials/cpe`, {
      body: { username: 'cpe-user-1', password: 'cpe-pass-31337' },
    });
    assert.equal(put.status, 204, put.text);
    const stored = await h.store.credentials.getCpe(deviceId);
    assert.equal(stored?.username, 'cpe-user-1');
    assert.ok(stored?.password.equals('cpe-pass-31337'));

    const got = await h.request('GET', `/api/v1/devices/${deviceId}/credentials`);
    assert.equal(got.status, 200);
    assert.equal(got.json.cpe.username, 'cpe-user-1');
    assert.equal(got.json.connectionRequest, null);
    assert.deepEqual(Object.keys(got.json.cpe).sort(), ['updatedAt', 'username']);

    const taken = await h.request('PUT', `/api/v1/devices/${other}/credentials/cpe`, {
      body: { username: 'cpe-user-1', password: 'whatever-else' },
    });
    assert.equal(taken.status, 409);
  });

  it('sets a connection-request credential; even its username stays hidden', async () => {
    const put = await h.request(
      'PUT',
      `/api/v1/devices/${deviceId}/credentials/connection-request`,
      {
        body: { username: 'cr-user-secret', password: 'cr-pass-42424' },
      },
    );
    assert.equal(put.status, 204);
    const got = await h.request('GET', `/api/v1/devices/${deviceId}/credentials`);
    assert.equal(got.json.connectionRequest.configured, true);
    assert.ok(
      (await h.store.credentials.getConnectionRequest(deviceId))?.password.equals('cr-pass-42424'),
    );
    const gone = await h.request(
      'DELETE',
      `/api/v1/devices/${deviceId}/credentials/connection-request`,
    );
    assert.equal(gone.status, 204);
    const again = await h.request(
      'DELETE',
      `/api/v1/devices/${deviceId}/credentials/connection-request`,
    );
    assert.equal(again.status, 404);
  });

  it('refuses credentials from a non-admin and malformed ones', async () => {
    const operator = await h.request('PUT', `/api/v1/devices/${deviceId}/credentials/cpe`, {
      token: h.tokens.operator,
      body: { username: 'u', password: 'p' },
    });
    assert.equal(operator.status, 403);
    const cases: Array<[unknown, string]> = [
      [{ username: 'u' }, 'password'],
      [{ username: 'u', password: '' }, 'password'],
      [{ username: '', password: 'p' }, 'username'],
      [{ username: 'u', password: 'p', realm: 'x' }, 'realm'],
      [{ username: 'u', password: 5 }, 'password'],
    ];
    for (const [body, field] of cases) {
      const reply = await h.request('PUT', `/api/v1/devices/${deviceId}/credentials/cpe`, { body });
      assert.equal(reply.status, 400, JSON.stringify(body));
      assert.equal(reply.json.error.field, field, reply.text);
    }
  });

  it('puts, lists and deletes bootstrap credentials; an unlimited one is refused', async () => {
    const unlimited = await h.request('PUT', '/api/v1/bootstrap-credentials/factory', {
      body: { password: 'bootstrap-pass-777', allow: {} },
    });
    assert.equal(unlimited.status, 400);
    assert.equal(unlimited.json.error.field, 'allow');

    const put = await h.request('PUT', '/api/v1/bootstrap-credentials/factory', {
      body: {
        password: 'bootstrap-pass-777',
        allow: { ouis: ['00D09E'], serialPattern: 'SN-*' },
      },
    });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.json.allow, {
      ouis: ['00D09E'],
      productClasses: [],
      serialPattern: 'SN-*',
    });
    assert.equal(put.json.enabled, true);
    const stored = await h.store.credentials.getBootstrap('factory');
    assert.ok(stored?.password.equals('bootstrap-pass-777'));

    const listed = await h.request('GET', '/api/v1/bootstrap-credentials');
    assert.deepEqual(
      listed.json.credentials.map((c: { username: string }) => c.username),
      ['factory'],
    );
    assert.equal((await h.request('DELETE', '/api/v1/bootstrap-credentials/factory')).status, 204);
    assert.equal((await h.request('DELETE', '/api/v1/bootstrap-credentials/factory')).status, 404);
  });

  it('never put a password in any response or the log', async () => {
    // Every read route an admin has, after the writes above.
    const reads = await Promise.all(
      [
        `/api/v1/devices/${deviceId}/credentials`,
        '/api/v1/bootstrap-credentials',
        '/api/v1/api-keys',
      ].map((path) => h.request('GET', path)),
    );
    assert.ok(reads.every((r) => r.status === 200));
    const text = h.transcript.join('\n') + JSON.stringify(h.logs);
    for (const secret of PASSWORDS) assert.ok(!text.includes(secret), `${secret} leaked`);
  });
});
