import { startIdleFleet } from '../src/cpe/testing/idle-fleet.ts';
import { benchArgs } from './bench-args.ts';

/**
 * `npm run bench:sim [-- --devices N] [-- --json]`: memory of N idle simulated Device:2 devices (each has booted
 * and run its BOOTSTRAP session, then waits for its periodic Inform) and the CPU time per Inform session. The
 * floor is the same process before the fleet exists (a minimal loopback ACS and the shared template already there), measured in the
 * same run; per-device figures are growth over it. CPU per session counts the device and that minimal ACS.
 */
const args = benchArgs(
  `usage: npm run bench:sim [-- options]

Memory of N idle simulated Device:2 devices (each has booted and run its BOOTSTRAP session) and the CPU time
per Inform session, as growth over the same process before the fleet exists. Needs node --expose-gc (npm run
bench:sim gives it).

  --devices N    how many devices (default 100000)
  --json         one JSON object instead of the table
  -h, --help     show this help
`,
  { devices: { type: 'string' }, json: { type: 'boolean' } },
);
const n = Number(args.devices ?? '100000');
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc (npm run bench:sim does)');

let floor!: NodeJS.MemoryUsage;
let cpuBefore!: NodeJS.CpuUsage;
const fleet = await startIdleFleet(n, {
  beforeFleet: () => {
    gc();
    floor = process.memoryUsage();
    cpuBefore = process.cpuUsage();
  },
});
const cpu = process.cpuUsage(cpuBefore);
await new Promise((resolve) => setTimeout(resolve, 200));
gc();
const idle = process.memoryUsage();
const snap = fleet.fleet.snapshot();
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
await fleet.close();
