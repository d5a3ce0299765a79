import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { isStoreError } from './errors.ts';
import { Secret } from './secret.ts';
import { SecretBox } from './secret-box.ts';

describe('Secret', () => {
  const s = new Secret('hunter2-plaintext');

  it('never prints its value', () => {
    assert.equal(String(s), '[redacted]');
    assert.equal(`${s}`, '[redacted]');
    assert.equal(JSON.stringify({ password: s }), '{"password":"[redacted]"}');
    assert.doesNotMatch(inspect({ nested: { s } }, { depth: 5 }), /hunter2/);
    assert.doesNotMatch(inspect(s, { showHidden: true }), /hunter2/);
  });

  it('reveals and compares', () => {
    assert.equal(s.reveal(), 'hunter2-plaintext');
    assert.ok(s.equals('hunter2-plaintext'));
    assert.ok(s.equals(new Secret('hunter2-plaintext')));
    assert.ok(!s.equals('hunter2-plaintexT'));
    assert.ok(!s.equals('hunter2'));
  });
});

describe('SecretBox', () => {
  const key = new Uint8Array(32).fill(7);
  const box = new SecretBox(key);

  it('round-trips, with a fresh IV each time', () => {
    const text = 'pässwörd\u0000<script>\u202e'.repeat(3);
    const a = box.seal(text, 'ctx');
    const b = box.seal(text, 'ctx');
    assert.notDeepEqual(a, b);
    assert.equal(box.open(a, 'ctx'), text);
    assert.equal(box.open(b, 'ctx'), text);
    assert.equal(a.includes(Buffer.from('pässwörd')), false);
  });

  it('refuses another context, another key, and tampering', () => {
    const sealed = box.seal('secret', 'cpe-password:dev-1');
    assert.throws(
      () => box.open(sealed, 'cpe-password:dev-2'),
      (e) => isStoreError(e, 'decrypt-failed'),
    );
    const other = new SecretBox(new Uint8Array(32).fill(8));
    assert.throws(
      () => other.open(sealed, 'cpe-password:dev-1'),
      (e) => isStoreError(e, 'decrypt-failed'),
    );
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
    assert.throws(
      () => box.open(flipped, 'cpe-password:dev-1'),
      (e) => isStoreError(e, 'decrypt-failed'),
    );
    assert.throws(
      () => box.open(Buffer.of(1, 2, 3), 'x'),
      (e) => isStoreError(e, 'decrypt-failed'),
    );
  });

  it('needs a 32-byte key', () => {
    assert.throws(
      () => new SecretBox(new Uint8Array(16)),
      (e) => isStoreError(e, 'invalid'),
    );
  });

  it('does not put the key or plaintext in its error', () => {
    try {
      box.open(box.seal('topsecret', 'a'), 'b');
      assert.fail('should throw');
    } catch (e) {
      assert.doesNotMatch(String(e), /topsecret/);
      assert.doesNotMatch(inspect(e), /topsecret/);
    }
  });
});
