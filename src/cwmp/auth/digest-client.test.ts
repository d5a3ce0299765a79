import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type DigestChallenge, toDigestChallenge } from './digest-challenge.ts';
import { answerDigestChallenge, type DigestAnswerInput, digestSupport } from './digest-client.ts';
import { toDigestCredentials } from './digest-credentials.ts';
import { parseChallenges, parseCredentials } from './header.ts';

function challenge(header: string): DigestChallenge {
  const parsed = parseChallenges(header);
  assert.ok(parsed.ok);
  const first = parsed.value[0];
  assert.ok(first !== undefined);
  const c = toDigestChallenge(first);
  assert.ok(c.ok, c.ok ? '' : JSON.stringify(c.error));
  return c.value;
}

const RFC2617 = challenge(
  'Digest realm="testrealm@host.com", qop="auth,auth-int", ' +
    'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
);
const MUFASA: DigestAnswerInput = {
  username: 'Mufasa',
  password: 'Circle Of Life',
  method: 'GET',
  uri: '/dir/index.html',
  nc: 1,
  cnonce: '0a4f113b',
};

describe('toDigestChallenge', () => {
  it('reads realm, nonce, opaque, qop options, algorithm (MD5 by default), stale', () => {
    assert.deepEqual(RFC2617, {
      realm: 'testrealm@host.com',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      opaque: '5ccc069c403ebaf9f0171e9517f40e41',
      qop: ['auth', 'auth-int'],
      algorithm: 'MD5',
      algorithmGiven: false,
      stale: false,
      userhash: false,
    });
    const stale = challenge(
      'Digest realm="r", nonce="n", stale=TRUE, algorithm=MD5-sess, qop="Auth"',
    );
    assert.equal(stale.stale, true);
    assert.equal(stale.algorithm, 'MD5-sess');
    assert.deepEqual(stale.qop, ['auth']);
  });

  it('refuses a challenge without realm or nonce, or that is not Digest', () => {
    for (const [header, error] of [
      ['Digest nonce="n"', { code: 'missing-param', param: 'realm' }],
      ['Digest realm="r"', { code: 'missing-param', param: 'nonce' }],
      ['Digest realm="r", nonce=""', { code: 'invalid-param', param: 'nonce' }],
      ['Basic realm="r"', { code: 'not-digest' }],
      ['Digest abc==', { code: 'token68' }],
    ] as const) {
      const parsed = parseChallenges(header);
      assert.ok(parsed.ok);
      const r = toDigestChallenge(parsed.value[0]!);
      assert.deepEqual(r, { ok: false, error }, header);
    }
  });
});

describe('answerDigestChallenge', () => {
  it('writes the RFC 2617 §3.5 Authorization header for the RFC challenge', () => {
    const r = answerDigestChallenge(RFC2617, MUFASA);
    assert.ok(r.ok);
    assert.equal(
      r.header,
      'Digest username="Mufasa", realm="testrealm@host.com", ' +
        'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", ' +
        'response="6629fae49393a05397450978507c4ef1", qop=auth, nc=00000001, cnonce="0a4f113b", ' +
        'opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
    // And the header reads back as the same credentials.
    const back = parseCredentials(r.header);
    assert.ok(back.ok);
    assert.deepEqual(toDigestCredentials(back.value), { ok: true, value: r.credentials });
  });

  it('reproduces the RFC 7616 §3.9.1 MD5 and SHA-256 answers, echoing the algorithm', () => {
    const base =
      'realm="http-auth@example.org", qop="auth, auth-int", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", ' +
      'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
    const input = {
      ...MUFASA,
      password: 'Circle of Life',
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    };
    const md5 = answerDigestChallenge(challenge(`Digest ${base}, algorithm=MD5`), input);
    assert.ok(md5.ok);
    assert.equal(md5.credentials.response, '8ca523f5e9506fed4657c9700eebdbec');
    assert.match(md5.header, /, algorithm=MD5, /);
    const sha = answerDigestChallenge(challenge(`Digest ${base}, algorithm=SHA-256`), input);
    assert.ok(sha.ok);
    assert.equal(
      sha.credentials.response,
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
    assert.equal(sha.algorithm, 'SHA-256');
  });

  it('answers MD5-sess (draft-smith-sipping-auth-examples §3.4)', () => {
    const c = challenge(
      'Digest realm="biloxi.com", qop="auth", algorithm=MD5-sess, ' +
        'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
    const r = answerDigestChallenge(c, {
      username: 'bob',
      password: 'zanzibar',
      method: 'INVITE',
      uri: 'sip:bob@biloxi.com',
      nc: 1,
      cnonce: '0a4f113b',
    });
    assert.ok(r.ok);
    assert.equal(r.credentials.response, 'e4e4ea61d186d07a92c9e1f6919902e9');
  });

  it('answers a challenge without qop in the legacy form: no qop, nc or cnonce', () => {
    const c = challenge('Digest realm="biloxi.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093"');
    const r = answerDigestChallenge(c, {
      username: 'bob',
      password: 'zanzibar',
      method: 'INVITE',
      uri: 'sip:bob@biloxi.com',
      nc: 1,
      cnonce: 'ignored',
    });
    assert.ok(r.ok);
    assert.equal(r.credentials.response, 'bf57e4e0d0bffc0fbaedce64d59add5e');
    assert.doesNotMatch(r.header, /qop|nc=|cnonce/);
  });

  it('writes nc in hex', () => {
    const r = answerDigestChallenge(RFC2617, { ...MUFASA, nc: 26 });
    assert.ok(r.ok);
    assert.equal(r.credentials.nc, '0000001a');
  });

  it('refuses auth-int-only challenges, unknown qop and algorithms, -sess without qop', () => {
    for (const [header, reason] of [
      ['Digest realm="r", nonce="n", qop="auth-int"', 'unsupported-qop'],
      ['Digest realm="r", nonce="n", qop="auth-conf"', 'unsupported-qop'],
      ['Digest realm="r", nonce="n", qop=""', 'unsupported-qop'],
      ['Digest realm="r", nonce="n", algorithm=MD5-sess', 'unsupported-qop'],
      ['Digest realm="r", nonce="n", qop="auth", algorithm=SHA-512-256', 'unsupported-algorithm'],
      ['Digest realm="r", nonce="n", qop="auth", algorithm=SHA-1', 'unsupported-algorithm'],
    ] as const) {
      const c = challenge(header);
      assert.deepEqual(answerDigestChallenge(c, MUFASA), { ok: false, reason }, header);
      assert.equal(digestSupport(c).ok, false);
    }
  });

  it('refuses input that would inject into the header', () => {
    for (const bad of [
      { username: 'a\r\nX-Evil: 1' },
      { uri: '/acs\r\nX-Evil: 1' },
      { method: 'GET /x' },
      { nc: 0 },
      { nc: 2 ** 32 },
      { nc: 1.5 },
      { cnonce: '' },
    ]) {
      assert.deepEqual(
        answerDigestChallenge(RFC2617, { ...MUFASA, ...bad }),
        { ok: false, reason: 'invalid-input' },
        JSON.stringify(bad),
      );
    }
  });

  it('escapes quotes and backslashes in the username', () => {
    const r = answerDigestChallenge(RFC2617, { ...MUFASA, username: 'a"b\\c' });
    assert.ok(r.ok);
    assert.match(r.header, /username="a\\"b\\\\c"/);
    const back = parseCredentials(r.header);
    assert.ok(back.ok);
    assert.equal(back.value.params.get('username'), 'a"b\\c');
  });
});
