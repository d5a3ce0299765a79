/**
 * TraceRoute (TR-143 / TR-181 IP.Diagnostics.TraceRoute), run for real with the system `traceroute` (the Debian
 * package traceroute): the Host is validated and resolved first (Error_CannotResolveHostName), then `traceroute` is
 * given the numeric address in an argument array — `-q` NumberOfTries, `-w` Timeout, `-m` MaxHopCount, `-t` DSCP,
 * the packet length from DataBlockSize. Each hop line becomes a RouteHops entry (HostAddress, ErrorCode from a `!`
 * annotation — the ICMP code — and RTTimes in milliseconds); ResponseTime is the last hop's mean round trip.
 * No `traceroute`: Error_Internal, logged once. Target never reached: Error_MaxHopCountExceeded, or
 * Error_NoRouteToHost when the last hop said unreachable.
 */
import { isIP } from 'node:net';
import { findTool, runTool, warnMissing } from './system-tool.ts';
import { resolveTarget } from './target.ts';

export interface TraceRouteInput {
  host: string;
  protocolVersion: string;
  tries: number;
  timeoutMs: number;
  maxHopCount: number;
  dataBlockSize?: number;
  dscp?: number;
  log?: (line: string) => void;
  /** The binaries to look for, the first found is run (default ['traceroute']). */
  tools?: readonly string[];
}

export interface RouteHop {
  /** Host name, or the address when there is none (traceroute runs with -n). */
  host: string;
  hostAddress: string;
  /** The ICMP code of a `!` annotation, 0 otherwise. */
  errorCode: number;
  /** Milliseconds, one per try that got an answer. */
  rtTimes: number[];
}

export type TraceRouteResult =
  | {
      ok: false;
      state: 'Error_CannotResolveHostName' | 'Error_Internal' | 'Error_Other';
    }
  | {
      ok: true;
      /** Complete, or Error_MaxHopCountExceeded / Error_NoRouteToHost with the hops seen. */
      state: 'Complete' | 'Error_MaxHopCountExceeded' | 'Error_NoRouteToHost';
      address: string;
      hops: RouteHop[];
      /** Milliseconds. */
      responseTime: number;
    };

// traceroute's annotations and the ICMP unreachable codes they stand for.
const ANNOTATIONS: Readonly<Record<string, number>> = {
  N: 0,
  H: 1,
  P: 2,
  F: 4,
  S: 5,
  X: 13,
  V: 14,
  C: 15,
};

/** Parses `traceroute -n` output: one entry per hop line (a line of `*` only is a hop with no address). */
export function parseTraceroute(output: string): RouteHop[] {
  const hops: RouteHop[] = [];
  for (const line of output.split('\n')) {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (m === null) continue;
    const tokens = m[2]!.trim().split(/\s+/);
    let address = '';
    let errorCode = 0;
    const rtTimes: number[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t === '*') continue;
      if (isIP(t) !== 0) {
        if (address === '') address = t;
        continue;
      }
      if (tokens[i + 1] === 'ms' && /^\d+(?:\.\d+)?$/.test(t)) {
        rtTimes.push(Math.round(Number(t)));
        i++;
        continue;
      }
      const a = /^!(\d+|[A-Z])?$/.exec(t);
      if (a !== null) errorCode = a[1] === undefined ? 0 : (ANNOTATIONS[a[1]] ?? Number(a[1]));
    }
    hops.push({ host: address, hostAddress: address, errorCode, rtTimes: rtTimes.slice(0, 3) });
  }
  return hops;
}

function seconds(ms: number): string {
  return (Math.max(1, ms) / 1000).toFixed(3).replace(/\.?0+$/, '');
}

/** The argument array for one run (exported for the tests). */
export function tracerouteArgs(address: string, family: 4 | 6, input: TraceRouteInput): string[] {
  const tries = Math.min(Math.max(1, Math.floor(input.tries)), 3);
  const maxHops = Math.min(Math.max(1, Math.floor(input.maxHopCount)), 64);
  const timeoutMs = Math.min(Math.max(1, Math.floor(input.timeoutMs)), 60_000);
  const args = [
    '-n',
    `-${family}`,
    '-q',
    String(tries),
    '-w',
    seconds(timeoutMs),
    '-m',
    String(maxHops),
  ];
  const dscp = input.dscp;
  if (dscp !== undefined && Number.isInteger(dscp) && dscp > 0 && dscp < 64)
    args.push('-t', String(dscp << 2));
  args.push(address);
  const size = input.dataBlockSize;
  if (size !== undefined && Number.isInteger(size) && size > 0) {
    // traceroute's packetlen counts the IP and UDP headers; DataBlockSize does not.
    args.push(String(Math.min(size + (family === 4 ? 28 : 48), 65000)));
  }
  return args;
}

export async function traceRoute(input: TraceRouteInput): Promise<TraceRouteResult> {
  const log = input.log ?? ((line: string) => console.warn(line));
  const target = await resolveTarget(input.host, input.protocolVersion);
  if (!target.ok) return target;
  const tool = findTool(input.tools ?? ['traceroute']);
  if (tool === undefined) {
    warnMissing((input.tools ?? ['traceroute']).join('/'), 'traceroute', log);
    return { ok: false, state: 'Error_Internal' };
  }
  const args = tracerouteArgs(target.address, target.family, input);
  const maxHops = Number(args[args.indexOf('-m') + 1]);
  const tries = Number(args[args.indexOf('-q') + 1]);
  // Worst case: every probe of every hop waits its Timeout (traceroute sends a few hops' probes at once).
  const limitMs = maxHops * tries * Math.max(1, input.timeoutMs) + 10_000;
  let run: Awaited<ReturnType<typeof runTool>>;
  try {
    run = await runTool(tool, args, Math.min(limitMs, 600_000));
  } catch (error) {
    log(`corral sim: TraceRoute: cannot run ${tool}: ${(error as Error).message}`);
    return { ok: false, state: 'Error_Internal' };
  }
  const hops = parseTraceroute(run.stdout);
  if (run.code !== 0 || hops.length === 0) {
    const why = run.stderr.trim() || `exit ${run.code ?? 'killed'}`;
    if (/not permitted|permission denied/i.test(why)) {
      log(`corral sim: TraceRoute: ${tool} cannot open its socket: ${why}`);
      return { ok: false, state: 'Error_Internal' };
    }
    return { ok: false, state: 'Error_Other' };
  }
  const last = hops[hops.length - 1]!;
  const reached = last.hostAddress === target.address;
  const mean =
    last.rtTimes.length === 0 ? 0 : last.rtTimes.reduce((a, b) => a + b, 0) / last.rtTimes.length;
  return {
    ok: true,
    state: reached
      ? 'Complete'
      : last.errorCode !== 0
        ? 'Error_NoRouteToHost'
        : 'Error_MaxHopCountExceeded',
    address: target.address,
    hops,
    responseTime: Math.round(mean),
  };
}
