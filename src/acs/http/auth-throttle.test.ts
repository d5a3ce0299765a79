import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthThrottle } from './auth-throttle.ts';

describe('failed-authentication throttle', () => {
  it('gives an address its own allowance: one broken CPE behind a NAT does not lock out the rest', () => {
    const t = new AuthThrottle({ freeFailures: 2, freeAddressFailures: 10, clock: () => 0 });
    for (let i = 0; i < 3; i++) t.failed('192.0.2.1', 'broken-cpe');
    assert.deepEqual(t.check('192.0.2.1', 'broken-cpe'), {
      ok: false,
      by: 'key',
      retryAfterSeconds: 2,
    });
    assert.deepEqual(t.check('192.0.2.1', 'honest-cpe'), { ok: true });
    for (let i = 0; i < 8; i++) t.failed('192.0.2.1', `guess-${i}`);
    assert.equal(t.check('192.0.2.1', 'honest-cpe').ok, false);
  });

  it('locks an address after the free failures, for a delay that doubles, then forgets it', () => {
    let now = 0;
    const t = new AuthThrottle({
      freeFailures: 3,
      baseDelayMs: 1000,
      maxDelayMs: 8000,
      clock: () => now,
    });
    for (let i = 0; i < 2; i++) {
      assert.deepEqual(t.check('10.0.0.1', 'malformed'), { ok: true });
      t.failed('10.0.0.1', `k${i}`);
    }
    assert.deepEqual(t.check('10.0.0.1', 'other'), { ok: true }, 'two failures, still free');
    t.failed('10.0.0.1', 'k3');
    assert.deepEqual(t.check('10.0.0.1', 'other'), {
      ok: false,
      by: 'address',
      retryAfterSeconds: 1,
    });
    assert.deepEqual(t.check('10.0.0.2', 'other'), { ok: true }, 'another address is not locked');
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      now += 60_000;
      t.failed('10.0.0.1', 'k');
      const v = t.check('10.0.0.1', 'k');
      assert.equal(v.ok, false);
      if (!v.ok) delays.push(v.retryAfterSeconds);
    }
    assert.deepEqual(delays, [2, 4, 8, 8, 8], 'doubling up to the cap');
    now += 15 * 60_000;
    assert.deepEqual(t.check('10.0.0.1', 'k'), { ok: true }, 'forgotten after a quiet while');
  });

  it('counts an IPv6 /64 as one address', () => {
    const t = new AuthThrottle({ freeFailures: 2, clock: () => 0 });
    t.failed('2001:db8:1:2::1', 'a');
    t.failed('2001:db8:1:2::ffff', 'b');
    assert.equal(t.check('2001:db8:1:2:abcd::9', 'c').ok, false);
    assert.equal(t.check('2001:db8:1:3::1', 'c').ok, true);
  });

  it('locks a claimed key for addresses that failed, but not for a clean address', () => {
    const t = new AuthThrottle({ freeFailures: 2, clock: () => 0 });
    // Spread over many addresses, each below its own limit.
    for (let i = 0; i < 2; i++) t.failed(`10.1.0.${i}`, 'victim');
    assert.deepEqual(t.check('10.1.0.9', 'victim'), { ok: true }, "the owner's clean address");
    t.failed('10.1.0.9', 'other');
    assert.equal(t.check('10.1.0.9', 'victim').ok, false);
    assert.deepEqual(t.check('10.1.0.9', 'other'), { ok: true });
  });

  it('keeps at most maxEntries counters', () => {
    const t = new AuthThrottle({ freeFailures: 0, maxEntries: 10, clock: () => 0 });
    for (let i = 0; i < 1000; i++) t.failed(`10.2.${i >> 8}.${i & 255}`, `c${i}`);
    assert.equal(t.check('10.2.3.231', 'c999').ok, false, 'the newest is kept');
    assert.equal(t.check('10.2.0.0', 'c0').ok, true, 'the oldest went');
  });
});
