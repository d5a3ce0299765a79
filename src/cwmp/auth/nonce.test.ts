import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { AuthConfigError } from './errors.ts';
import { StatelessNonces } from './nonce.ts';

const SECRET = Buffer.alloc(32, 7);
const OTHER = Buffer.alloc(32, 9);
const RANDOM = Buffer.alloc(16, 0xab);
const T0 = Date.UTC(2025, 0, 1);

function nonces(options: Partial<ConstructorParameters<typeof StatelessNonces>[0]> = {}) {
  return new StatelessNonces({ secret: SECRET, realm: 'corral', ttlMs: 60_000, ...options });
}

describe('StatelessNonces', () => {
  it('issues 54-character base64url nonces that check as valid, with their issue and expiry times', () => {
    const n = nonces().issue(T0, RANDOM);
    assert.match(n, /^[A-Za-z0-9_-]{54}$/);
    assert.deepEqual(nonces().check(n, T0 + 1_000), {
      status: 'valid',
      issuedAt: T0,
      expiresAt: T0 + 60_000,
    });
  });

  it('depends on time and randomness only through its inputs', () => {
    assert.equal(nonces().issue(T0, RANDOM), nonces().issue(T0, RANDOM));
    assert.notEqual(nonces().issue(T0, RANDOM), nonces().issue(T0 + 1, RANDOM));
    assert.notEqual(nonces().issue(T0, RANDOM), nonces().issue(T0, Buffer.alloc(16, 1)));
  });

  it('expires a nonce exactly at issue time + ttl', () => {
    const s = nonces();
    const n = s.issue(T0, RANDOM);
    assert.equal(s.check(n, T0 + 59_999).status, 'valid');
    assert.equal(s.check(n, T0 + 60_000).status, 'expired');
    assert.equal(s.check(n, T0 + 10 ** 9).status, 'expired');
  });

  it('refuses a nonce from the future beyond the allowed skew', () => {
    const s = nonces({ maxFutureSkewMs: 1_000 });
    const n = s.issue(T0 + 5_000, RANDOM);
    assert.equal(s.check(n, T0).status, 'invalid');
    assert.equal(s.check(n, T0 + 4_000).status, 'valid');
  });

  it('refuses nonces made with another secret, for another realm, tampered or garbled', () => {
    const n = nonces().issue(T0, RANDOM);
    assert.equal(nonces({ secret: OTHER }).check(n, T0).status, 'invalid');
    assert.equal(nonces({ realm: 'other' }).check(n, T0).status, 'invalid');
    const bytes = Buffer.from(n, 'base64url');
    for (const at of [0, 7, 8, 23, 24, 39]) {
      const tampered = Buffer.from(bytes);
      tampered[at]! ^= 1;
      assert.equal(
        nonces().check(tampered.toString('base64url'), T0).status,
        'invalid',
        `byte ${at}`,
      );
    }
    for (const bad of ['', 'x', n.slice(1), `${n}A`, `${n.slice(0, -1)}!`, n.replace(/./, '+')]) {
      assert.equal(nonces().check(bad, T0).status, 'invalid', bad);
    }
  });

  it('accepts only the canonical spelling of a nonce', () => {
    const n = nonces().issue(T0, RANDOM);
    const last = n.at(-1)!;
    // The final base64url character carries 2 data bits; flipping its low bits spells the same bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = n.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1];
    assert.deepEqual(Buffer.from(twin, 'base64url'), Buffer.from(n, 'base64url'));
    assert.equal(nonces().check(twin, T0).status, 'invalid');
  });

  it('accepts nonces issued under a previous secret after a rotation', () => {
    const old = nonces({ secret: OTHER }).issue(T0, RANDOM);
    const rotated = nonces({ previousSecrets: [OTHER] });
    assert.equal(rotated.check(old, T0).status, 'valid');
    assert.equal(nonces().check(rotated.issue(T0, RANDOM), T0).status, 'valid');
  });

  it('refuses weak secrets and bad options, without echoing the secret', () => {
    for (const options of [
      { secret: Buffer.alloc(31, 1) },
      { previousSecrets: [Buffer.from('short')] },
      { ttlMs: 0 },
      { ttlMs: Number.NaN },
      { maxFutureSkewMs: -1 },
    ]) {
      assert.throws(() => nonces(options), AuthConfigError);
    }
    try {
      nonces({ secret: Buffer.from('hunter2-hunter2') });
      assert.fail('expected a weak-secret error');
    } catch (e) {
      assert.ok(e instanceof AuthConfigError);
      assert.equal(e.code, 'weak-secret');
      assert.doesNotMatch(`${e.message} ${JSON.stringify(e)}`, /hunter2/);
    }
    assert.throws(() => nonces().issue(T0, Buffer.alloc(8)), AuthConfigError);
  });

  it('keeps its secret out of JSON and inspect output', () => {
    const secret = Buffer.from('s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t');
    const s = nonces({ secret });
    const shown = `${JSON.stringify(s)} ${inspect(s, { depth: 5, showHidden: true })}`;
    assert.doesNotMatch(shown, /s3cr3t|73 33 63 72/);
  });
});
