import { request as httpRequest } from 'node:http';
import { HttpAuthClient } from '../../cwmp/auth/index.ts';
import type { Store } from '../../store/store.ts';
import type { Log } from '../log.ts';
import type { AcsMetrics } from '../metrics.ts';
import type { ConnectionRequestLimiter } from './rate-limit.ts';
import { NO_CREDENTIALS, reportedManagementServerValue } from './reported.ts';

export type ConnectionRequestResult =
  | { ok: true; status: number }
  | {
      ok: false;
      reason:
        | 'no-url'
        | 'bad-url'
        | 'throttled'
        /** The CPE's address answered no (ECONNREFUSED). */
        | 'refused'
        /** The CPE closed or reset the connection before answering. */
        | 'reset'
        /** What came back was not HTTP. */
        | 'malformed-response'
        /** Any other network failure (no route, no such host). */
        | 'unreachable'
        | 'timeout'
        /** No credentials for the device, or the CPE refused them. */
        | 'auth-failed'
        | 'bad-status';
      /** For the operator: what happened at which step; never a credential. */
      detail?: string;
    };

export interface HttpConnectionRequestOptions {
  store: Store;
  /** Without one, every request goes (the caller limits: connection-requester.ts). */
  limiter?: ConnectionRequestLimiter;
  timeoutMs?: number;
  /** Failures are logged here (`connection-request-failed`, with reason and detail) when given. */
  log?: Log;
  /** Each request counted by its result (`ok` or the failure's reason). */
  metrics?: AcsMetrics;
}

/**
 * TR-069 §3.2.2: an HTTP GET to the ConnectionRequestURL the device itself reported (never an address an
 * operator types: the ACS must not become a reflector), answering the CPE's Digest challenge with the device's
 * connection-request credentials. 200 or 204 means the CPE will open a session.
 *
 * Each GET goes on a connection of its own (issue 11 item 20): CPEs close the socket after their 401 without
 * saying `Connection: close`, and a pooled socket would carry the authorised GET into a dead connection. A reset
 * on the authorised GET is retried once, on a fresh connection, with a fresh answer to the challenge.
 */
export function createHttpConnectionRequester(options: HttpConnectionRequestOptions) {
  const timeoutMs = options.timeoutMs ?? 5000;
  return async (deviceId: string): Promise<ConnectionRequestResult> => {
    const result = await send(deviceId);
    options.metrics?.connectionRequest(result.ok ? 'ok' : result.reason);
    if (!result.ok && options.log !== undefined && result.reason !== 'throttled') {
      options.log(
        'connection-request-failed',
        {
          deviceId,
          reason: result.reason,
          ...(result.detail === undefined ? {} : { detail: result.detail }),
        },
        'warn',
      );
    }
    return result;
  };

  async function send(deviceId: string): Promise<ConnectionRequestResult> {
    const reported = await reportedManagementServerValue(
      options.store,
      deviceId,
      'ConnectionRequestURL',
    );
    let url: URL | undefined;
    if (reported !== undefined) {
      try {
        url = new URL(reported);
      } catch {
        return {
          ok: false,
          reason: 'bad-url',
          detail: 'the ConnectionRequestURL the device reported is not a URL',
        };
      }
    }
    if (url === undefined) return { ok: false, reason: 'no-url' };
    // The Connection Request is plain HTTP (TR-069 §3.2.2).
    if (url.protocol !== 'http:')
      return { ok: false, reason: 'bad-url', detail: `scheme ${url.protocol} is not http:` };
    if (options.limiter?.tryAcquire(deviceId) === false) return { ok: false, reason: 'throttled' };

    const credential = await options.store.credentials.getConnectionRequest(deviceId);
    const uri = `${url.pathname}${url.search}`;
    const first = await get(url, uri, undefined, timeoutMs, 'the first request');
    if (!first.ok) return first.result;
    if (first.status !== 401) return outcome(first.status);
    if (credential === null) return NO_CREDENTIALS;
    const client = new HttpAuthClient({
      username: credential.username,
      password: credential.password.reveal(),
    });
    const authorised = async () => {
      const answer = client.respond(first.wwwAuthenticate, { method: 'GET', uri, tls: false });
      if (!answer.ok)
        return {
          ok: false as const,
          result: {
            ok: false as const,
            reason: 'auth-failed' as const,
            detail: `cannot answer the challenge (${answer.reason})`,
          },
        };
      return get(url, uri, answer.authorization, timeoutMs, 'the authorised request');
    };
    let second = await authorised();
    if (!second.ok && second.result.ok === false && second.result.reason === 'reset') {
      second = await authorised();
    }
    if (!second.ok) return second.result;
    if (second.status === 401)
      return {
        ok: false,
        reason: 'auth-failed',
        detail: 'wrong credentials: the CPE answered 401 to the authorised request',
      };
    return outcome(second.status);
  }
}

/** A request's failure as the operator needs it: what kind, and where. */
function failure(error: NodeJS.ErrnoException, step: string): ConnectionRequestResult {
  const code = error.code ?? 'error';
  if (code === 'ECONNREFUSED')
    return { ok: false, reason: 'refused', detail: `connection refused on ${step}` };
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return {
      ok: false,
      reason: 'reset',
      detail: `the CPE closed the connection on ${step} before answering (${code})`,
    };
  if (code.startsWith('HPE_'))
    return {
      ok: false,
      reason: 'malformed-response',
      detail: `the answer to ${step} is not HTTP (${code})`,
    };
  return { ok: false, reason: 'unreachable', detail: `${code} on ${step}` };
}

function outcome(status: number): ConnectionRequestResult {
  return status === 200 || status === 204
    ? { ok: true, status }
    : { ok: false, reason: 'bad-status', detail: `HTTP ${status}` };
}

type GetResult =
  | { ok: true; status: number; wwwAuthenticate: string | string[] | undefined }
  | { ok: false; result: ConnectionRequestResult };

function get(
  url: URL,
  uri: string,
  authorization: string | undefined,
  timeoutMs: number,
  step: string,
): Promise<GetResult> {
  return new Promise((resolve) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port || 80,
        path: uri,
        method: 'GET',
        headers: authorization === undefined ? {} : { Authorization: authorization },
        timeout: timeoutMs,
        // A connection of its own, closed after the answer: never a pooled socket the CPE may have closed.
        agent: false,
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            ok: true,
            status: res.statusCode ?? 0,
            wwwAuthenticate: res.headers['www-authenticate'],
          }),
        );
      },
    );
    req.on('timeout', () => {
      req.destroy();
      resolve({
        ok: false,
        result: { ok: false, reason: 'timeout', detail: `no answer to ${step} in ${timeoutMs} ms` },
      });
    });
    req.on('error', (error) => {
      resolve({ ok: false, result: failure(error as NodeJS.ErrnoException, step) });
    });
    req.end();
  });
}
