import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AuthElement,
  type AuthHeaderErrorCode,
  type HeaderInput,
  parseChallenges,
  parseCredentials,
} from './header.ts';

function challenges(header: HeaderInput): AuthElement[] {
  const r = parseChallenges(header);
  assert.ok(r.ok, r.ok ? '' : `${JSON.stringify(header)}: ${r.error.code} at ${r.error.offset}`);
  return r.value;
}

function params(e: AuthElement | undefined): Record<string, string> {
  assert.ok(e !== undefined);
  return Object.fromEntries(e.params);
}

function challengeError(header: HeaderInput): { code: AuthHeaderErrorCode; offset: number } {
  const r = parseChallenges(header);
  assert.ok(!r.ok, `expected ${JSON.stringify(header)} to be refused`);
  return r.error;
}

const RFC2617_CHALLENGE =
  'Digest\r\n' +
  '                 realm="testrealm@host.com",\r\n' +
  '                 qop="auth,auth-int",\r\n' +
  '                 nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093",\r\n' +
  '                 opaque="5ccc069c403ebaf9f0171e9517f40e41"';

describe('parseChallenges', () => {
  it('reads the RFC 2617 §3.5 challenge as printed, folded over five lines', () => {
    const [c, ...rest] = challenges(RFC2617_CHALLENGE);
    assert.equal(rest.length, 0);
    assert.equal(c?.scheme, 'digest');
    assert.deepEqual(params(c), {
      realm: 'testrealm@host.com',
      qop: 'auth,auth-int',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      opaque: '5ccc069c403ebaf9f0171e9517f40e41',
    });
  });

  it('reads the RFC 7235 §4.1 example: two challenges in one header, escapes in a quoted string', () => {
    const list = challenges(
      'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"',
    );
    assert.equal(list.length, 2);
    assert.equal(list[0]?.scheme, 'newauth');
    assert.deepEqual(params(list[0]), { realm: 'apps', type: '1', title: 'Login to "apps"' });
    assert.equal(list[1]?.scheme, 'basic');
    assert.deepEqual(params(list[1]), { realm: 'simple' });
  });

  it('reads challenges spread over several header lines', () => {
    const list = challenges(['Digest realm="a", nonce="n1", qop="auth"', 'Basic realm="a"']);
    assert.deepEqual(
      list.map((c) => c.scheme),
      ['digest', 'basic'],
    );
  });

  it('continues a challenge split over several header lines (vendor quirk 18)', () => {
    const list = challenges(['Digest realm="cpe",', 'nonce="abc", qop="auth"', 'algorithm=MD5']);
    assert.equal(list.length, 1);
    assert.deepEqual(params(list[0]), {
      realm: 'cpe',
      nonce: 'abc',
      qop: 'auth',
      algorithm: 'MD5',
    });
  });

  it('unfolds an obs-fold inside a quoted string to one space', () => {
    const [c] = challenges('Digest realm="long\r\n   realm", nonce="n"');
    assert.equal(c?.params.get('realm'), 'long realm');
    const [d] = challenges('Digest realm="a\n\tb", nonce="n"');
    assert.equal(d?.params.get('realm'), 'a b');
  });

  it('is case-insensitive for scheme and parameter names, and keeps value case', () => {
    const [c] = challenges('DIGEST REALM="MixedCase", Nonce="AbC", QOP="auth"');
    assert.equal(c?.scheme, 'digest');
    assert.deepEqual(params(c), { realm: 'MixedCase', nonce: 'AbC', qop: 'auth' });
  });

  it('tolerates device oddities: unquoted values, no spaces, spaces around "=", missing commas', () => {
    assert.deepEqual(params(challenges('Digest realm=cpe,nonce=abc/de==,qop=auth')[0]), {
      realm: 'cpe',
      nonce: 'abc/de==',
      qop: 'auth',
    });
    assert.deepEqual(params(challenges('Digest realm = "x" , nonce= "y"')[0]), {
      realm: 'x',
      nonce: 'y',
    });
    assert.deepEqual(params(challenges('Digest realm="x"nonce="y" qop="auth"')[0]), {
      realm: 'x',
      nonce: 'y',
      qop: 'auth',
    });
    assert.deepEqual(params(challenges('Digest realm="x",,, nonce="y",')[0]), {
      realm: 'x',
      nonce: 'y',
    });
  });

  it('keeps an unquoted qop=auth,auth-int in qop rather than reading a scheme "auth-int"', () => {
    const list = challenges('Digest realm="x", qop=auth,auth-int, nonce="y"');
    assert.equal(list.length, 1);
    assert.deepEqual(params(list[0]), { realm: 'x', qop: 'auth,auth-int', nonce: 'y' });
    const next = challenges('Digest realm="x", qop=auth, Basic realm="x"');
    assert.deepEqual(
      next.map((c) => c.scheme),
      ['digest', 'basic'],
    );
  });

  it('reads a bare token after a scheme as the token68 only when no auth-param follows it', () => {
    const list = challenges('Basic abc, realm="x"');
    assert.deepEqual(
      list.map((c) => [c.scheme, c.token68, params(c)]),
      [
        ['basic', undefined, {}],
        ['abc', undefined, { realm: 'x' }],
      ],
    );
    assert.equal(challenges('Newauth abc==, Basic realm="x"')[0]?.token68, 'abc==');
  });

  it('reads a scheme without parameters and empty quoted values', () => {
    const list = challenges('Negotiate, Digest realm="", nonce="n"');
    assert.equal(list[0]?.scheme, 'negotiate');
    assert.equal(list[0]?.params.size, 0);
    assert.equal(list[1]?.params.get('realm'), '');
  });

  it('keeps obs-text (bytes 0x80–0xFF) in quoted strings', () => {
    const [c] = challenges('Digest realm="caf\u00e9", nonce="n"');
    assert.equal(c?.params.get('realm'), 'caf\u00e9');
  });

  it('does not let a parameter name reach Object.prototype', () => {
    const [c] = challenges('Digest __proto__="x", constructor="y", nonce="n"');
    assert.equal(c?.params.get('__proto__'), 'x');
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });

  for (const [header, code] of [
    ['', 'empty'],
    ['  ,  , ', 'empty'],
    ['Digest realm="x', 'unterminated-quote'],
    ['Digest realm="x\\', 'unterminated-quote'],
    ['Digest realm="a\u0000b"', 'control-character'],
    ['Digest realm="a\r\nb"', 'control-character'],
    ['Digest realm="a\\\u0001"', 'control-character'],
    ['Digest realm=a\u0007b', 'control-character'],
    ['realm="x", nonce="y"', 'missing-scheme'],
    ['Digest realm=, nonce="y"', 'missing-value'],
    ['Digest realm="a", nonce=', 'missing-value'],
    ['Digest realm="a", REALM="b"', 'duplicate-param'],
    ['Digest realm="a" "b"', 'unexpected-character'],
    ['Digest realm=My Router, nonce="n"', 'unexpected-character'],
    ['Digest/2 realm="a"', 'unexpected-character'],
    ['"Digest" realm="a"', 'unexpected-character'],
    ['Basic abc=, realm="x"', 'missing-value'],
  ] as const) {
    it(`refuses ${JSON.stringify(header)} with ${code}`, () => {
      assert.equal(challengeError(header).code, code);
    });
  }

  it('reports where the problem is, without quoting the header', () => {
    const e = challengeError('Digest realm="secret-ish');
    assert.deepEqual(e, { code: 'unterminated-quote', offset: 13 });
  });

  it('refuses an absent header as empty', () => {
    assert.equal(challengeError(undefined).code, 'empty');
    assert.equal(challengeError([]).code, 'empty');
  });
});

describe('parseCredentials', () => {
  it('reads the RFC 2617 §3.5 Authorization header as printed', () => {
    const r = parseCredentials(
      'Digest username="Mufasa",\r\n' +
        '                 realm="testrealm@host.com",\r\n' +
        '                 nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093",\r\n' +
        '                 uri="/dir/index.html",\r\n' +
        '                 qop=auth,\r\n' +
        '                 nc=00000001,\r\n' +
        '                 cnonce="0a4f113b",\r\n' +
        '                 response="6629fae49393a05397450978507c4ef1",\r\n' +
        '                 opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
    assert.ok(r.ok);
    assert.equal(r.value.scheme, 'digest');
    assert.equal(r.value.params.get('qop'), 'auth');
    assert.equal(r.value.params.get('nc'), '00000001');
    assert.equal(r.value.params.get('response'), '6629fae49393a05397450978507c4ef1');
    assert.equal(r.value.params.size, 9);
  });

  it('reads token68 credentials, with and without padding', () => {
    for (const token of ['QWxhZGRpbjpvcGVuIHNlc2FtZQ==', 'dXNlcjpw', 'a+b/c-d._~']) {
      const r = parseCredentials(`Basic  ${token}  `);
      assert.ok(r.ok);
      assert.equal(r.value.token68, token);
      assert.equal(r.value.params.size, 0);
    }
  });

  it('reads an unquoted uri, as some clients send it', () => {
    const r = parseCredentials('Digest username="u", uri=/acs?x=1, nonce="n"');
    assert.ok(r.ok);
    assert.equal(r.value.params.get('uri'), '/acs?x=1');
  });

  it('refuses two sets of credentials, in one header or in two', () => {
    for (const h of ['Basic abc, Digest username="u"', ['Basic abc', 'Basic def']]) {
      const r = parseCredentials(h);
      assert.ok(!r.ok);
      assert.equal(r.error.code, 'multiple-credentials');
    }
  });

  it('refuses empty credentials', () => {
    const r = parseCredentials('   ');
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'empty');
  });
});
