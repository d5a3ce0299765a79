/**
 * What every scenario is given — the running ACS, the load, the floor, the sizes, the progress display — and the
 * one measurement they all make: sessions played by the load against a server, with that server's CPU time over
 * the same window (sessions per CPU-second, the figure of merit) beside wall sessions/s and latency.
 */
import type { Api } from './api-client.ts';
import type { BenchChild } from './children.ts';
import type { SessionsJob, SessionsResult } from './loader.ts';
import type { BenchOptions } from './options.ts';
import { cpuReader, measuredCpu, quiet } from './proc.ts';
import type { Progress } from './progress.ts';
import type { RunningServe } from './serve-process.ts';

export interface BenchContext {
  options: BenchOptions;
  /** The ACS the scenarios share (S4 starts one of its own). */
  acs: RunningServe;
  api: Api;
  load: BenchChild;
  floor: BenchChild;
  progress: Progress;
  /** The cores the servers (ACS, floor) and the load are pinned to, when they are. */
  serverCpu: number | undefined;
  loadCpu: number | undefined;
  /** Figures earlier scenarios left for later ones (S4 compares itself with S1). */
  results: Record<string, unknown>;
}

/** One measured run of sessions. */
export interface Throughput {
  sessions: number;
  failed: number;
  failures: Record<string, number>;
  wallSeconds: number;
  sessionsPerSec: number;
  /** The server's utime + stime over the run; null where /proc is missing. */
  cpuSeconds: number | null;
  sessionsPerCpuSecond: number | null;
  p50Ms: number;
  p99Ms: number;
  /** The RPCs the server sent, by method. */
  rpcs: Record<string, number>;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Runs `job` on the load against the server `pid` (or what `pid` reads), its CPU measured over the run. */
export async function measure(
  ctx: BenchContext,
  pid: number | (() => number | undefined),
  label: string,
  job: Omit<SessionsJob, 'kind' | 'oui'> & { oui?: string },
): Promise<{ figures: Throughput; sample: string[] | undefined }> {
  const timed = job.durationMs;
  ctx.progress.phase(label, timed === undefined ? job.devices.length : undefined, timed);
  await quiet(cpuReader(pid));
  const { value, cpuSeconds } = await measuredCpu(pid, () =>
    ctx.load.run<SessionsResult>({ kind: 'sessions', oui: '00D09E', ...job }, (done) =>
      ctx.progress.update(done),
    ),
  );
  const figures = throughput(value, cpuSeconds);
  ctx.progress.end(summarize(figures));
  return { figures, sample: value.sample };
}

export function throughput(r: SessionsResult, cpuSeconds: number | undefined): Throughput {
  return throughputOf([r], cpuSeconds);
}

/**
 * Runs against one server as one: their sessions over their wall time and over `cpuSeconds`; p50 and p99 are the
 * medians of the runs'.
 */
export function throughputOf(
  runs: readonly SessionsResult[],
  cpuSeconds: number | undefined,
): Throughput {
  const sessions = runs.reduce((n, r) => n + r.completed, 0);
  const wallMs = runs.reduce((n, r) => n + r.wallMs, 0);
  const failures: Record<string, number> = {};
  const rpcs: Record<string, number> = {};
  for (const r of runs) {
    addCounts(failures, r.failures);
    addCounts(rpcs, r.rpcs);
  }
  return {
    sessions,
    failed: runs.reduce((n, r) => n + r.failed, 0),
    failures,
    wallSeconds: round(wallMs / 1000, 2),
    sessionsPerSec: wallMs > 0 ? round(sessions / (wallMs / 1000)) : 0,
    cpuSeconds: cpuSeconds === undefined ? null : round(cpuSeconds, 2),
    sessionsPerCpuSecond:
      cpuSeconds === undefined || cpuSeconds <= 0 ? null : Math.round(sessions / cpuSeconds),
    p50Ms: median(runs.map((r) => r.sessionMs.p50)),
    p99Ms: median(runs.map((r) => r.sessionMs.p99)),
    rpcs,
  };
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

export function summarize(t: Throughput): string {
  const perCpu = t.sessionsPerCpuSecond === null ? 'n/a' : String(t.sessionsPerCpuSecond);
  const failed = t.failed > 0 ? `, ${t.failed} failed ${JSON.stringify(t.failures)}` : '';
  return (
    `${t.sessions} sessions in ${t.wallSeconds} s = ${t.sessionsPerSec}/s, ${perCpu} per CPU-second, ` +
    `p50 ${t.p50Ms} ms, p99 ${t.p99Ms} ms${failed}`
  );
}

/** The ACS's figure over the floor's, both per CPU-second. */
export function ratio(acs: Throughput, floor: Throughput): number | null {
  if (acs.sessionsPerCpuSecond === null || floor.sessionsPerCpuSecond === null) return null;
  return round(acs.sessionsPerCpuSecond / floor.sessionsPerCpuSecond, 3);
}

/** `count` devices of one ProductClass: serial numbers PREFIX00000001…, from `from`. */
export function devices(productClass: string, prefix: string, count: number, from = 0) {
  return Array.from(
    { length: count },
    (_, i) => [productClass, `${prefix}${String(from + i + 1).padStart(8, '0')}`] as const,
  );
}
