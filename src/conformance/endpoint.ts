/**
 * The lab's CWMP endpoint: a node:http server the DUT posts to. It holds each POST unanswered until the case
 * decides the answer, so a case drives the exchange turn by turn; every request and answer is recorded as
 * evidence. Optionally it asks the DUT for HTTP Digest (TR-069 §3.4.5) before it accepts a message, or, while a case
 * asks it to, for Basic only (§3.4.4: a DUT may answer that over TLS, never over plain HTTP).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { BodyError, readBody } from '../acs/http/body.ts';
import { formatBasicChallenge, HttpAuthServer } from '../cwmp/index.ts';
import { EvidenceLog, evidenceHeaders } from './evidence.ts';
import { LabFiles } from './file-server.ts';
import { StepFailure } from './step-failure.ts';

/** One POST from the DUT, held until answered. */
export interface DutRequest {
  headers: IncomingMessage['headers'];
  body: string;
  /** The path it was posted to (the DUT's ManagementServer.URL's). */
  path: string;
  /** The TLS version it came over ('TLSv1.3', …), undefined over plain HTTP. */
  tls: string | undefined;
  /** Which TCP connection carried it (1, 2, …, in the order the DUT opened them): keep-alive shows as one. */
  connection: number;
  /** `chunked`: the body goes with Transfer-Encoding: chunked, in two chunks, instead of a Content-Length. */
  answer(
    status: number,
    body?: string,
    headers?: Record<string, string>,
    options?: { chunked?: boolean },
  ): void;
  /** Closes the connection without an answer (a session the lab breaks on purpose). */
  drop(): void;
  /** True once the DUT's connection is gone: answering it is pointless. */
  readonly closed: boolean;
}

/** What arrived while the lab challenged with Basic only (LabEndpoint.challengeBasic). */
export interface BasicWindow {
  /** POSTs answered 401 with the Basic challenge. */
  challenged: number;
  /** POSTs carrying `Authorization: Basic …`, right or wrong (over plain HTTP the password went in clear). */
  basic: number;
  /** Those with the right credentials, accepted over TLS. */
  accepted: number;
}

type Arrival = { kind: 'request'; request: DutRequest } | { kind: 'dropped'; reason: string };

export interface EndpointOptions {
  host: string;
  port: number;
  cpeCredentials?: { username: string; password: string };
  /** Largest body accepted (default 4 MiB). */
  maxBodyBytes?: number;
  /** PEM certificate and key: the endpoint speaks HTTPS instead of HTTP (any TLS version the DUT offers). */
  tls?: { cert: string; key: string };
}

export class LabEndpoint {
  readonly evidence = new EvidenceLog();
  readonly files = new LabFiles(this.evidence);
  /** The Host the DUT last reached the lab at: the address a file URL for it must use. */
  dutHost: string | undefined;
  private readonly arrivals: Arrival[] = [];
  private waiter: ((a: Arrival) => void) | undefined;
  private server: Server | undefined;
  private readonly auth: HttpAuthServer | undefined;
  private basicWindow: BasicWindow | undefined;
  private readonly connections = new WeakMap<object, number>();
  private connectionCount = 0;
  url = '';

  constructor(private readonly options: EndpointOptions) {
    this.auth =
      options.cpeCredentials === undefined
        ? undefined
        : new HttpAuthServer({ realm: REALM, secret: randomBytes(32) });
  }

  async start(): Promise<this> {
    const listener = (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((error: unknown) => {
        this.arrive({ kind: 'dropped', reason: `lab error: ${(error as Error).message}` });
        if (!res.headersSent) res.writeHead(500).end();
      });
    };
    const tls = this.options.tls;
    const server: Server =
      tls === undefined
        ? createServer(listener)
        : createTlsServer({ ...tls, ...OBSERVING_TLS }, listener);
    // A DUT that sends its request slowly, or never finishes it, costs the lab a bounded wait.
    server.headersTimeout = 30_000;
    server.requestTimeout = 60_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    this.url = `${tls === undefined ? 'http' : 'https'}://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/`;
    return this;
  }

  get secure(): boolean {
    return this.options.tls !== undefined;
  }

  /**
   * Serves another certificate, or other TLS versions, from the next handshake on (a Secure CWMP case offers the
   * DUT what it must refuse); `undefined` goes back to the configured ones. Over plain HTTP it does nothing.
   */
  setTls(
    context:
      | {
          cert?: string;
          key?: string;
          minVersion?: 'TLSv1';
          maxVersion?: 'TLSv1';
          ciphers?: string;
        }
      | undefined,
  ): void {
    const tls = this.options.tls;
    if (tls === undefined || this.server === undefined) return;
    (this.server as TlsServer).setSecureContext(
      context === undefined ? { ...tls, ...OBSERVING_TLS } : { ...tls, ...context },
    );
    // Connections kept alive from before would carry on with the old context.
    this.server.closeIdleConnections();
  }

  /**
   * From now on challenges every POST with Basic only and takes nothing but a right Basic answer (which the
   * authentication server accepts over TLS only); `false` goes back to Digest. Returns what arrived meanwhile.
   * Without --cpe-username/--cpe-password the endpoint asks for no authentication and this does nothing.
   */
  challengeBasic(on: boolean): BasicWindow {
    const seen = this.basicWindow ?? { challenged: 0, basic: 0, accepted: 0 };
    this.basicWindow =
      on && this.auth !== undefined ? { challenged: 0, basic: 0, accepted: 0 } : undefined;
    return { ...seen };
  }

  /** What arrived since challengeBasic(true), so far. */
  get basicSeen(): BasicWindow {
    return { ...(this.basicWindow ?? { challenged: 0, basic: 0, accepted: 0 }) };
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  /** The DUT's next POST (or the news that one dropped), within `timeoutMs`. */
  next(timeoutMs: number): Promise<DutRequest> {
    const ready = this.arrivals.shift();
    if (ready !== undefined) return Promise.resolve(settle(ready));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new StepFailure('timeout', `no message from the DUT within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.waiter = (a) => {
        clearTimeout(timer);
        this.waiter = undefined;
        try {
          resolve(settle(a));
        } catch (error) {
          reject(error);
        }
      };
    });
  }

  /** Forget what arrived and was not taken (between sessions: a stray retry must not answer a later step). */
  drain(): void {
    for (const a of this.arrivals.splice(0))
      if (a.kind === 'request' && !a.request.closed) a.request.answer(204);
  }

  private arrive(a: Arrival): void {
    if (this.waiter !== undefined) this.waiter(a);
    // A DUT that floods the lab gets 503 beyond what a session can have in flight; the lab's memory stays bounded.
    else if (this.arrivals.length >= MAX_WAITING && a.kind === 'request') a.request.answer(503);
    else this.arrivals.push(a);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: string;
    try {
      const raw = await readBody(req, limits(this.options.maxBodyBytes));
      if (this.files.handle(req, res, raw)) return;
      body = raw.toString('utf8');
    } catch (error) {
      const reason = error instanceof BodyError ? error.message : (error as Error).message;
      this.evidence.record({
        direction: 'dut-to-lab',
        kind: 'cwmp',
        method: req.method ?? '',
        headers: evidenceHeaders(req.headers),
        body: '',
        note: `body not received: ${reason}`,
      });
      this.arrive({
        kind: 'dropped',
        reason: `the DUT's message did not arrive whole (${reason})`,
      });
      if (!res.headersSent && !res.destroyed)
        res.writeHead(error instanceof BodyError ? error.status : 400).end();
      return;
    }
    this.evidence.record({
      direction: 'dut-to-lab',
      kind: 'cwmp',
      method: req.method ?? '',
      headers: evidenceHeaders(req.headers),
      body,
    });
    if (req.headers.host !== undefined) this.dutHost = req.headers.host;
    const window = this.basicWindow;
    const basic = /^basic\s/i.test(req.headers.authorization ?? '');
    if (window !== undefined && basic) window.basic++;
    // In a Basic window only a Basic answer counts: a Digest one remembered from before would bypass the test.
    if (
      this.auth !== undefined &&
      ((window !== undefined && !basic) || !(await this.authenticated(req)))
    ) {
      const challenges =
        window === undefined ? this.auth.challenges() : [formatBasicChallenge(REALM)!];
      if (window !== undefined) window.challenged++;
      this.evidence.record({
        direction: 'lab-to-dut',
        kind: 'cwmp',
        status: 401,
        headers: { 'www-authenticate': window === undefined ? 'Digest …' : 'Basic …' },
        body: '',
      });
      res.writeHead(401, { 'WWW-Authenticate': challenges, 'Content-Length': '0' }).end();
      return;
    }
    if (window !== undefined) window.accepted++;
    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    let connection = this.connections.get(req.socket);
    if (connection === undefined) {
      connection = ++this.connectionCount;
      this.connections.set(req.socket, connection);
    }
    const request: DutRequest = {
      headers: req.headers,
      body,
      path: (req.url ?? '/').split('?')[0] ?? '/',
      tls:
        this.options.tls === undefined
          ? undefined
          : ((req.socket as TLSSocket).getProtocol() ?? undefined),
      connection,
      get closed() {
        return closed || res.destroyed;
      },
      drop: () => {
        if (res.headersSent || res.destroyed) return;
        this.evidence.record({
          direction: 'lab-to-dut',
          kind: 'cwmp',
          headers: {},
          body: '',
          note: 'the lab closed the connection without an answer',
        });
        req.socket.destroy();
      },
      answer: (status, text = '', headers = {}, options = {}) => {
        if (res.headersSent || res.destroyed) return;
        const all: Record<string, string> = { ...headers };
        if (text !== '') all['Content-Type'] = 'text/xml; charset="utf-8"';
        const chunked = options.chunked === true && text !== '';
        if (chunked) all['Transfer-Encoding'] = 'chunked';
        else all['Content-Length'] = String(Buffer.byteLength(text));
        this.evidence.record({
          direction: 'lab-to-dut',
          kind: 'cwmp',
          status,
          headers: evidenceHeaders(all),
          body: text,
        });
        if (!chunked) {
          res.writeHead(status, all).end(text);
          return;
        }
        const half = text.length >> 1;
        res.writeHead(status, all).write(text.slice(0, half));
        res.end(text.slice(half));
      },
    };
    this.arrive({ kind: 'request', request });
  }

  private async authenticated(req: IncomingMessage): Promise<boolean> {
    const creds = this.options.cpeCredentials!;
    const authorization = req.headers.authorization;
    if (authorization === undefined) return false;
    const result = await this.auth!.verify(
      { authorization, method: req.method ?? 'POST', uri: req.url ?? '/', tls: this.secure },
      (username) => (username === creds.username ? { password: creds.password } : undefined),
    );
    return result.ok;
  }

  async close(): Promise<void> {
    this.drain();
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const MAX_WAITING = 64;
const REALM = 'corral-check';

/**
 * The lab takes any TLS version a DUT offers, old ones included: it observes and judges (TLS-001 fails a DUT on TLS
 * 1.0), rather than leave a DUT it cannot talk to without a verdict.
 */
const OBSERVING_TLS = { minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' } as const;

function settle(a: Arrival): DutRequest {
  if (a.kind === 'dropped') throw new StepFailure('dropped', a.reason);
  return a.request;
}

function limits(maxBytes = 4 << 20) {
  return { maxBytes, maxDecodedBytes: maxBytes * 4 };
}
