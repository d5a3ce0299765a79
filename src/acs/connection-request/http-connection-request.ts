import { request as httpRequest } from 'node:http';
import { HttpAuthClient } from '../../cwmp/auth/index.ts';
import type { Store } from '../../store/store.ts';
import type { ConnectionRequestLimiter } from './rate-limit.ts';

export type ConnectionRequestResult =
  | { ok: true; status: number }
  | {
      ok: false;
      reason:
        | 'no-url'
        | 'bad-url'
        | 'throttled'
        | 'unreachable'
        | 'timeout'
        | 'auth-failed'
        | 'bad-status';
      /** For the operator: never a credential. */
      detail?: string;
    };

export interface HttpConnectionRequestOptions {
  store: Store;
  limiter: ConnectionRequestLimiter;
  timeoutMs?: number;
}

const CONNECTION_REQUEST_URL_PATHS = [
  'Device.ManagementServer.ConnectionRequestURL',
  'InternetGatewayDevice.ManagementServer.ConnectionRequestURL',
];

/**
 * TR-069 §3.2.2: an HTTP GET to the ConnectionRequestURL the device itself reported (never an address an
 * operator types: the ACS must not become a reflector), answering the CPE's Digest challenge with the device's
 * connection-request credentials. 200 or 204 means the CPE will open a session.
 */
export function createHttpConnectionRequester(options: HttpConnectionRequestOptions) {
  const timeoutMs = options.timeoutMs ?? 5000;
  return async (deviceId: string): Promise<ConnectionRequestResult> => {
    let url: URL | undefined;
    for (const path of CONNECTION_REQUEST_URL_PATHS) {
      const value = (await options.store.parameters.get(deviceId, path))?.value;
      if (value) {
        try {
          url = new URL(value);
        } catch {
          return {
            ok: false,
            reason: 'bad-url',
            detail: 'the ConnectionRequestURL the device reported is not a URL',
          };
        }
        break;
      }
    }
    if (url === undefined) return { ok: false, reason: 'no-url' };
    // The Connection Request is plain HTTP (TR-069 §3.2.2).
    if (url.protocol !== 'http:')
      return { ok: false, reason: 'bad-url', detail: `scheme ${url.protocol} is not http:` };
    if (!options.limiter.tryAcquire(deviceId)) return { ok: false, reason: 'throttled' };

    const credential = await options.store.credentials.getConnectionRequest(deviceId);
    const uri = `${url.pathname}${url.search}`;
    const first = await get(url, uri, undefined, timeoutMs);
    if (!first.ok) return first.result;
    if (first.status !== 401) return outcome(first.status);
    if (credential === null)
      return {
        ok: false,
        reason: 'auth-failed',
        detail: 'no connection-request credentials for the device',
      };
    const client = new HttpAuthClient({
      username: credential.username,
      password: credential.password.reveal(),
    });
    const answer = client.respond(first.wwwAuthenticate, { method: 'GET', uri, tls: false });
    if (!answer.ok)
      return {
        ok: false,
        reason: 'auth-failed',
        detail: `cannot answer the challenge (${answer.reason})`,
      };
    const second = await get(url, uri, answer.authorization, timeoutMs);
    if (!second.ok) return second.result;
    if (second.status === 401)
      return { ok: false, reason: 'auth-failed', detail: 'the CPE refused the credentials' };
    return outcome(second.status);
  };
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
      resolve({ ok: false, result: { ok: false, reason: 'timeout' } });
    });
    req.on('error', (error) => {
      resolve({
        ok: false,
        result: {
          ok: false,
          reason: 'unreachable',
          detail: (error as NodeJS.ErrnoException).code ?? 'error',
        },
      });
    });
    req.end();
  });
}
