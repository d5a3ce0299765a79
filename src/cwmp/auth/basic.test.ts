import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatBasicChallenge,
  formatBasicCredentials,
  isBasicAcceptable,
  parseBasicCredentials,
} from './basic.ts';
import { parseCredentials } from './header.ts';

function basic(header: string) {
  const parsed = parseCredentials(header);
  assert.ok(parsed.ok, header);
  return parseBasicCredentials(parsed.value);
}

describe('Basic', () => {
  it('reads the RFC 7617 example (Aladdin / open sesame)', () => {
    assert.deepEqual(basic('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=='), {
      ok: true,
      value: { username: 'Aladdin', password: 'open sesame' },
    });
  });

  it('writes what it reads, UTF-8 included, and a password may hold colons', () => {
    assert.equal(
      formatBasicCredentials('Aladdin', 'open sesame'),
      'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
    );
    assert.equal(formatBasicCredentials('test', '123\u00a3'), 'Basic dGVzdDoxMjPCow=='); // RFC 7617 §2.1
    const header = formatBasicCredentials('test', '123\u00a3:x');
    assert.equal(header, 'Basic dGVzdDoxMjPCozp4');
    assert.deepEqual(basic(header!), {
      ok: true,
      value: { username: 'test', password: '123\u00a3:x' },
    });
  });

  it('falls back to ISO-8859-1 for credentials that are not UTF-8, and tolerates missing padding', () => {
    const latin1 = Buffer.from('caf\u00e9:pw', 'latin1').toString('base64');
    assert.deepEqual(basic(`Basic ${latin1}`), {
      ok: true,
      value: { username: 'caf\u00e9', password: 'pw' },
    });
    assert.deepEqual(basic('Basic dXNlcjpwdw'), {
      ok: true,
      value: { username: 'user', password: 'pw' },
    });
  });

  it('refuses what is not Basic credentials', () => {
    assert.deepEqual(basic('Basic realm="x"'), { ok: false, error: { code: 'missing-token68' } });
    assert.deepEqual(basic('Basic'), { ok: false, error: { code: 'missing-token68' } });
    assert.deepEqual(basic('Basic a'), { ok: false, error: { code: 'invalid-base64' } });
    assert.deepEqual(basic('Basic ab-_'), { ok: false, error: { code: 'invalid-base64' } });
    assert.deepEqual(basic('Basic bm9jb2xvbg=='), { ok: false, error: { code: 'missing-colon' } });
    assert.deepEqual(basic('Digest username="u"'), { ok: false, error: { code: 'not-basic' } });
  });

  it('cannot write a username with a colon or a control character', () => {
    assert.equal(formatBasicCredentials('a:b', 'pw'), undefined);
    assert.equal(formatBasicCredentials('a\nb', 'pw'), undefined);
  });

  it('writes a challenge', () => {
    assert.equal(formatBasicChallenge('corral'), 'Basic realm="corral", charset="UTF-8"');
    assert.equal(formatBasicChallenge('bad\r\nrealm'), undefined);
  });

  it('is acceptable only over TLS unless the policy says otherwise', () => {
    assert.equal(isBasicAcceptable(true), true);
    assert.equal(isBasicAcceptable(false), false);
    assert.equal(isBasicAcceptable(true, 'never'), false);
    assert.equal(isBasicAcceptable(false, 'always'), true);
    assert.equal(isBasicAcceptable(false, 'tls-only'), false);
  });
});
