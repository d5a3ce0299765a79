import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionRecord } from '../device/simulated-device.ts';
import { SessionError } from '../session/errors.ts';
import { FleetStats, LatencyHistogram } from './stats.ts';

describe('LatencyHistogram', () => {
  it('gives percentiles within 1 %', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) h.record(i);
    const p50 = h.quantile(0.5);
    const p99 = h.quantile(0.99);
    assert.ok(Math.abs(p50 - 500) / 500 <= 0.011, String(p50));
    assert.ok(Math.abs(p99 - 990) / 990 <= 0.011, String(p99));
    assert.equal(h.quantile(1), 1000);
    assert.equal(new LatencyHistogram().quantile(0.5), 0);
  });
});

describe('FleetStats', () => {
  it('counts completed and failed sessions, faults and errors by kind', () => {
    const s = new FleetStats();
    const base: SessionRecord = {
      serialNumber: 'X',
      startedAt: 0,
      durationMs: 10,
      ok: true,
      informAccepted: true,
      events: [],
      retryCount: 0,
      acsRequests: [],
      acknowledged: [],
      faultsSent: 0,
    };
    s.record(base);
    s.record({ ...base, faultsSent: 2, durationMs: 30 });
    s.record({
      ...base,
      ok: false,
      informAccepted: false,
      error: new SessionError('connect', 'refused'),
    });
    s.record({
      ...base,
      ok: false,
      informAccepted: false,
      error: new SessionError('fault', '8002', { faultCode: 8002 }),
    });
    const snap = s.snapshot(4, 4);
    assert.equal(snap.sessionsCompleted, 2);
    assert.equal(snap.sessionsFailed, 2);
    assert.equal(snap.faults, 3);
    assert.deepEqual(snap.errors, { connect: 1, fault: 1 });
    assert.ok(snap.p50Ms >= 9.9 && snap.p50Ms <= 10.1);
    assert.ok(snap.rssBytes > 0);
  });
});
