import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { formatBasicCredentials } from './basic.ts';
import { type DigestChallenge, toDigestChallenge } from './digest-challenge.ts';
import { answerDigestChallenge } from './digest-client.ts';
import { formatDigestCredentials } from './digest-credentials.ts';
import { AuthConfigError } from './errors.ts';
import { type DigestAlgorithm, digestHa1, digestResponse, hashOf } from './hash.ts';
import { parseChallenges } from './header.ts';
import type { AuthResult } from './result.ts';
import {
  type AuthAttempt,
  type CredentialLookup,
  type CredentialSecret,
  HttpAuthServer,
  type HttpAuthServerOptions,
} from './server.ts';

const T0 = Date.UTC(2025, 5, 1, 12);
const SECRET = Buffer.from('0123456789abcdef0123456789abcdef');
const REALM = 'corral';
const USERS: Record<string, CredentialSecret> = {
  'cpe-1': { password: 'pw-one' },
  'cpe-ha1': { ha1: digestHa1('MD5', 'cpe-ha1', REALM, 'pw-two') },
  'cpe-sha': { ha1: digestHa1('SHA-256', 'cpe-sha', REALM, 'pw-three'), hash: 'SHA-256' },
};
const lookup: CredentialLookup = (username, realm) =>
  realm === REALM && Object.hasOwn(USERS, username) ? USERS[username] : undefined;

function setup(options: Partial<HttpAuthServerOptions> = {}) {
  let now = T0;
  let seq = 0;
  const server = new HttpAuthServer({
    realm: REALM,
    secret: SECRET,
    nonceTtlMs: 60_000,
    clock: () => now,
    random: (n) => Buffer.alloc(n, ++seq),
    ...options,
  });
  return {
    server,
    advance: (ms: number) => {
      now += ms;
    },
    /** The first Digest challenge of a fresh 401. */
    challenge: (opts: { stale?: boolean } = {}): DigestChallenge => {
      const parsed = parseChallenges(server.challenges(opts));
      assert.ok(parsed.ok);
      const c = toDigestChallenge(parsed.value[0]!);
      assert.ok(c.ok);
      return c.value;
    },
  };
}

const POST = { method: 'POST', uri: '/acs', tls: false } as const;

function answer(
  c: DigestChallenge,
  username: string,
  password: string,
  nc = 1,
  uri = '/acs',
): string {
  const r = answerDigestChallenge(c, {
    username,
    password,
    method: 'POST',
    uri,
    nc,
    cnonce: 'c0ffee',
  });
  assert.ok(r.ok);
  return r.header;
}

async function verify(
  server: HttpAuthServer,
  authorization: AuthAttempt['authorization'],
  attempt = {},
) {
  return server.verify({ ...POST, ...attempt, authorization }, lookup);
}

function failure(result: AuthResult, reason: string): void {
  assert.equal(result.ok, false, `expected ${reason}, got success`);
  assert.equal(result.ok ? undefined : result.reason, reason, JSON.stringify(result));
}

/** Credentials with every field chosen by the test; the response is computed honestly from `password`. */
function craft(f: {
  challenge: DigestChallenge;
  username?: string;
  password?: string;
  realm?: string;
  nonce?: string;
  uri?: string;
  qop?: string;
  algorithm?: DigestAlgorithm;
  opaque?: string;
}): string {
  const algorithm = f.algorithm ?? 'MD5';
  const username = f.username ?? 'cpe-1';
  const realm = f.realm ?? f.challenge.realm;
  const nonce = f.nonce ?? f.challenge.nonce;
  const uri = f.uri ?? '/acs';
  const qop = 'qop' in f ? f.qop : 'auth';
  const response = digestResponse({
    algorithm,
    ha1: digestHa1(hashOf(algorithm), username, realm, f.password ?? 'pw-one'),
    nonce,
    method: 'POST',
    uri,
    ...(qop === undefined ? {} : { qop: 'auth' as const, nc: '00000001', cnonce: 'abc' }),
  });
  const header = formatDigestCredentials({
    username,
    realm,
    nonce,
    uri,
    response,
    algorithm,
    ...(qop === undefined ? {} : { qop, nc: '00000001', cnonce: 'abc' }),
    ...('opaque' in f
      ? f.opaque === undefined
        ? {}
        : { opaque: f.opaque }
      : { opaque: f.challenge.opaque }),
  });
  assert.ok(header !== undefined);
  return header;
}

describe('HttpAuthServer challenges', () => {
  it('issues one Digest challenge per algorithm on one fresh nonce, Basic only over TLS', () => {
    const { server } = setup({ algorithms: ['SHA-256', 'MD5'] });
    const plain = server.challenges();
    assert.equal(plain.length, 2);
    assert.match(
      plain[0]!,
      /^Digest realm="corral", qop="auth", algorithm=SHA-256, nonce="[\w-]{54}", opaque="\w+"$/,
    );
    assert.match(plain[1]!, /algorithm=MD5,/);
    assert.equal(/nonce="([^"]+)"/.exec(plain[0]!)?.[1], /nonce="([^"]+)"/.exec(plain[1]!)?.[1]);
    assert.notEqual(server.challenges()[0], plain[0]);
    const tls = server.challenges({ tls: true });
    assert.equal(tls.at(-1), 'Basic realm="corral", charset="UTF-8"');
    assert.match(server.challenges({ stale: true })[0]!, /, stale=true$/);
  });

  it('refuses bad configuration', () => {
    for (const bad of [
      { realm: '' },
      { realm: 'a\r\nb' },
      { secret: Buffer.alloc(8) },
      { algorithms: [] },
      { algorithms: ['SHA-512-256' as DigestAlgorithm] },
      { algorithms: ['md5' as DigestAlgorithm] },
      { opaque: 'a\nb' },
      { nonceTtlMs: -5 },
    ]) {
      assert.throws(() => setup(bad), AuthConfigError, JSON.stringify(bad));
    }
  });

  it('keeps the secret out of JSON and inspect output', () => {
    const { server } = setup();
    const shown = `${JSON.stringify(server)} ${inspect(server, { depth: 9, showHidden: true })}`;
    assert.doesNotMatch(shown, /0123456789abcdef|30 31 32 33/);
    assert.match(shown, /corral/);
  });
});

describe('HttpAuthServer.verify (Digest)', () => {
  it('accepts a right answer, then later requests on the same nonce with increasing nc', async () => {
    const { server, challenge } = setup();
    const c = challenge();
    assert.deepEqual(await verify(server, answer(c, 'cpe-1', 'pw-one', 1)), {
      ok: true,
      scheme: 'digest',
      username: 'cpe-1',
    });
    assert.equal((await verify(server, answer(c, 'cpe-1', 'pw-one', 2))).ok, true);
    assert.equal((await verify(server, answer(c, 'cpe-1', 'pw-one', 7))).ok, true);
  });

  it('accepts users stored by HA1, MD5-sess, SHA-256 and SHA-256-sess', async () => {
    for (const [algorithm, user, pw] of [
      ['MD5', 'cpe-ha1', 'pw-two'],
      ['MD5-sess', 'cpe-1', 'pw-one'],
      ['MD5-sess', 'cpe-ha1', 'pw-two'],
      ['SHA-256', 'cpe-sha', 'pw-three'],
      ['SHA-256-sess', 'cpe-1', 'pw-one'],
    ] as const) {
      const { server, challenge } = setup({ algorithms: [algorithm] });
      const result = await verify(server, answer(challenge(), user, pw));
      assert.equal(result.ok, true, `${algorithm} ${user}: ${JSON.stringify(result)}`);
    }
  });

  it('accepts an async credential lookup', async () => {
    const { server, challenge } = setup();
    const result = await server.verify(
      { ...POST, authorization: answer(challenge(), 'cpe-1', 'pw-one') },
      async (u) => (u === 'cpe-1' ? { password: 'pw-one' } : undefined),
    );
    assert.equal(result.ok, true);
  });

  it('refuses a replayed (nonce, nc)', async () => {
    const { server, challenge } = setup();
    const c = challenge();
    const header = answer(c, 'cpe-1', 'pw-one', 3);
    assert.equal((await verify(server, header)).ok, true);
    failure(await verify(server, header), 'replayed');
    failure(await verify(server, answer(c, 'cpe-1', 'pw-one', 2)), 'replayed');
    assert.equal((await verify(server, answer(c, 'cpe-1', 'pw-one', 4))).ok, true);
  });

  it('does not let a wrong answer burn a count', async () => {
    const { server, challenge } = setup();
    const c = challenge();
    failure(await verify(server, answer(c, 'cpe-1', 'wrong', 9)), 'bad-response');
    assert.equal((await verify(server, answer(c, 'cpe-1', 'pw-one', 1))).ok, true);
  });

  it('answers stale-nonce for right credentials on an expired nonce, bad-response for wrong ones', async () => {
    const { server, challenge, advance } = setup();
    const c = challenge();
    advance(59_999);
    assert.equal((await verify(server, answer(c, 'cpe-1', 'pw-one', 1))).ok, true);
    advance(1);
    failure(await verify(server, answer(c, 'cpe-1', 'pw-one', 2)), 'stale-nonce');
    failure(await verify(server, answer(c, 'cpe-1', 'wrong', 3)), 'bad-response');
    const fresh = challenge({ stale: true });
    assert.equal(fresh.stale, true);
    assert.equal((await verify(server, answer(fresh, 'cpe-1', 'pw-one'))).ok, true);
  });

  it('answers stale-nonce when the replay tracker had to forget', async () => {
    const { server, challenge } = setup({
      nonceCounts: { accept: async () => 'forgotten' as const },
    });
    failure(await verify(server, answer(challenge(), 'cpe-1', 'pw-one')), 'stale-nonce');
  });

  it('accepts the uri in absolute form when the request line has the origin form, and the reverse', async () => {
    const { server, challenge } = setup();
    const c = challenge();
    assert.equal(
      (await verify(server, answer(c, 'cpe-1', 'pw-one', 1, 'http://acs.example:7547/acs'))).ok,
      true,
    );
    const abs = await verify(server, answer(c, 'cpe-1', 'pw-one', 2), {
      uri: 'http://acs.example/acs',
    });
    assert.equal(abs.ok, true);
  });

  it('accepts a missing opaque (some CPEs drop it)', async () => {
    const { server, challenge } = setup();
    assert.equal(
      (await verify(server, craft({ challenge: challenge(), opaque: undefined }))).ok,
      true,
    );
  });

  it('accepts the legacy no-qop form only when allowed, and then each nonce once', async () => {
    const strict = setup();
    failure(
      await verify(strict.server, craft({ challenge: strict.challenge(), qop: undefined })),
      'unsupported-qop',
    );
    const legacy = setup({ allowLegacyNoQop: true });
    const header = craft({ challenge: legacy.challenge(), qop: undefined });
    assert.equal((await verify(legacy.server, header)).ok, true);
    failure(await verify(legacy.server, header), 'replayed');
    const sess = craft({ challenge: legacy.challenge(), qop: undefined, algorithm: 'MD5-sess' });
    failure(
      await verify(setup({ allowLegacyNoQop: true, algorithms: ['MD5-sess'] }).server, sess),
      'unsupported-qop',
    );
  });

  it('reports every failure reason', async () => {
    const { server, challenge } = setup();
    const c = challenge();
    const other = setup({ realm: 'elsewhere' }).challenge();
    const sha = setup({ algorithms: ['SHA-256'] }).challenge();
    const forged = { ...c, nonce: 'A'.repeat(54) };
    const cases: [AuthAttempt['authorization'], string, Partial<AuthAttempt>?][] = [
      [undefined, 'missing'],
      ['', 'missing'],
      [[], 'missing'],
      ['Digest username="cpe-1", realm="corral', 'malformed'],
      ['Digest username="cpe-1", realm="corral", uri="/acs", response="00"', 'malformed'],
      [craft({ challenge: c }).replace('nc=00000001', 'nc=xyz'), 'malformed'],
      ['Bearer abc.def', 'unsupported-scheme'],
      [craft({ challenge: sha, algorithm: 'SHA-256' }), 'unsupported-algorithm'],
      [answer(c, 'cpe-sha', 'pw-three'), 'unsupported-algorithm'],
      [craft({ challenge: c, qop: 'auth-int' }), 'unsupported-qop'],
      [answer(other, 'cpe-1', 'pw-one'), 'realm-mismatch'],
      [craft({ challenge: c, realm: 'elsewhere' }), 'realm-mismatch'],
      [answer(forged, 'cpe-1', 'pw-one'), 'invalid-nonce'],
      [answer({ ...c, opaque: 'not-ours' }, 'cpe-1', 'pw-one'), 'opaque-mismatch'],
      [answer(c, 'cpe-1', 'pw-one'), 'uri-mismatch', { uri: '/other' }],
      [answer(c, 'cpe-1', 'pw-one', 1, 'not a uri'), 'uri-mismatch'],
      [answer(c, 'nobody', 'pw-one'), 'unknown-user'],
      [answer(c, 'cpe-1', 'pw-two'), 'bad-response'],
      [answer(c, 'cpe-ha1', 'pw-one'), 'bad-response'],
      [answer(c, 'cpe-1', 'pw-one'), 'bad-response', { method: 'GET' }],
      [formatBasicCredentials('cpe-1', 'pw-one'), 'basic-without-tls'],
    ];
    for (const [authorization, reason, attempt] of cases) {
      const result = await verify(server, authorization, attempt);
      failure(result, reason);
      // Nothing secret in a result: no password, no hash.
      assert.doesNotMatch(JSON.stringify(result), /pw-(one|two|three)|[0-9a-f]{32}/);
    }
  });

  it('gives a log detail without header content', async () => {
    const { server, challenge } = setup();
    const c = challenge();
    assert.deepEqual(await verify(server, 'Digest username="x", realm="oops'), {
      ok: false,
      reason: 'malformed',
      detail: 'unterminated-quote',
    });
    const noNonce = craft({ challenge: c }).replace(/nonce="[^"]+", /, '');
    assert.deepEqual(await verify(server, noNonce), {
      ok: false,
      reason: 'malformed',
      scheme: 'digest',
      detail: 'missing-param:nonce',
    });
    assert.deepEqual(await verify(server, answer(c, 'nobody', 'pw')), {
      ok: false,
      reason: 'unknown-user',
      scheme: 'digest',
      username: 'nobody',
    });
  });

  it('refuses nonces issued under another secret, and accepts them after a rotation that keeps it', async () => {
    const before = setup();
    const c = before.challenge();
    const rotatedAway = setup({ secret: Buffer.alloc(32, 5) });
    failure(await verify(rotatedAway.server, answer(c, 'cpe-1', 'pw-one')), 'invalid-nonce');
    const rotated = setup({ secret: Buffer.alloc(32, 5), previousSecrets: [SECRET] });
    assert.equal((await verify(rotated.server, answer(c, 'cpe-1', 'pw-one'))).ok, true);
  });
});

describe('HttpAuthServer.verify (Basic)', () => {
  it('accepts right Basic credentials over TLS, against a password or an HA1', async () => {
    const { server } = setup();
    for (const [user, pw] of [
      ['cpe-1', 'pw-one'],
      ['cpe-ha1', 'pw-two'],
      ['cpe-sha', 'pw-three'],
    ] as const) {
      assert.deepEqual(await verify(server, formatBasicCredentials(user, pw), { tls: true }), {
        ok: true,
        scheme: 'basic',
        username: user,
      });
    }
  });

  it('refuses wrong or unknown Basic credentials, and Basic without TLS or when off', async () => {
    const { server } = setup();
    failure(
      await verify(server, formatBasicCredentials('cpe-1', 'nope'), { tls: true }),
      'bad-password',
    );
    failure(
      await verify(server, formatBasicCredentials('cpe-ha1', 'nope'), { tls: true }),
      'bad-password',
    );
    failure(
      await verify(server, formatBasicCredentials('ghost', 'pw-one'), { tls: true }),
      'unknown-user',
    );
    failure(await verify(server, 'Basic !!!', { tls: true }), 'malformed');
    failure(await verify(server, formatBasicCredentials('cpe-1', 'pw-one')), 'basic-without-tls');
    const off = setup({ basic: 'never' }).server;
    failure(
      await verify(off, formatBasicCredentials('cpe-1', 'pw-one'), { tls: true }),
      'unsupported-scheme',
    );
    const always = setup({ basic: 'always' }).server;
    assert.equal((await verify(always, formatBasicCredentials('cpe-1', 'pw-one'))).ok, true);
  });
});
