/**
 * S2 first contact: new devices' first session (0 BOOTSTRAP + 1 BOOT, zero-touch on); then new devices that a
 * preset, made through the REST API, sets 10 parameters on and reads 50 of. Each beside the floor answering the
 * same sessions (the very bodies the ACS sent in one of them), in turns with it (interleave.ts).
 */
import { putPreset } from '../api-client.ts';
import { type BenchContext, devices, measure, ratio, type Throughput } from '../context.ts';
import { BENCH_LEAVES } from '../cwmp-session.ts';
import { interleave } from '../interleave.ts';

export const S2 = {
  events: ['0 BOOTSTRAP', '1 BOOT'],
  /** Each half's first sessions, ACS and floor alike, are a warm-up of this share of its devices (at most 200). */
  warmUpShare: 0.05,
  maxWarmUp: 200,
  /** The floor's turns last as long as the ACS's, and this long at least in all. */
  minFloorMs: 2000,
  /** Turns of each (interleave.ts): at most this many, of this many new devices at least. */
  maxSlices: 5,
  minSliceDevices: 200,
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
  const job = (url: string, fleet: ReturnType<typeof devices>) => ({
    url,
    devices: fleet,
    events: S2.events,
    concurrency: options.concurrency,
  });
  // The ACS's warm-up brings back one session's answers: the floor answers every session with them.
  const warm = await measure(ctx, acs.child.pid!, `S2: ACS, ${name}: warm-up (not measured)`, {
    ...job(acs.cwmpUrl, devices(who.productClass, who.serialPrefix, warmUp, count)),
    sample: true,
  });
  await floor.run({ kind: 'turns', turns: warm.sample ?? [] });
  const floorFleet = devices(who.productClass, `${who.serialPrefix}F-`, count);
  await measure(
    ctx,
    floor.pid,
    `S2: floor, ${name}: warm-up (not measured)`,
    job(floor.ready, devices(who.productClass, `${who.serialPrefix}F-`, warmUp, count)),
  );
  const slices = Math.max(1, Math.min(S2.maxSlices, Math.round(count / S2.minSliceDevices)));
  const fleet = devices(who.productClass, who.serialPrefix, count);
  const per = Math.ceil(count / slices);
  const { acs: run, floor: floorRun } = await interleave(
    ctx,
    `S2: ACS and floor, ${name}, in turns`,
    {
      // Each device once, a share of them a turn.
      acs: {
        pid: acs.child.pid!,
        job: (i) => job(acs.cwmpUrl, fleet.slice(i * per, (i + 1) * per)),
      },
      // As long as the ACS's latest turn, cycling through the devices (the floor answers them all alike), and
      // long enough in all: once each, the floor took under half a second of CPU, a few dozen of the kernel's
      // 10 ms ticks, and its figure moved by a third from one run to the next.
      floor: {
        pid: floor.pid,
        job: (_, lastAcs) => ({
          ...job(floor.ready, floorFleet),
          durationMs: Math.max(S2.minFloorMs / slices, lastAcs?.wallMs ?? 0),
        }),
      },
    },
    slices,
  );
  return { acs: run, floor: floorRun, ratioToFloor: ratio(run, floorRun) };
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
