import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AddressLimits, addressKey } from './address-limits.ts';

function clock(start = 1_000_000) {
  const c = { now: start, fn: () => c.now };
  return c;
}

describe('per-address limits', () => {
  it('admits a burst of Informs, then refuses with a Retry-After until the bucket refills', () => {
    const c = clock();
    const limits = new AddressLimits({ informBurst: 3, informsPerSecond: 0.5 }, c.fn);
    for (let i = 0; i < 3; i++) assert.deepEqual(limits.admitInform('192.0.2.1'), { ok: true });
    assert.deepEqual(limits.admitInform('192.0.2.1'), { ok: false, retryAfterSeconds: 2 });
    // Another address has its own bucket.
    assert.deepEqual(limits.admitInform('192.0.2.2'), { ok: true });
    c.now += 1000; // half a token back
    assert.deepEqual(limits.admitInform('192.0.2.1'), { ok: false, retryAfterSeconds: 1 });
    c.now += 1000;
    assert.deepEqual(limits.admitInform('192.0.2.1'), { ok: true });
    assert.equal(limits.admitInform('192.0.2.1').ok, false);
    // A long quiet spell refills to the burst, no further.
    c.now += 3_600_000;
    for (let i = 0; i < 3; i++) assert.equal(limits.admitInform('192.0.2.1').ok, true);
    assert.equal(limits.admitInform('192.0.2.1').ok, false);
  });

  it('peeks without taking a token (a Digest challenge round trip is not a new session)', () => {
    const limits = new AddressLimits({ informBurst: 1, informsPerSecond: 0.001 }, clock().fn);
    for (let i = 0; i < 5; i++) assert.deepEqual(limits.peekInform('192.0.2.1'), { ok: true });
    assert.deepEqual(limits.admitInform('192.0.2.1'), { ok: true });
    assert.equal(limits.peekInform('192.0.2.1').ok, false);
    assert.equal(limits.admitInform('192.0.2.1').ok, false);
  });

  it('caps requests in progress per address and frees a slot when one ends', () => {
    const limits = new AddressLimits({ maxConcurrentRequests: 2 });
    assert.equal(limits.enter('10.0.0.1'), true);
    assert.equal(limits.enter('10.0.0.1'), true);
    assert.equal(limits.enter('10.0.0.1'), false);
    assert.equal(limits.enter('10.0.0.2'), true);
    limits.leave('10.0.0.1');
    assert.equal(limits.enter('10.0.0.1'), true);
    limits.leave('10.0.0.1');
    limits.leave('10.0.0.1');
    limits.leave('10.0.0.2');
    assert.equal(limits.busyAddresses, 0);
  });

  it('never refuses a request of a session already admitted, but counts it against new ones', () => {
    const limits = new AddressLimits({ maxConcurrentRequests: 1 });
    assert.equal(limits.enter('10.0.0.1'), true);
    assert.equal(limits.enter('10.0.0.1', true), true, 'in a session: goes on');
    limits.leave('10.0.0.1');
    assert.equal(limits.enter('10.0.0.1'), false, 'still one in progress');
    limits.leave('10.0.0.1');
    assert.equal(limits.enter('10.0.0.1'), true);
    limits.leave('10.0.0.1');
    assert.equal(limits.busyAddresses, 0);
  });

  it('counts IPv6 per /64 and IPv4-mapped addresses as IPv4', () => {
    assert.equal(addressKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:0db8:0001:0002:ffff:0:0:9'), '2001:db8:1:2::/64');
    assert.equal(addressKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(addressKey('::ffff:192.0.2.7'), '192.0.2.7');
    assert.equal(addressKey('192.0.2.7'), '192.0.2.7');
    assert.equal(addressKey(undefined), '?');
    const limits = new AddressLimits({ informBurst: 1, informsPerSecond: 1 });
    assert.equal(limits.admitInform('2001:db8:1:2::1').ok, true);
    assert.equal(limits.admitInform('2001:db8:1:2::99').ok, false, 'same /64');
    assert.equal(limits.admitInform('2001:db8:1:3::1').ok, true, 'another /64');
  });

  it('forgets the least recently seen address beyond its memory bound', () => {
    const limits = new AddressLimits({ informBurst: 1, informsPerSecond: 0.001, maxAddresses: 2 });
    assert.equal(limits.admitInform('10.0.0.1').ok, true);
    assert.equal(limits.admitInform('10.0.0.2').ok, true);
    assert.equal(limits.admitInform('10.0.0.3').ok, true); // 10.0.0.1 is forgotten
    assert.equal(limits.admitInform('10.0.0.1').ok, true, 'a forgotten address starts afresh');
    assert.equal(limits.admitInform('10.0.0.3').ok, false, 'a remembered one does not');
  });

  it('refuses settings that are not positive numbers', () => {
    assert.throws(() => new AddressLimits({ informsPerSecond: 0 }), RangeError);
    assert.throws(() => new AddressLimits({ maxConcurrentRequests: Number.NaN }), RangeError);
  });
});
