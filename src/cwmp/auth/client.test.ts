import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { type ClientRequest, HttpAuthClient, type HttpAuthClientOptions } from './client.ts';
import { AuthConfigError } from './errors.ts';
import { type HeaderInput, parseCredentials } from './header.ts';
import { HttpAuthServer } from './server.ts';

const GET: ClientRequest = { method: 'GET', uri: '/cr/7f3a', tls: false };
const CHALLENGE = 'Digest realm="cpe", qop="auth", nonce="n-1", opaque="op"';

function client(options: Partial<HttpAuthClientOptions> = {}) {
  let seq = 0;
  return new HttpAuthClient({
    username: 'acs',
    password: 'cr-secret',
    random: (n) => Buffer.alloc(n, ++seq),
    ...options,
  });
}

function fields(authorization: string): Record<string, string> {
  const parsed = parseCredentials(authorization);
  assert.ok(parsed.ok);
  return Object.fromEntries(parsed.value.params);
}

function respond(
  c: HttpAuthClient,
  header: HeaderInput,
  extra: Partial<typeof GET & { hadCredentials: boolean }> = {},
) {
  return c.respond(header, { ...GET, ...extra });
}

describe('HttpAuthClient', () => {
  it('answers a Digest challenge with a cnonce from the injected random source', () => {
    const r = respond(client({ cnonceBytes: 4 }), CHALLENGE);
    assert.ok(r.ok);
    assert.equal(r.scheme, 'digest');
    const f = fields(r.authorization);
    assert.equal(f.cnonce, '01010101');
    assert.equal(f.nc, '00000001');
    assert.equal(f.uri, '/cr/7f3a');
    assert.equal(f.opaque, 'op');
  });

  it('counts nc per nonce: pre-emptive requests go up, a new nonce starts again at 1 with a new cnonce', () => {
    const c = client();
    assert.equal(c.authorize(GET), undefined, 'nothing before a challenge');
    const first = respond(c, CHALLENGE);
    assert.ok(first.ok);
    const second = c.authorize(GET);
    const third = c.authorize({ ...GET, method: 'POST' });
    assert.ok(second !== undefined && third !== undefined);
    assert.equal(fields(second).nc, '00000002');
    assert.equal(fields(third).nc, '00000003');
    assert.equal(fields(third).cnonce, fields(first.authorization).cnonce);
    const again = respond(c, CHALLENGE.replace('n-1', 'n-2'));
    assert.ok(again.ok);
    assert.equal(fields(again.authorization).nc, '00000001');
    assert.notEqual(fields(again.authorization).cnonce, fields(first.authorization).cnonce);
    // The same nonce challenged again keeps counting (a server would refuse nc=1 as a replay).
    const same = respond(c, CHALLENGE.replace('n-1', 'n-2'));
    assert.ok(same.ok);
    assert.equal(fields(same.authorization).nc, '00000002');
  });

  it('prefers Digest over Basic whatever the order, and keeps the server order among Digest challenges', () => {
    const r = respond(client(), ['Basic realm="cpe"', CHALLENGE], { tls: true });
    assert.ok(r.ok);
    assert.equal(r.scheme, 'digest');
    const two = respond(client(), [
      'Digest realm="cpe", qop="auth", nonce="a", algorithm=SHA-256',
      'Digest realm="cpe", qop="auth", nonce="a", algorithm=MD5',
    ]);
    assert.ok(two.ok);
    assert.equal(fields(two.authorization).algorithm, 'SHA-256');
    const skip = respond(client(), [
      'Digest realm="cpe", qop="auth-int", nonce="a"',
      'Digest realm="cpe", qop="auth", nonce="b", algorithm=SHA-512-256',
      'Digest realm="cpe", qop="auth", nonce="c", algorithm=MD5-sess',
    ]);
    assert.ok(skip.ok);
    assert.equal(fields(skip.authorization).nonce, 'c');
  });

  it('uses Basic only as the policy allows', () => {
    const basicOnly = 'Basic realm="cpe"';
    assert.deepEqual(respond(client(), basicOnly), { ok: false, reason: 'basic-without-tls' });
    const tls = respond(client(), basicOnly, { tls: true });
    assert.ok(tls.ok);
    assert.equal(tls.authorization, `Basic ${Buffer.from('acs:cr-secret').toString('base64')}`);
    assert.deepEqual(respond(client({ basic: 'never' }), basicOnly, { tls: true }), {
      ok: false,
      reason: 'basic-without-tls',
    });
    const legacy = client({ basic: 'always' });
    assert.equal(respond(legacy, basicOnly).ok, true);
    assert.equal(legacy.authorize(GET)?.startsWith('Basic '), true);
    const tlsOnly = client();
    assert.equal(respond(tlsOnly, basicOnly, { tls: true }).ok, true);
    assert.equal(tlsOnly.authorize(GET), undefined, 'no Basic pre-emptively on a plain connection');
  });

  it('reports rejected credentials instead of retrying them, unless the nonce was only stale', () => {
    assert.deepEqual(respond(client(), CHALLENGE, { hadCredentials: true }), {
      ok: false,
      reason: 'rejected',
    });
    const stale = respond(client(), `${CHALLENGE}, stale=true`, { hadCredentials: true });
    assert.equal(stale.ok, true);
    assert.deepEqual(
      respond(client({ basic: 'always' }), 'Basic realm="x"', { hadCredentials: true }),
      {
        ok: false,
        reason: 'rejected',
      },
    );
  });

  it('reports why a 401 cannot be answered', () => {
    for (const [header, expected] of [
      [undefined, { ok: false, reason: 'missing' }],
      ['', { ok: false, reason: 'missing' }],
      ['Digest realm="x', { ok: false, reason: 'malformed', detail: 'unterminated-quote' }],
      [
        'Digest realm="x"',
        { ok: false, reason: 'malformed', detail: { code: 'missing-param', param: 'nonce' } },
      ],
      ['Negotiate, NTLM', { ok: false, reason: 'unsupported-scheme' }],
      ['Digest realm="x", nonce="n", qop="auth-int"', { ok: false, reason: 'unsupported-qop' }],
      [
        'Digest realm="x", nonce="n", qop="auth", algorithm=SHA-512-256',
        { ok: false, reason: 'unsupported-algorithm' },
      ],
      [
        'Digest realm="x", nonce="n", qop="auth-int", Basic realm="x"',
        { ok: false, reason: 'unsupported-qop' },
      ],
    ] as const) {
      assert.deepEqual(respond(client(), header), expected, String(header));
    }
    assert.deepEqual(respond(client({ username: 'bad\nname' }), CHALLENGE), {
      ok: false,
      reason: 'invalid-input',
    });
    assert.deepEqual(respond(client(), CHALLENGE, { uri: '/x\r\nHost: evil' }), {
      ok: false,
      reason: 'invalid-input',
    });
    assert.deepEqual(respond(client({ username: 'a:b', basic: 'always' }), 'Basic realm="x"'), {
      ok: false,
      reason: 'invalid-input',
    });
  });

  it('forgets the negotiated challenge on reset', () => {
    const c = client();
    respond(c, CHALLENGE);
    c.reset();
    assert.equal(c.authorize(GET), undefined);
  });

  it('keeps the password out of JSON, inspect and results', () => {
    const c = client({ password: 'hunter2-pw' });
    const r = respond(c, CHALLENGE);
    const shown = `${JSON.stringify(c)} ${inspect(c, { depth: 9, showHidden: true })} ${JSON.stringify(r)}`;
    assert.doesNotMatch(shown, /hunter2/);
    assert.match(shown, /acs/);
  });

  it('refuses a random source that returns the wrong length, and bad cnonce sizes', () => {
    assert.throws(
      () => respond(client({ random: () => new Uint8Array(3) }), CHALLENGE),
      AuthConfigError,
    );
    assert.throws(() => client({ cnonceBytes: 2 }), AuthConfigError);
  });
});

describe('client ↔ server round trips', () => {
  const T0 = Date.UTC(2025, 0, 1);

  function pair(algorithms: HttpAuthServerAlgorithms, tls = false) {
    let now = T0;
    let seq = 0;
    const server = new HttpAuthServer({
      realm: 'corral-acs',
      secret: Buffer.alloc(32, 3),
      algorithms,
      nonceTtlMs: 30_000,
      clock: () => now,
      random: (n) => Buffer.alloc(n, ++seq),
    });
    const cpe = new HttpAuthClient({
      username: '00D09E-IGD-SN1',
      password: 'p@ss "w0rd"',
      random: (n) => Buffer.alloc(n, ++seq),
    });
    const request = { method: 'POST', uri: '/acs', tls };
    const lookup = (u: string) =>
      u === '00D09E-IGD-SN1' ? { password: 'p@ss "w0rd"' } : undefined;
    return {
      server,
      cpe,
      request,
      verify: (authorization: string | undefined) =>
        server.verify({ ...request, authorization }, lookup),
      advance: (ms: number) => {
        now += ms;
      },
    };
  }
  type HttpAuthServerAlgorithms = ConstructorParameters<typeof HttpAuthServer>[0]['algorithms'];

  for (const algorithm of ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess'] as const) {
    it(`runs a CWMP session with ${algorithm}: 401, Inform, pre-emptive POSTs, expiry, stale retry`, async () => {
      const { server, cpe, request, verify, advance } = pair([algorithm]);
      // Inform without credentials.
      const first = await verify(cpe.authorize(request));
      assert.deepEqual(first, { ok: false, reason: 'missing' });
      const answer = cpe.respond(server.challenges(), request);
      assert.ok(answer.ok);
      assert.deepEqual(await verify(answer.authorization), {
        ok: true,
        scheme: 'digest',
        username: '00D09E-IGD-SN1',
      });
      for (let i = 0; i < 5; i++) {
        advance(1_000);
        assert.equal((await verify(cpe.authorize(request))).ok, true);
      }
      // A replay of an accepted request is refused.
      const replay = await verify(answer.authorization);
      assert.equal(replay.ok ? 'ok' : replay.reason, 'replayed');
      // The nonce expires; the server says stale, the client retries without treating it as a refusal.
      advance(30_000);
      const stale = await verify(cpe.authorize(request));
      assert.equal(stale.ok ? 'ok' : stale.reason, 'stale-nonce');
      const retry = cpe.respond(server.challenges({ stale: true }), {
        ...request,
        hadCredentials: true,
      });
      assert.ok(retry.ok);
      assert.equal((await verify(retry.authorization)).ok, true);
      assert.equal(fields(retry.authorization).nc, '00000001');
    });
  }

  it('ends with rejected when the password is wrong', async () => {
    const { server, request } = pair(['MD5']);
    const wrong = new HttpAuthClient({ username: '00D09E-IGD-SN1', password: 'nope' });
    const a = wrong.respond(server.challenges(), request);
    assert.ok(a.ok);
    const lookup = () => ({ password: 'p@ss "w0rd"' });
    const result = await server.verify({ ...request, authorization: a.authorization }, lookup);
    assert.equal(result.ok ? 'ok' : result.reason, 'bad-response');
    assert.deepEqual(wrong.respond(server.challenges(), { ...request, hadCredentials: true }), {
      ok: false,
      reason: 'rejected',
    });
  });

  it('uses Basic over TLS when the server offers only Basic', async () => {
    const server = new HttpAuthServer({
      realm: 'r',
      secret: Buffer.alloc(32, 1),
      basic: 'tls-only',
    });
    const basicOnly = server.challenges({ tls: true }).filter((c) => c.startsWith('Basic'));
    const cpe = new HttpAuthClient({ username: 'u', password: 'p' });
    const a = cpe.respond(basicOnly, { method: 'POST', uri: '/acs', tls: true });
    assert.ok(a.ok);
    const result = await server.verify(
      { method: 'POST', uri: '/acs', tls: true, authorization: a.authorization },
      () => ({ password: 'p' }),
    );
    assert.deepEqual(result, { ok: true, scheme: 'basic', username: 'u' });
  });
});
