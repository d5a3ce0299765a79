/**
 * The budget: an idle simulated device costs at most 10 KB, whatever the size of its profile (devices share
 * the template and keep only what differs). Measured loosely over 2,000 devices that have each booted and run a real
 * session; `npm run bench:sim` gives the real figure (about 2 KB of heap on Node 20).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startIdleFleet } from '../testing/idle-fleet.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test('an idle Device:2 device that has informed costs under 10 KB of heap', {
  timeout: 30_000,
}, async () => {
  const n = 2000;
  let before = 0;
  const idle = await startIdleFleet(n, {
    beforeFleet: () => {
      gc();
      before = process.memoryUsage().heapUsed;
    },
    onSession: (r) => assert.equal(r.ok, true, r.error?.message),
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 50));
    gc();
    const perDevice = (process.memoryUsage().heapUsed - before) / n;
    assert.ok(perDevice < 10 * 1024, `${perDevice.toFixed(0)} bytes per device`);
    assert.equal(idle.fleet.snapshot().sessionsCompleted, n);
  } finally {
    await idle.close();
  }
});
