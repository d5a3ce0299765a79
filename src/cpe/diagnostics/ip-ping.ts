/**
 * IPPing (TR-143 / TR-181 IP.Diagnostics.IPPing, TR-098 IPPingDiagnostics), run for real with the system `ping`
 * (iputils): the Host is validated and resolved first (Error_CannotResolveHostName), then `ping` is given the
 * numeric address in an argument array — `-c` NumberOfRepetitions, `-W` Timeout, `-s` DataBlockSize, `-Q` DSCP,
 * `-4`/`-6` per the address. Its summary becomes SuccessCount, FailureCount and the response times (TR-181:
 * milliseconds, and microseconds in the *Detailed variants). No `ping` on the host, or one not allowed to open its
 * socket: Error_Internal, logged once. Any other failure of the tool: Error_Other.
 */
import { findTool, runTool, warnMissing } from './system-tool.ts';
import { resolveTarget } from './target.ts';

export interface PingInput {
  host: string;
  protocolVersion: string;
  repetitions: number;
  timeoutMs: number;
  /** DataBlockSize: bytes of payload per echo request. */
  dataBlockSize?: number;
  dscp?: number;
  log?: (line: string) => void;
  /** The binaries to look for, the first found is run (default ['ping']). */
  tools?: readonly string[];
}

export type PingResult =
  | { ok: false; state: 'Error_CannotResolveHostName' | 'Error_Internal' | 'Error_Other' }
  | {
      ok: true;
      address: string;
      successCount: number;
      failureCount: number;
      /** Microseconds. */
      averageUs: number;
      minimumUs: number;
      maximumUs: number;
    };

export interface PingSummary {
  transmitted: number;
  received: number;
  /** Microseconds; undefined when nothing came back. */
  rtt?: { minimumUs: number; averageUs: number; maximumUs: number };
}

/** Parses the statistics at the end of iputils (or BusyBox) `ping` output; undefined if there are none. */
export function parsePingSummary(output: string): PingSummary | undefined {
  const counts = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(output);
  if (counts === null) return undefined;
  const summary: PingSummary = { transmitted: Number(counts[1]), received: Number(counts[2]) };
  const rtt = /(?:rtt|round-trip) min\/avg\/max(?:\/\w+)? = ([\d.]+)\/([\d.]+)\/([\d.]+)/.exec(
    output,
  );
  if (rtt !== null) {
    const us = (ms: string) => Math.round(Number(ms) * 1000);
    summary.rtt = { minimumUs: us(rtt[1]!), averageUs: us(rtt[2]!), maximumUs: us(rtt[3]!) };
  }
  return summary;
}

/** Seconds for the command line, with at most millisecond precision. */
function seconds(ms: number): string {
  return (Math.max(1, ms) / 1000).toFixed(3).replace(/\.?0+$/, '');
}

const INTERVAL_MS = 200;

/** The argument array for one run (exported for the tests: no input reaches it unchecked). */
export function pingArgs(address: string, family: 4 | 6, input: PingInput): string[] {
  const count = Math.min(Math.max(1, Math.floor(input.repetitions)), 1000);
  const timeoutMs = Math.min(Math.max(1, Math.floor(input.timeoutMs)), 3_600_000);
  const args = ['-n', `-${family}`, '-c', String(count), '-W', seconds(timeoutMs)];
  args.push('-i', seconds(INTERVAL_MS));
  // The whole run's deadline: every echo sent, the last one given its Timeout.
  args.push('-w', String(Math.ceil(((count - 1) * INTERVAL_MS + timeoutMs) / 1000) + 1));
  const size = input.dataBlockSize;
  if (size !== undefined && Number.isInteger(size) && size >= 0) {
    args.push('-s', String(Math.min(size, family === 4 ? 65507 : 65487)));
  }
  const dscp = input.dscp;
  if (dscp !== undefined && Number.isInteger(dscp) && dscp > 0 && dscp < 64) {
    args.push('-Q', String(dscp << 2));
  }
  args.push(address);
  return args;
}

function runLimitMs(args: readonly string[]): number {
  const w = args.indexOf('-w');
  return (Number(args[w + 1]) + 5) * 1000;
}

export async function ipPing(input: PingInput): Promise<PingResult> {
  const log = input.log ?? ((line: string) => console.warn(line));
  const target = await resolveTarget(input.host, input.protocolVersion);
  if (!target.ok) return target;
  const ping = findTool(input.tools ?? ['ping']);
  if (ping === undefined) {
    warnMissing((input.tools ?? ['ping']).join('/'), 'iputils-ping', log);
    return { ok: false, state: 'Error_Internal' };
  }
  const args = pingArgs(target.address, target.family, input);
  let run: Awaited<ReturnType<typeof runTool>>;
  try {
    run = await runTool(ping, args, runLimitMs(args));
  } catch (error) {
    log(`corral sim: IPPing: cannot run ${ping}: ${(error as Error).message}`);
    return { ok: false, state: 'Error_Internal' };
  }
  const summary = parsePingSummary(run.stdout);
  // iputils: 0 some replies, 1 none (both with the statistics), 2 anything else.
  if (summary === undefined || (run.code !== 0 && run.code !== 1)) {
    const why = run.stderr.trim() || `exit ${run.code ?? 'killed'}`;
    if (/not permitted|permission denied|socket/i.test(why)) {
      log(`corral sim: IPPing: ${ping} cannot open its socket: ${why}`);
      return { ok: false, state: 'Error_Internal' };
    }
    return { ok: false, state: 'Error_Other' };
  }
  const requested = Math.max(1, Math.floor(input.repetitions));
  const successCount = Math.min(summary.received, requested);
  return {
    ok: true,
    address: target.address,
    successCount,
    failureCount: Math.max(requested, summary.transmitted) - successCount,
    averageUs: summary.rtt?.averageUs ?? 0,
    minimumUs: summary.rtt?.minimumUs ?? 0,
    maximumUs: summary.rtt?.maximumUs ?? 0,
  };
}
