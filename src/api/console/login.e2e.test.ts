import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../../store/secret.ts';
import { Harness, type Reply } from '../testing/harness.ts';

const PASSWORD = 'a long enough password';

function cookieOf(reply: Reply): string {
  const header = [reply.headers['set-cookie'] ?? []].flat()[0] ?? '';
  return header.split(';')[0] ?? '';
}

describe('console login, browser sessions and CSRF', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ authThrottle: { freeFailures: 3, baseDelayMs: 60_000 } });
    await h.store.users.create({ name: 'alice', role: 'operator', password: new Secret(PASSWORD) });
    await h.store.users.create({ name: 'root', role: 'admin', password: new Secret(PASSWORD) });
  });
  after(() => h.close());

  async function login(username: string, password = PASSWORD, localAddress?: string) {
    const reply = await h.request('POST', '/api/v1/login', {
      token: null,
      body: { username, password },
      ...(localAddress ? { localAddress } : {}),
    });
    return { reply, cookie: cookieOf(reply), csrf: reply.json?.csrfToken as string };
  }

  it('logs in with an HttpOnly SameSite=Strict cookie that works like a key of the user’s role', async () => {
    const { reply, cookie, csrf } = await login('alice');
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json.user, { name: 'alice', role: 'operator' });
    const setCookie = String([reply.headers['set-cookie']].flat()[0]);
    assert.match(
      setCookie,
      /^corral_session=cs_[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    assert.equal(
      reply.text.includes(cookie.split('=')[1] ?? '?'),
      false,
      'the token is not in the body',
    );

    const me = await h.request('GET', '/api/v1/session', { token: null, headers: { cookie } });
    assert.equal(me.status, 200);
    assert.deepEqual(me.json, {
      user: { name: 'alice', role: 'operator' },
      role: 'operator',
      csrfToken: csrf,
    });
    assert.equal(
      (await h.request('GET', '/api/v1/devices', { token: null, headers: { cookie } })).status,
      200,
    );
    // An operator may not do an admin's work with the cookie any more than with a key.
    const keys = await h.request('GET', '/api/v1/api-keys', { token: null, headers: { cookie } });
    assert.equal(keys.status, 403);
  });

  it('a change with the cookie needs the session’s CSRF token; a forged cookie is 401', async () => {
    const { cookie, csrf } = await login('alice');
    const { id } = await h.informDevice('CSRF-1');
    const tag = (headers: Record<string, string>) =>
      h.request('POST', `/api/v1/devices/${id}/tags`, {
        token: null,
        headers,
        body: { tags: ['x'] },
      });
    const without = await tag({ cookie });
    assert.equal(without.status, 403);
    assert.equal(without.json.error.code, 'csrf');
    const other = await login('alice');
    assert.equal(
      (await tag({ cookie, 'x-csrf-token': other.csrf })).status,
      403,
      'another session’s token',
    );
    assert.equal((await tag({ cookie, 'x-csrf-token': csrf })).status, 200);
    assert.deepEqual((await h.store.devices.get(id))?.tags, ['x']);

    const forged = await h.request('GET', '/api/v1/devices', {
      token: null,
      headers: { cookie: `corral_session=cs_${'A'.repeat(43)}` },
    });
    assert.equal(forged.status, 401);
    assert.match(forged.json.error.message, /log in again/);
  });

  it('logout ends the session at once and clears the cookie', async () => {
    const { cookie, csrf } = await login('alice');
    const noCsrf = await h.request('POST', '/api/v1/logout', { token: null, headers: { cookie } });
    assert.equal(noCsrf.status, 403);
    const out = await h.request('POST', '/api/v1/logout', {
      token: null,
      headers: { cookie, 'x-csrf-token': csrf },
    });
    assert.equal(out.status, 204);
    assert.match(String([out.headers['set-cookie']].flat()[0]), /^corral_session=; Max-Age=0;/);
    assert.equal(
      (await h.request('GET', '/api/v1/session', { token: null, headers: { cookie } })).status,
      401,
    );
  });

  it('a wrong password and an unknown name get the same answer; failures are throttled per name and address', async () => {
    const unknown = await login('nobody', 'whatever it may be', '127.0.0.3');
    const wrong = await login('root', 'not the password', '127.0.0.3');
    assert.equal(unknown.reply.status, 401);
    assert.deepEqual(unknown.reply.json, wrong.reply.json);
    assert.equal(unknown.cookie, '');
    await login('root', 'not the password', '127.0.0.3');
    const locked = await login('root', PASSWORD, '127.0.0.3');
    assert.equal(locked.reply.status, 429, 'even the right password waits, from that address');
    assert.match(String(locked.reply.headers['retry-after']), /^\d+$/);
    // The owner, from an address that has not failed, still gets in.
    assert.equal((await login('root', PASSWORD, '127.0.0.4')).reply.status, 200);
    const logged = h.logs.filter((l) => l.event.startsWith('console-login'));
    assert.ok(logged.some((l) => l.event === 'console-login-failed'));
    assert.equal(JSON.stringify(logged).includes('not the password'), false);
  });

  it('users: an admin manages them; a user changes their own password only with the current one', async () => {
    const admin = await login('root', PASSWORD, '127.0.0.5');
    const asAdmin = { token: null, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } };
    const created = await h.request('POST', '/api/v1/users', {
      ...asAdmin,
      body: { name: 'bob', role: 'read-only', password: 'bob’s first password' },
    });
    assert.equal(created.status, 201);
    assert.equal(created.json.createdBy, 'user:root');
    assert.equal(created.text.includes('password'), true, 'only the field name passwordChangedAt');
    assert.equal(created.text.includes('first password'), false);
    const short = await h.request('POST', '/api/v1/users', {
      ...asAdmin,
      body: { name: 'carol', role: 'read-only', password: 'short' },
    });
    assert.equal(short.status, 400);
    const list = await h.request('GET', '/api/v1/users', asAdmin);
    assert.deepEqual(
      list.json.users.map((u: { name: string }) => u.name),
      ['alice', 'bob', 'root'],
    );

    const bob = await login('bob', 'bob’s first password', '127.0.0.5');
    const asBob = { token: null, headers: { cookie: bob.cookie, 'x-csrf-token': bob.csrf } };
    const noCurrent = await h.request('PUT', '/api/v1/users/bob/password', {
      ...asBob,
      body: { password: 'bob’s second password' },
    });
    assert.equal(noCurrent.status, 400);
    assert.equal(noCurrent.json.error.field, 'currentPassword');
    const others = await h.request('PUT', '/api/v1/users/alice/password', {
      ...asBob,
      body: { password: 'bob sets alice’s', currentPassword: 'bob’s first password' },
    });
    assert.equal(others.status, 403);
    const changed = await h.request('PUT', '/api/v1/users/bob/password', {
      ...asBob,
      body: { password: 'bob’s second password', currentPassword: 'bob’s first password' },
    });
    assert.equal(changed.status, 204);
    assert.equal(
      (await h.request('GET', '/api/v1/session', { token: null, headers: { cookie: bob.cookie } }))
        .status,
      401,
      'a password change ends the sessions',
    );

    const lastAdmin = await h.request('DELETE', '/api/v1/users/root', asAdmin);
    assert.equal(lastAdmin.status, 409);
    assert.equal((await h.request('DELETE', '/api/v1/users/bob', asAdmin)).status, 204);
    const audit = await h.request('GET', '/api/v1/audit?limit=50');
    const actions = audit.json.entries.map(
      (e: { actor: string; action: string }) => `${e.actor} ${e.action}`,
    );
    assert.ok(actions.includes('user:root POST /api/v1/users'), actions.join('\n'));
    assert.equal(audit.text.includes('second password'), false);
  });
});
