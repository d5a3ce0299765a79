/**
 * S1 periodic: known devices' periodic sessions at saturation, the ACS and the floor in turns (interleave.ts);
 * then latency at 50 % and 90 % of that rate, the floor's at the same rates beside it: what the machine and the
 * load add to any server's latency.
 */
import { type BenchContext, devices, measure, ratio, type Throughput } from '../context.ts';
import { interleave, sliceCount } from '../interleave.ts';

export const S1 = {
  productClass: 'BenchPeriodic',
  serialPrefix: 'S1-',
  bootstrapEvents: ['0 BOOTSTRAP', '1 BOOT'],
  events: ['2 PERIODIC'],
  /** The fractions of the saturated rate the latency is measured at. */
  loads: [0.5, 0.9],
} as const;

export interface LatencyAt {
  /** The fraction of the saturated rate, and the arrival rate it made. */
  load: number;
  ratePerSec: number;
  sessions: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  sessionsPerCpuSecond: number | null;
  /** The floor's latency at the same arrival rate. */
  floor: { p50Ms: number; p99Ms: number };
}

export interface S1Result {
  devices: number;
  concurrency: number;
  acs: Throughput;
  latency: LatencyAt[];
  ratioToFloor: number | null;
}

export function s1Devices(count: number) {
  return devices(S1.productClass, S1.serialPrefix, count);
}

export async function runS1(ctx: BenchContext): Promise<{ result: S1Result; floor: Throughput }> {
  const { options, acs, floor } = ctx;
  const fleet = s1Devices(options.devices);
  const acsPid = acs.child.pid!;
  await measure(ctx, acsPid, `S1: making ${fleet.length} devices known (not measured)`, {
    url: acs.cwmpUrl,
    devices: fleet,
    events: S1.bootstrapEvents,
    concurrency: options.concurrency,
  });
  const closedLoop = (url: string, durationMs: number) => ({
    url,
    devices: fleet,
    events: S1.events,
    concurrency: options.concurrency,
    durationMs,
  });
  const warmUpMs = Math.min(2000, options.durationMs / 2);
  // Warm-ups of both, the ACS's with one sample session that the floor then replays.
  const warm = await measure(ctx, acsPid, 'S1: warm-up (not measured)', {
    ...closedLoop(acs.cwmpUrl, warmUpMs),
    sample: true,
  });
  await floor.run({ kind: 'turns', turns: warm.sample ?? [] });
  await measure(
    ctx,
    floor.pid,
    'S1: floor warm-up (not measured)',
    closedLoop(floor.ready, warmUpMs),
  );
  const slices = sliceCount(options.durationMs);
  const sliceMs = options.durationMs / slices;
  const { acs: saturated, floor: floorSaturated } = await interleave(
    ctx,
    'S1: ACS and floor at saturation, in turns',
    {
      acs: { pid: acsPid, job: () => closedLoop(acs.cwmpUrl, sliceMs) },
      floor: { pid: floor.pid, job: () => closedLoop(floor.ready, sliceMs) },
    },
    slices,
  );
  const rates = S1.loads.map((load) => ({
    load,
    ratePerSec: Math.max(1, Math.round(saturated.sessionsPerSec * load)),
  }));
  const atRate = (url: string, ratePerSec: number) => ({
    url,
    devices: fleet,
    events: S1.events,
    concurrency: 4096,
    durationMs: options.durationMs / 2,
    ratePerSec,
  });
  const acsRuns = [];
  for (const { load, ratePerSec } of rates) {
    const label = `S1: ACS at ${load * 100} % (${ratePerSec} sessions/s)`;
    acsRuns.push(await measure(ctx, acsPid, label, atRate(acs.cwmpUrl, ratePerSec)));
  }
  const latency: LatencyAt[] = [];
  for (const [i, { load, ratePerSec }] of rates.entries()) {
    const label = `S1: floor at the ACS's ${load * 100} % (${ratePerSec} sessions/s)`;
    const floorAt = await measure(ctx, floor.pid, label, atRate(floor.ready, ratePerSec));
    const run = acsRuns[i]!.figures;
    latency.push({
      load,
      ratePerSec,
      sessions: run.sessions,
      failed: run.failed,
      p50Ms: run.p50Ms,
      p99Ms: run.p99Ms,
      sessionsPerCpuSecond: run.sessionsPerCpuSecond,
      floor: { p50Ms: floorAt.figures.p50Ms, p99Ms: floorAt.figures.p99Ms },
    });
  }
  return {
    result: {
      devices: fleet.length,
      concurrency: options.concurrency,
      acs: saturated,
      latency,
      ratioToFloor: ratio(saturated, floorSaturated),
    },
    floor: floorSaturated,
  };
}
