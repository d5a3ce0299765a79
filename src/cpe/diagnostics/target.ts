/**
 * The Host of a TR-143 IPPing or TraceRoute: checked to be a host name or an IP address (nothing a tool could read
 * as an option), then resolved for the ProtocolVersion asked (TR-181: Any, IPv4, IPv6). The tools are then given
 * the numeric address only.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export type Family = 4 | 6;

export type ResolvedTarget =
  | { ok: true; address: string; family: Family }
  | { ok: false; state: 'Error_CannotResolveHostName' };

const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

/** A syntactically valid host: an IPv4/IPv6 literal or an RFC 1123 host name (at most 253 characters). */
export function isValidHost(host: string): boolean {
  if (isIP(host) !== 0) return true;
  if (host.length === 0 || host.length > 253) return false;
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  return name.split('.').every((label) => LABEL.test(label));
}

export async function resolveTarget(
  host: string,
  protocolVersion: string,
): Promise<ResolvedTarget> {
  if (!isValidHost(host)) return { ok: false, state: 'Error_CannotResolveHostName' };
  // RFC 6761: `.invalid` never resolves, so no resolver is asked (tests use it without touching the network).
  if (/(?:^|\.)invalid\.?$/i.test(host)) return { ok: false, state: 'Error_CannotResolveHostName' };
  const family = protocolVersion === 'IPv4' ? 4 : protocolVersion === 'IPv6' ? 6 : 0;
  try {
    const r = await lookup(host, { family });
    const got = r.family === 6 ? 6 : 4;
    if (family !== 0 && got !== family) return { ok: false, state: 'Error_CannotResolveHostName' };
    return { ok: true, address: r.address, family: got };
  } catch {
    return { ok: false, state: 'Error_CannotResolveHostName' };
  }
}
