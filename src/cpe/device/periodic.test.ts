import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextPeriodicInform } from './periodic.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('nextPeriodicInform', () => {
  it('keeps the phase of PeriodicInformTime, before or after now', () => {
    const s = { enabled: true, interval: 3600, time: '2026-01-01T00:30:00Z' };
    assert.equal(nextPeriodicInform(s, T0, 0), Date.UTC(2026, 0, 1, 12, 30));
    const future = { ...s, time: '2026-06-01T00:10:00Z' };
    assert.equal(nextPeriodicInform(future, T0, 0), Date.UTC(2026, 0, 1, 12, 10));
  });

  it('is strictly after now when now falls on the phase', () => {
    const s = { enabled: true, interval: 60, time: '2026-01-01T00:00:00Z' };
    assert.equal(nextPeriodicInform(s, T0, 0), T0 + 60_000);
  });

  it('uses the device’s own phase with the Unknown Time', () => {
    const s = { enabled: true, interval: 300, time: '0001-01-01T00:00:00Z' };
    assert.equal(nextPeriodicInform(s, T0, T0 + 17_000), T0 + 17_000);
    assert.equal(nextPeriodicInform(s, T0 + 17_000, T0 + 17_000), T0 + 317_000);
  });

  it('is off when disabled or the interval is not usable', () => {
    assert.equal(nextPeriodicInform({ enabled: false, interval: 60, time: '' }, T0, T0), undefined);
    assert.equal(nextPeriodicInform({ enabled: true, interval: 0, time: '' }, T0, T0), undefined);
  });
});
