import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpAuthClient } from './client.ts';
import { type HeaderInput, parseChallenges, parseCredentials } from './header.ts';
import { DEFAULT_AUTH_HEADER_LIMITS } from './limits.ts';
import { HttpAuthServer } from './server.ts';

/** Runs `fn` and asserts it took less than `ms` (generous: the point is "no blow-up", not a benchmark). */
function fast<T>(ms: number, fn: () => T): T {
  const started = performance.now();
  const result = fn();
  const took = performance.now() - started;
  assert.ok(took < ms, `took ${took.toFixed(1)} ms`);
  return result;
}

function refused(header: HeaderInput, code: string, ms = 50): void {
  const r = fast(ms, () => parseChallenges(header));
  assert.ok(!r.ok, 'expected a refusal');
  assert.equal(r.error.code, code);
  const c = fast(ms, () => parseCredentials(header));
  assert.ok(!c.ok, 'expected a refusal');
}

describe('hostile headers', () => {
  it('refuses a header over the length bound before scanning it', () => {
    refused(`Digest realm="${'a'.repeat(10_000_000)}"`, 'too-long', 20);
    refused(`Basic ${'A'.repeat(DEFAULT_AUTH_HEADER_LIMITS.maxLength + 1)}`, 'too-long');
  });

  it('refuses too many header lines, or lines that add up to too much, without joining them', () => {
    refused(
      Array.from({ length: 100_000 }, () => ''),
      'too-many-values',
      20,
    );
    refused(
      Array.from({ length: 16 }, () => 'x'.repeat(1_000)),
      'too-long',
    );
  });

  it('refuses thousands of parameters', () => {
    const many = `Digest ${Array.from({ length: 2_000 }, (_, i) => `p${i}=1`).join(',')}`.slice(
      0,
      8_000,
    );
    refused(many, 'too-many-params');
  });

  it('refuses thousands of challenges', () => {
    refused('Basic, '.repeat(1_100), 'too-many-challenges');
  });

  it('refuses unterminated quotes, and a header of backslashes and quotes, in linear time', () => {
    refused(`Digest realm="${'\\"'.repeat(4_000)}`, 'unterminated-quote');
    refused(`Digest realm="${'a'.repeat(8_000)}`, 'unterminated-quote');
    refused(`Digest ${'realm="a",'.repeat(5)}nonce="${'\\'.repeat(7_000)}`, 'duplicate-param');
  });

  it('handles pathological but in-bounds headers quickly', () => {
    const inputs: string[] = [
      ','.repeat(8_000),
      ' '.repeat(8_000),
      '\r\n '.repeat(2_600),
      `Digest realm=${'='.repeat(8_000)}`,
      `Digest ${'a'.repeat(8_000)}`,
      `Digest ${'a='.repeat(16)}${'b'.repeat(7_900)}`,
      `Basic ${'A'.repeat(8_000)}`,
      `Digest realm="${'\r\n '.repeat(2_600)}"`,
      `${'x '.repeat(4_000)}`,
    ];
    for (const input of inputs) {
      fast(50, () => {
        parseChallenges(input);
        parseCredentials(input);
      });
    }
  });

  it('never throws on arbitrary input', () => {
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const alphabet = 'Digest Basic realm nonce qop=auth,"\\ \t\r\n=,abc\u0000\u00ff\u2028';
    for (let n = 0; n < 3_000; n++) {
      let s = '';
      const len = next() % 120;
      for (let i = 0; i < len; i++) s += alphabet[next() % alphabet.length];
      const a = parseChallenges(s);
      const b = parseCredentials(s);
      assert.equal(typeof a.ok, 'boolean');
      assert.equal(typeof b.ok, 'boolean');
    }
  });

  it('lets neither side throw on hostile headers', async () => {
    const server = new HttpAuthServer({ realm: 'r', secret: Buffer.alloc(32, 1) });
    const client = new HttpAuthClient({ username: 'u', password: 'p' });
    const request = { method: 'POST', uri: '/acs', tls: false };
    const hostile = [
      `Digest ${Array.from({ length: 500 }, (_, i) => `a${i}="b"`).join(',')}`,
      `Digest username="${'u'.repeat(7_000)}", realm="r", nonce="n", uri="/acs", response="${'0'.repeat(32)}"`,
      'Digest username="u", realm="r", nonce="n", uri="/acs", response="0", qop=auth, nc=1, cnonce="x"',
      'Digest username="u", realm="r", nonce="AAAA", uri="/acs", response="00000000000000000000000000000000"',
      'Digest nonce="\u0000"',
      'Basic ====',
      `Basic ${'/'.repeat(8_000)}`,
    ];
    assert.deepEqual(client.respond(hostile[0], request), {
      ok: false,
      reason: 'malformed',
      detail: 'too-many-params',
    });
    for (const h of hostile) {
      const result = await server.verify({ ...request, authorization: h }, () => ({
        password: 'p',
      }));
      assert.equal(result.ok, false);
      // Some of these are valid challenges (realm + nonce): the client may answer; it must not throw.
      assert.equal(typeof client.respond(h, request).ok, 'boolean');
    }
  });
});
