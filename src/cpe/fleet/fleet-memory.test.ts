/**
 * The budget: an idle simulated device costs at most 10 KB, whatever the size of its profile (devices share
 * the template and keep only what differs). Measured loosely over 2,000 devices that have each booted and run a real
 * session; measure-fleet.ts gives the real figure (about 2 KB on Node 20).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { SimulatedClock } from '../clock/simulated-clock.ts';
import { informResponse, ScriptedAcs } from '../testing/scripted-acs.ts';
import { Fleet } from './fleet.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test('an idle Device:2 device that has informed costs under 10 KB of heap', {
  timeout: 30_000,
}, async () => {
  const n = 2000;
  const acs = await new ScriptedAcs((r) => (r.body === '' ? { status: 204 } : informResponse()), {
    record: false,
  }).start();
  const clock = new SimulatedClock();
  // Build the shared template first: it is the profile's, not the devices'.
  await (
    await Fleet.start({
      devices: 1,
      acsUrl: acs.url,
      profile: DEVICE2_GATEWAY,
      scheduler: clock,
      connectionRequest: false,
    })
  ).stop();
  gc();
  const before = process.memoryUsage().heapUsed;
  let done = 0;
  let finished!: () => void;
  const all = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const fleet = await Fleet.start({
    devices: n,
    acsUrl: acs.url,
    profile: DEVICE2_GATEWAY,
    rate: Number.POSITIVE_INFINITY,
    scheduler: clock,
    maxConcurrentSessions: 64,
    onSession: (r) => {
      assert.equal(r.ok, true, r.error?.message);
      if (++done === n) finished();
    },
  });
  try {
    await all;
    await new Promise((resolve) => setTimeout(resolve, 50));
    gc();
    const perDevice = (process.memoryUsage().heapUsed - before) / n;
    assert.ok(perDevice < 10 * 1024, `${perDevice.toFixed(0)} bytes per device`);
    assert.equal(fleet.snapshot().sessionsCompleted, n);
  } finally {
    await fleet.stop();
    await acs.close();
  }
});
