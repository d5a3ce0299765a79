import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthConfigError } from './errors.ts';
import { MemoryNonceCountTracker, type NonceUse } from './nonce-count.ts';

function clock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

function use(nonce: string, nc: number, issuedAt = 1_000_000, ttl = 60_000): NonceUse {
  return { nonce, nc, issuedAt, expiresAt: issuedAt + ttl };
}

describe('MemoryNonceCountTracker', () => {
  it('accepts increasing counts and refuses a replayed or lower one', () => {
    const t = new MemoryNonceCountTracker({ clock: clock().now });
    assert.equal(t.accept(use('a', 1)), 'accepted');
    assert.equal(t.accept(use('a', 1)), 'replayed');
    assert.equal(t.accept(use('a', 2)), 'accepted');
    assert.equal(t.accept(use('a', 5)), 'accepted');
    assert.equal(t.accept(use('a', 3)), 'replayed');
    assert.equal(t.accept(use('a', 5)), 'replayed');
    assert.equal(t.accept(use('b', 1)), 'accepted');
  });

  it('refuses counts that are not positive integers', () => {
    const t = new MemoryNonceCountTracker({ clock: clock().now });
    for (const nc of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.equal(t.accept(use('a', nc)), 'replayed', String(nc));
    }
    assert.equal(t.size, 0);
  });

  it('stays within its cap, evicting the least recently used nonce', () => {
    const c = clock();
    const t = new MemoryNonceCountTracker({ maxEntries: 3, clock: c.now });
    assert.equal(t.accept(use('a', 1, 1_000_000)), 'accepted');
    assert.equal(t.accept(use('b', 1, 1_000_001)), 'accepted');
    assert.equal(t.accept(use('c', 1, 1_000_002)), 'accepted');
    assert.equal(t.accept(use('a', 2, 1_000_000)), 'accepted'); // a is now the most recent
    assert.equal(t.accept(use('d', 1, 1_000_003)), 'accepted'); // evicts b
    assert.equal(t.size, 3);
    assert.equal(t.accept(use('a', 2, 1_000_000)), 'replayed');
    assert.equal(t.accept(use('c', 1, 1_000_002)), 'replayed');
    // b was evicted before it expired: it may not come back as new.
    assert.equal(t.accept(use('b', 1, 1_000_001)), 'forgotten');
    assert.equal(t.accept(use('b', 9, 1_000_001)), 'forgotten');
    // Nonces issued after the evicted one are unaffected.
    assert.equal(t.accept(use('e', 1, 1_000_004)), 'accepted');
  });

  it('after an early eviction, also treats never-seen older nonces as forgotten', () => {
    const t = new MemoryNonceCountTracker({ maxEntries: 1, clock: clock().now });
    t.accept(use('a', 1, 1_000_010));
    t.accept(use('b', 1, 1_000_020)); // evicts a (issued at 1_000_010)
    assert.equal(t.accept(use('older', 1, 1_000_005)), 'forgotten');
    assert.equal(t.accept(use('newer', 1, 1_000_030)), 'accepted');
  });

  it('sweeps expired nonces before evicting live ones, so no watermark is raised', () => {
    const c = clock();
    const t = new MemoryNonceCountTracker({ maxEntries: 2, clock: c.now });
    t.accept(use('a', 1, 1_000_000, 1_000));
    t.accept(use('b', 1, 1_000_000, 1_000));
    c.advance(2_000);
    assert.equal(t.accept(use('c', 1, 1_002_000)), 'accepted');
    assert.equal(t.size, 1);
    // a and b expired, so dropping them lost nothing: an old-but-unseen nonce is still judged on its own.
    assert.equal(t.accept(use('x', 1, 1_001_000, 60_000)), 'accepted');
  });

  it('does not record a use whose nonce has already expired by its clock', () => {
    const c = clock();
    const t = new MemoryNonceCountTracker({ clock: c.now });
    c.advance(120_000);
    assert.equal(t.accept(use('a', 1)), 'forgotten');
    assert.equal(t.size, 0);
  });

  it('handles 100,000 nonces through a 1,000-entry cap quickly', () => {
    const c = clock();
    const t = new MemoryNonceCountTracker({ maxEntries: 1_000, clock: c.now });
    const started = performance.now();
    for (let i = 0; i < 100_000; i++) {
      c.advance(1);
      assert.equal(t.accept(use(`n${i}`, 1, c.now(), 50)), 'accepted');
    }
    assert.ok(t.size <= 1_000);
    assert.ok(performance.now() - started < 2_000);
  });

  it('refuses a cap that is not a positive integer', () => {
    for (const maxEntries of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => new MemoryNonceCountTracker({ maxEntries }), AuthConfigError);
    }
  });
});
