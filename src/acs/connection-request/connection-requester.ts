import type { Log } from '../log.ts';
import type { AcsMetrics } from '../metrics.ts';
import type { ConnectionRequestResult } from './http-connection-request.ts';
import type { ConnectionRequestLimiter } from './rate-limit.ts';

export type ConnectionRequestPath = 'xmpp' | 'http' | 'udp';

/** One path tried, and how it went. */
export interface PathAttempt {
  path: ConnectionRequestPath;
  ok: boolean;
  reason?: string;
  detail?: string;
  ms: number;
}

export type CombinedConnectionRequestResult = ConnectionRequestResult & {
  /** The path that worked. */
  path?: ConnectionRequestPath;
  tried: PathAttempt[];
};

export type PathSender = (deviceId: string) => Promise<ConnectionRequestResult>;

/**
 * Failures that say the device is not reachable that way (so the next path may be): not those that say it was
 * reached and said no (wrong credentials, a status it should not give).
 */
const UNREACHED = new Set([
  'no-url',
  'refused',
  'reset',
  'unreachable',
  'timeout',
  'malformed-response',
]);

/**
 * A connection request by whatever path reaches the device (issue 14 §3): HTTP to the ConnectionRequestURL, then
 * UDP through its STUN binding — the next only when the one before did not reach it. One rate limit covers the
 * whole request, whatever paths it takes (the ACS is never a flood source); one metric and one log line per
 * request, naming the paths tried.
 */
export function createConnectionRequester(options: {
  paths: { path: ConnectionRequestPath; send: PathSender }[];
  limiter: ConnectionRequestLimiter;
  log?: Log;
  metrics?: AcsMetrics;
}) {
  return async (deviceId: string): Promise<CombinedConnectionRequestResult> => {
    if (!options.limiter.tryAcquire(deviceId)) {
      options.metrics?.connectionRequest('throttled');
      return { ok: false, reason: 'throttled', tried: [] };
    }
    const tried: PathAttempt[] = [];
    let last: Extract<ConnectionRequestResult, { ok: false }> = { ok: false, reason: 'no-url' };
    for (const { path, send } of options.paths) {
      const started = performance.now();
      const result = await send(deviceId);
      const ms = Math.round(performance.now() - started);
      if (result.ok) {
        tried.push({ path, ok: true, ms });
        options.metrics?.connectionRequest('ok');
        return { ...result, path, tried };
      }
      last = result;
      tried.push({
        path,
        ok: false,
        reason: result.reason,
        ...(result.detail === undefined ? {} : { detail: result.detail }),
        ms,
      });
      if (!UNREACHED.has(result.reason)) break;
    }
    options.metrics?.connectionRequest(last.reason);
    if (options.log !== undefined) {
      options.log(
        'connection-request-failed',
        {
          deviceId,
          reason: last.reason,
          ...(last.detail === undefined ? {} : { detail: last.detail }),
          tried: tried.map((t) => `${t.path}:${t.ok ? 'ok' : t.reason}`).join(','),
        },
        'warn',
      );
    }
    return { ...last, tried };
  };
}
