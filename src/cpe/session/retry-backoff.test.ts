import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retryDelayMs, retryWaitRange } from './retry-backoff.ts';

const defaults = { minimumWaitSeconds: 5, intervalMultiplier: 2000 };

describe('retry back-off', () => {
  it('follows the table of TR-069 §3.2.1.1 with the defaults', () => {
    const table = [
      [5, 10],
      [10, 20],
      [20, 40],
      [40, 80],
      [80, 160],
      [160, 320],
      [320, 640],
      [640, 1280],
      [1280, 2560],
      [2560, 5120],
      [2560, 5120],
      [2560, 5120],
    ];
    table.forEach(([min, max], i) => {
      assert.deepEqual(retryWaitRange(i + 1, defaults), { min, max }, `retry ${i + 1}`);
    });
  });

  it('uses the device parameters, and defaults for values out of range', () => {
    assert.deepEqual(retryWaitRange(2, { minimumWaitSeconds: 3, intervalMultiplier: 1500 }), {
      min: 4.5,
      max: 6.75,
    });
    assert.deepEqual(retryWaitRange(1, { minimumWaitSeconds: 0, intervalMultiplier: 999 }), {
      min: 5,
      max: 10,
    });
  });

  it('draws uniformly inside the range', () => {
    assert.equal(
      retryDelayMs(3, defaults, () => 0),
      20_000,
    );
    assert.equal(
      retryDelayMs(3, defaults, () => 0.5),
      30_000,
    );
    for (let i = 0; i < 200; i++) {
      const d = retryDelayMs(4, defaults);
      assert.ok(d >= 40_000 && d <= 80_000, String(d));
    }
    assert.throws(() => retryWaitRange(0, defaults), RangeError);
  });
});
