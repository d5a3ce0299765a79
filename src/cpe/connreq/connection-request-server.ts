/**
 * The Connection Request endpoint of simulated devices (TR-069 §3.2.2, cwmp-spec.md §5.1): an HTTP GET on the
 * device's ConnectionRequestURL, authenticated with HTTP Digest against its ConnectionRequestUsername/Password,
 * answered at once with 200 and an empty body, after which the device opens a session with "6 CONNECTION REQUEST".
 * A failed authentication starts nothing; a device over its rate limit answers 503 (without Retry-After).
 *
 * One listener serves a whole fleet: each device has its own random path (`/cr/<token>`), so a hundred thousand
 * devices need one port, not a hundred thousand. Plain HTTP, as TR-069 requires of Connection Requests.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type BasicPolicy, HttpAuthServer } from '../../cwmp/auth/index.ts';
import { ConnectionRequestLimiter } from './rate-limit.ts';

export interface ConnectionRequestTarget {
  /** Undefined: the device takes no Connection Requests now (CWMP or HTTP Connection Requests disabled). */
  connectionRequestCredentials(): { username: string; password: string } | undefined;
  connectionRequest(): void;
}

export interface ConnectionRequestServerOptions {
  /** Where to listen; 127.0.0.1 and port 0 in tests. */
  host: string;
  port: number;
  /** The host written into ConnectionRequestURLs; default `host` (0.0.0.0 / :: need one). */
  publicHost?: string;
  realm?: string;
  /** Default `never`: a Connection Request is plain HTTP, and Basic would show the password. */
  basic?: BasicPolicy;
  /** Accepted requests per device per window before 503; default 10 per 60 s. */
  limit?: number;
  windowMs?: number;
  /** Time for the rate limit and nonces (default Date.now). */
  clock?: () => number;
  /** Take a replayed Digest answer (the same nonce count again): a deviation, for testing a conformance checker. */
  acceptReplayed?: boolean;
}

export interface ConnectionRequestStats {
  accepted: number;
  unauthorized: number;
  throttled: number;
  unknown: number;
}

const PREFIX = '/cr/';

export class ConnectionRequestServer {
  readonly stats: ConnectionRequestStats = {
    accepted: 0,
    unauthorized: 0,
    throttled: 0,
    unknown: 0,
  };
  private readonly targets = new Map<string, ConnectionRequestTarget>();
  private readonly auth: HttpAuthServer;
  private readonly limiter: ConnectionRequestLimiter<ConnectionRequestTarget>;
  private readonly clock: () => number;
  private server: Server | undefined;
  private base = '';
  private pruned = 0;

  constructor(private readonly options: ConnectionRequestServerOptions) {
    this.clock = options.clock ?? Date.now;
    this.auth = new HttpAuthServer({
      realm: options.realm ?? 'Corral CPE',
      secret: randomBytes(32),
      basic: options.basic ?? 'never',
      clock: this.clock,
    });
    this.limiter = new ConnectionRequestLimiter(options.limit ?? 10, options.windowMs ?? 60_000);
  }

  static async start(options: ConnectionRequestServerOptions): Promise<ConnectionRequestServer> {
    const s = new ConnectionRequestServer(options);
    await s.listen();
    return s;
  }

  private async listen(): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Length': '0' });
        res.end();
      });
    });
    server.headersTimeout = 10_000;
    server.requestTimeout = 15_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const port = (server.address() as AddressInfo).port;
    const host = this.options.publicHost ?? this.options.host;
    this.base = `http://${host.includes(':') ? `[${host}]` : host}:${port}${PREFIX}`;
  }

  /** A fresh random path token (URL-safe). */
  static newToken(): string {
    return randomBytes(12).toString('base64url');
  }

  /** The ConnectionRequestURL for a token. */
  urlFor(token: string): string {
    if (this.base === '') throw new Error('the connection-request server is not listening');
    return `${this.base}${token}`;
  }

  bind(token: string, target: ConnectionRequestTarget): void {
    this.targets.set(token, target);
  }

  unbind(token: string): void {
    this.targets.delete(token);
  }

  get size(): number {
    return this.targets.size;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume();
    const send = (status: number, headers: Record<string, string | string[]> = {}) => {
      res.writeHead(status, { ...headers, 'Content-Length': '0' });
      res.end();
    };
    if (req.method !== 'GET') {
      send(405, { Allow: 'GET' });
      return;
    }
    const path = (req.url ?? '').split('?')[0]!;
    const target = path.startsWith(PREFIX)
      ? this.targets.get(path.slice(PREFIX.length))
      : undefined;
    const credentials = target?.connectionRequestCredentials();
    if (target === undefined || credentials === undefined) {
      this.stats.unknown++;
      send(404);
      return;
    }
    const result = await this.auth.verify(
      { authorization: req.headers.authorization, method: 'GET', uri: req.url ?? '/', tls: false },
      (username) =>
        username === credentials.username ? { password: credentials.password } : undefined,
    );
    const replayTaken =
      !result.ok && result.reason === 'replayed' && this.options.acceptReplayed === true;
    if (!result.ok && !replayTaken) {
      if (result.reason !== 'missing') this.stats.unauthorized++;
      send(401, {
        'WWW-Authenticate': this.auth.challenges({ stale: result.reason === 'stale-nonce' }),
      });
      return;
    }
    const now = this.clock();
    if (now - this.pruned > 60_000) {
      this.limiter.prune(now);
      this.pruned = now;
    }
    if (!this.limiter.take(target, now)) {
      this.stats.throttled++;
      send(503);
      return;
    }
    this.stats.accepted++;
    // Answer first, then start the session (TR-069: the response comes before the session).
    res.writeHead(200, { 'Content-Length': '0' });
    res.end(() => target.connectionRequest());
  }
}
