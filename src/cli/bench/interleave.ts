/**
 * The ACS and its floor measured in turns over one window — ACS, floor, floor, ACS, ACS, floor… — rather than one
 * after the other. This machine's speed drifts by a third within minutes: measured a few seconds apart, one run's
 * ratio moved by a quarter either way (S1, three runs of one build within ten minutes: 23.2, 25.2 and 32.2 %).
 * In turns, a drift slows both alike. Each side's CPU is read from the window's start to its end, so what a slice
 * leaves behind (the ACS's trace evictions a second later, a checkpoint) is counted to the process that does it,
 * in whichever slice it lands.
 */
import { type BenchContext, summarize, type Throughput, throughputOf } from './context.ts';
import type { SessionsJob, SessionsResult } from './loader.ts';
import { cpuReader, quiet } from './proc.ts';

type Job = Omit<SessionsJob, 'kind' | 'oui'>;

/** A slice lasts about this long: the kernel counts CPU time in 10 ms ticks, 1 % of a busy second. */
const SLICE_MS = 2000;

/** How many turns each side gets in `durationMs` of its own (one at least). */
export function sliceCount(durationMs: number): number {
  return Math.max(1, Math.round(durationMs / SLICE_MS));
}

export interface InterleavedSide {
  pid: number | (() => number | undefined);
  /** The job of this side's slice `i`; `lastOther` is the other side's latest slice, when there was one. */
  job: (i: number, lastOther: SessionsResult | undefined) => Job;
}

/**
 * `slices` turns of each side, both idle before the first. Each side's figures: its slices' sessions over their
 * wall time and over its CPU time in the whole window; p50 and p99 are the medians of its slices'.
 */
export async function interleave(
  ctx: BenchContext,
  label: string,
  sides: { acs: InterleavedSide; floor: InterleavedSide },
  slices: number,
): Promise<{ acs: Throughput; floor: Throughput }> {
  const read = { acs: cpuReader(sides.acs.pid), floor: cpuReader(sides.floor.pid) };
  await quiet(read.acs);
  await quiet(read.floor);
  ctx.progress.phase(label, slices * 2);
  const before = { acs: read.acs(), floor: read.floor() };
  const results: Record<'acs' | 'floor', SessionsResult[]> = { acs: [], floor: [] };
  for (let i = 0; i < slices; i++) {
    const order = i % 2 === 0 ? (['acs', 'floor'] as const) : (['floor', 'acs'] as const);
    for (const side of order) {
      const other = side === 'acs' ? 'floor' : 'acs';
      const job = sides[side].job(i, results[other].at(-1));
      results[side].push(
        await ctx.load.run<SessionsResult>({ kind: 'sessions', oui: '00D09E', ...job }),
      );
      ctx.progress.update(results.acs.length + results.floor.length);
    }
  }
  const after = { acs: read.acs(), floor: read.floor() };
  const cpu = (side: 'acs' | 'floor') => {
    const [b, a] = [before[side], after[side]];
    return b === undefined || a === undefined ? undefined : a - b;
  };
  const figures = {
    acs: throughputOf(results.acs, cpu('acs')),
    floor: throughputOf(results.floor, cpu('floor')),
  };
  const turns = `${slices} turn${slices === 1 ? '' : 's'} each`;
  ctx.progress.end(`ACS ${summarize(figures.acs)}; floor ${summarize(figures.floor)}; ${turns}`);
  return figures;
}
