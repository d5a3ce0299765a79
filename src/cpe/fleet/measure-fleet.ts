/**
 * Heap per simulated device after it has booted and informed:
 * `node --expose-gc --import tsx src/cpe/fleet/measure-fleet.ts [N]` (default 10,000). The devices run a real
 * session each against a minimal loopback ACS, on a simulated clock, then sit idle with their periodic timer set;
 * the heap growth over the fleet is divided by N. Also prints the real time per session. (A script, not a test:
 * heap figures vary with the runtime; fleet-memory.test.ts holds the loose bound.)
 */
import { performance } from 'node:perf_hooks';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { SimulatedClock } from '../clock/simulated-clock.ts';
import { informResponse, ScriptedAcs } from '../testing/scripted-acs.ts';
import { Fleet } from './fleet.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error('run with node --expose-gc');
  process.exit(2);
}
const n = Number(process.argv[2] ?? 10_000);
const acs = await new ScriptedAcs((r) => (r.body === '' ? { status: 204 } : informResponse()), {
  record: false,
}).start();
const clock = new SimulatedClock();
gc();
const before = process.memoryUsage().heapUsed;
const cpuBefore = process.cpuUsage();
const t0 = performance.now();
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
  onSession: () => {
    if (++done === n) finished();
  },
});
await all;
const elapsed = performance.now() - t0;
const cpu = process.cpuUsage(cpuBefore);
await new Promise((resolve) => setTimeout(resolve, 100));
gc();
const after = process.memoryUsage().heapUsed;
const snap = fleet.snapshot();
console.log(
  `${n} Device:2 devices, one session each: ${Math.round((after - before) / n)} bytes of heap per idle device; ` +
    `${(elapsed / n).toFixed(2)} ms wall and ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms CPU per session ` +
    `(device and loopback ACS in one process); p50 ${snap.p50Ms} ms, p99 ${snap.p99Ms} ms; ` +
    `rss ${(snap.rssBytes / 1e6).toFixed(0)} MB; pending timers ${clock.pending}`,
);
await fleet.stop();
await acs.close();
