/**
 * S2 first contact: new devices' first session (0 BOOTSTRAP + 1 BOOT, zero-touch on); then new devices that a
 * preset, made through the REST API, sets 10 parameters on and reads 50 of. Each beside the floor answering the
 * same sessions (the very bodies the ACS sent in one of them).
 */
import { putPreset } from '../api-client.ts';
import { type BenchContext, devices, measure, ratio, type Throughput } from '../context.ts';
import { BENCH_LEAVES } from '../cwmp-session.ts';

export const S2 = {
  events: ['0 BOOTSTRAP', '1 BOOT'],
  /** Each half's first sessions, ACS and floor alike, are a warm-up of this share of its devices (at most 200). */
  warmUpShare: 0.05,
  maxWarmUp: 200,
  /** The floor's run lasts as long as the ACS's, and at least this long. */
  minFloorMs: 2000,
  zeroTouch: { productClass: 'BenchFirstContact', serialPrefix: 'S2Z-' },
  preset: { productClass: 'BenchPreset', serialPrefix: 'S2P-', name: 'bench-s2' },
  presetBody: {
    weight: 10,
    channel: 'bench',
    precondition: { field: 'productClass', op: 'eq', value: 'BenchPreset' },
    declarations: {
      // The loader's devices have these (cwmp-session.ts's bench branch): 10 settings, 50 readings.
      values: BENCH_LEAVES.filter((l) => l.writable).map((l, i) => ({
        path: l.name,
        value: `value-${i + 1}`,
        type: 'string',
      })),
      fresh: BENCH_LEAVES.filter((l) => !l.writable).map((l) => ({
        path: l.name,
        maxAgeSeconds: 3600,
      })),
    },
  },
};

export interface FirstContactRun {
  acs: Throughput;
  floor: Throughput;
  ratioToFloor: number | null;
}

export interface S2Result {
  devices: number;
  /** Zero-touch only. */
  zeroTouch: FirstContactRun;
  /** Zero-touch and the preset. */
  preset: FirstContactRun;
  /** The zero-touch half's ratio (the preset half's is under `preset`). */
  ratioToFloor: number | null;
}

async function half(
  ctx: BenchContext,
  name: string,
  who: { productClass: string; serialPrefix: string },
): Promise<FirstContactRun> {
  const { options, acs, floor } = ctx;
  const count = options.firstContact;
  // New devices too (serial numbers after the measured ones'): the first sessions of a path load its modules.
  const warmUp = Math.max(1, Math.min(S2.maxWarmUp, Math.round(count * S2.warmUpShare)));
  const warm = (side: 'ACS' | 'floor', url: string, prefix: string, pid: number) =>
    measure(ctx, pid, `S2: ${side}, ${name}: warm-up (not measured)`, {
      url,
      devices: devices(who.productClass, prefix, warmUp, count),
      events: S2.events,
      concurrency: options.concurrency,
    });
  await warm('ACS', acs.cwmpUrl, who.serialPrefix, acs.child.pid!);
  const fleet = devices(who.productClass, who.serialPrefix, count);
  const run = await measure(ctx, acs.child.pid!, `S2: ACS, ${name}`, {
    url: acs.cwmpUrl,
    devices: fleet,
    events: S2.events,
    concurrency: options.concurrency,
    sample: true,
  });
  await floor.run({ kind: 'turns', turns: run.sample ?? [] });
  await warm('floor', floor.ready, `${who.serialPrefix}F-`, floor.pid);
  const floorRun = await measure(ctx, floor.pid, `S2: floor, ${name}`, {
    url: floor.ready,
    devices: devices(who.productClass, `${who.serialPrefix}F-`, count),
    events: S2.events,
    concurrency: options.concurrency,
    // As long as the ACS's run, cycling through the devices (the floor answers them all alike): once each, the
    // floor took under half a second of CPU, a few dozen of the kernel's 10 ms ticks, and its figure moved by a
    // third from one run to the next.
    durationMs: Math.max(S2.minFloorMs, run.figures.wallSeconds * 1000),
  });
  return {
    acs: run.figures,
    floor: floorRun.figures,
    ratioToFloor: ratio(run.figures, floorRun.figures),
  };
}

export async function runS2(ctx: BenchContext): Promise<S2Result> {
  const zeroTouch = await half(ctx, 'zero-touch', S2.zeroTouch);
  await putPreset(ctx.api, S2.preset.name, S2.presetBody);
  const preset = await half(ctx, 'zero-touch + a preset (10 sets, 50 reads)', S2.preset);
  return {
    devices: ctx.options.firstContact,
    zeroTouch,
    preset,
    ratioToFloor: zeroTouch.ratioToFloor,
  };
}
