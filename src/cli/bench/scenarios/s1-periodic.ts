/**
 * S1 periodic: known devices' periodic sessions at saturation, then latency at 50 % and 90 % of that rate, the
 * floor's at the same rates beside it: what the machine and the load add to any server's latency.
 */
import { type BenchContext, devices, measure, ratio, type Throughput } from '../context.ts';

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
  // A short warm-up, whose one sample session the floor will replay.
  const warm = await measure(ctx, acsPid, 'S1: warm-up (not measured)', {
    url: acs.cwmpUrl,
    devices: fleet,
    events: S1.events,
    concurrency: options.concurrency,
    durationMs: Math.min(2000, options.durationMs / 2),
    sample: true,
  });
  const saturated = await measure(ctx, acsPid, 'S1: ACS at saturation', {
    url: acs.cwmpUrl,
    devices: fleet,
    events: S1.events,
    concurrency: options.concurrency,
    durationMs: options.durationMs,
  });
  const rates = S1.loads.map((load) => ({
    load,
    ratePerSec: Math.max(1, Math.round(saturated.figures.sessionsPerSec * load)),
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
  await floor.run({ kind: 'turns', turns: warm.sample ?? [] });
  const floorRun = await measure(ctx, floor.pid, 'S1: floor at saturation', {
    url: floor.ready,
    devices: fleet,
    events: S1.events,
    concurrency: options.concurrency,
    durationMs: options.durationMs,
  });
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
      acs: saturated.figures,
      latency,
      ratioToFloor: ratio(saturated.figures, floorRun.figures),
    },
    floor: floorRun.figures,
  };
}
