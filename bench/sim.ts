import { parseArgs } from 'node:util';
import { SimulatedClock } from '../src/cpe/clock/simulated-clock.ts';
import { Fleet } from '../src/cpe/fleet/fleet.ts';
import { informResponse, ScriptedAcs } from '../src/cpe/testing/scripted-acs.ts';
import { DEVICE2_GATEWAY } from '../src/datamodel/profiles/index.ts';

/**
 * `npm run bench:sim [-- --devices N] [-- --json]`: memory of N idle simulated Device:2 devices (each has booted
 * and run its BOOTSTRAP session, then waits for its periodic Inform) and the CPU time per Inform session. The
 * floor is the same process before the fleet exists (a minimal loopback ACS already running), measured in the
 * same run; per-device figures are growth over it. CPU per session counts the device and that minimal ACS.
 */
const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '100000' },
    json: { type: 'boolean', default: false },
  },
});
const n = Number(args.devices);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc (npm run bench:sim does)');

const acs = await new ScriptedAcs((r) => (r.body === '' ? { status: 204 } : informResponse()), {
  record: false,
}).start();
const clock = new SimulatedClock();
gc();
const floor = process.memoryUsage();
const cpuBefore = process.cpuUsage();
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
const cpu = process.cpuUsage(cpuBefore);
await new Promise((resolve) => setTimeout(resolve, 200));
gc();
const idle = process.memoryUsage();
const snap = fleet.snapshot();
const result = {
  devices: n,
  rssBytes: idle.rss,
  bytesPerDevice: Math.round((idle.rss - floor.rss) / n),
  heapBytesPerDevice: Math.round((idle.heapUsed - floor.heapUsed) / n),
  floorRssBytes: floor.rss,
  cpuMsPerSession: Number(((cpu.user + cpu.system) / 1000 / n).toFixed(3)),
  sessionsCompleted: snap.sessionsCompleted,
  sessionsFailed: snap.sessionsFailed,
};
if (args.json) {
  console.log(JSON.stringify(result));
} else {
  console.log(
    `CPE simulator: ${n.toLocaleString('en-US')} idle Device:2 devices (Node ${process.version})`,
  );
  console.log(
    `  RSS ${(idle.rss / 1e6).toFixed(0)} MB (floor before the fleet: ${(floor.rss / 1e6).toFixed(0)} MB)`,
  );
  console.log(
    `  per device: ${result.bytesPerDevice} B of RSS, ${result.heapBytesPerDevice} B of heap (target ≤ 10,240 B)`,
  );
  console.log(
    `  CPU per Inform session: ${result.cpuMsPerSession} ms (device + minimal loopback ACS, one process)`,
  );
  console.log(`  sessions: ${result.sessionsCompleted} completed, ${result.sessionsFailed} failed`);
}
await fleet.stop();
await acs.close();
