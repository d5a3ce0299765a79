/**
 * IPPing (TR-143 / TR-181 IP.Diagnostics.IPPing, TR-098 IPPingDiagnostics): the host is resolved for real (an
 * unresolvable one ends in Error_CannotResolveHostName); the echo round trips are simulated — a simulator cannot
 * send ICMP without privileges — loopback in under a millisecond, other hosts at a stable per-host latency with a
 * little jitter. A round trip over Timeout counts as a failure.
 */
import { createHash } from 'node:crypto';
import { lookup } from 'node:dns/promises';

export interface PingInput {
  host: string;
  protocolVersion: string;
  repetitions: number;
  timeoutMs: number;
}

export type PingResult =
  | { ok: false; state: 'Error_CannotResolveHostName' | 'Error_Internal' }
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

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1';
}

export async function ipPing(input: PingInput): Promise<PingResult> {
  if (input.host === '') return { ok: false, state: 'Error_CannotResolveHostName' };
  const family = input.protocolVersion === 'IPv4' ? 4 : input.protocolVersion === 'IPv6' ? 6 : 0;
  let address: string;
  try {
    address = (await lookup(input.host, { family })).address;
  } catch {
    return { ok: false, state: 'Error_CannotResolveHostName' };
  }
  const seed = createHash('sha256').update(address).digest();
  const baseUs = isLoopback(address) ? 40 : 2000 + (seed.readUInt16BE(0) % 38_000);
  const rtts: number[] = [];
  for (let i = 0; i < Math.max(1, input.repetitions); i++) {
    const jitter = seed[(i % 30) + 2]! / 255;
    rtts.push(Math.round(baseUs * (0.9 + 0.2 * jitter)));
  }
  const ok = rtts.filter((us) => us <= input.timeoutMs * 1000);
  const sum = ok.reduce((a, b) => a + b, 0);
  return {
    ok: true,
    address,
    successCount: ok.length,
    failureCount: rtts.length - ok.length,
    averageUs: ok.length === 0 ? 0 : Math.round(sum / ok.length),
    minimumUs: ok.length === 0 ? 0 : Math.min(...ok),
    maximumUs: ok.length === 0 ? 0 : Math.max(...ok),
  };
}
