import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { CWMP_VERSIONS, type DecodeLimits } from '../cwmp/index.ts';
import { type Coordination, LocalCoordination } from '../store/coordination.ts';
import type { Store } from '../store/store.ts';
import {
  type CpeAuthenticator,
  fromInformAuthenticator,
  type InformAuthenticator,
} from './auth/authenticator.ts';
import type { FileUrlSigner } from './files/served-transfers.ts';
import { type AddressLimitSettings, AddressLimits } from './http/address-limits.ts';
import { Admission, type AdmissionSettings } from './http/admission.ts';
import type { BodyLimits } from './http/body.ts';
import { BodyBudget } from './http/body-budget.ts';
import { LoopTurns } from './http/loop-turns.ts';
import type { Log } from './log.ts';
import { type AcsMetrics, NO_METRICS } from './metrics.ts';
import type { ZeroTouchSettings } from './provisioning/zero-touch.ts';
import { createCwmpHandler } from './server/cwmp-handler.ts';
import type { TraceSessions } from './session/deps.ts';
import { SessionEngine } from './session/engine.ts';
import { SessionRegistry } from './session/registry.ts';

export type { Log, LogLevel } from './log.ts';

/** A request no session vouches for yet (an Inform, a probe) may be this large, inflated: 1 MiB. */
export const DEFAULT_PRE_AUTH_BODY_BYTES = 1 << 20;
/** Request bodies held at once across the endpoint: 256 MiB. */
export const DEFAULT_BODY_BUDGET_BYTES = 256 << 20;

export interface AcsOptions {
  store: Store;
  /** CPE authentication; a bare Inform authenticator (test stubs) issues no challenges. */
  authenticate: CpeAuthenticator | InformAuthenticator;
  /** Where the CWMP endpoint listens; port 0 picks a free port. */
  host: string;
  port: number;
  /** Connections another process accepts and hands over (serve --workers): then the endpoint listens on nothing. */
  handedConnections?: HandedConnections;
  /** HTTPS (TLS 1.2 at least) when given. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Sessions in progress before new Informs get 503 + Retry-After. */
  maxSessions: number;
  /** Idle time before a session is abandoned when the CPE states no SessionTimeout. */
  sessionTimeoutMs: number;
  /** The nodes sharing the store (one session per device across them); default: this node alone. */
  coordination?: Coordination;
  /** Which sessions' traces are kept (session/deps.ts); default all. */
  traceSessions?: TraceSessions;
  bodyLimits: BodyLimits;
  /** Largest body, on the wire and inflated, before the request is bound to a session; default 1 MiB. */
  preAuthBodyBytes?: number;
  /** Body bytes all requests may hold at once (503 beyond); default 256 MiB. */
  bodyBudgetBytes?: number;
  /** Bounds on decoding one message; the codec's defaults (DEFAULT_DECODE_LIMITS) otherwise. */
  decodeLimits?: Partial<DecodeLimits>;
  /** Admission by measured capacity (admission.ts); `false` turns it off (tests that need every session in). */
  admission?: Partial<Omit<AdmissionSettings, 'maxSessions'>> | false;
  /** Per-address limits (requests in progress, Informs per second); defaults in address-limits.ts. */
  addressLimits?: Partial<AddressLimitSettings>;
  /** Zero-touch bootstrap: the built-in preset every device gets on 0 BOOTSTRAP (default: none). */
  zeroTouch?: ZeroTouchSettings;
  /** The file server (src/acs/files/file-server.ts): Downloads by fileId and Uploads to the ACS need it. */
  fileServer?: FileUrlSigner;
  /** The whole request must arrive within this (slow senders, security.md item 8); default 30 s. */
  requestTimeoutMs?: number;
  log: Log;
  /** What the ACS counts (metrics.ts); none by default. */
  metrics?: AcsMetrics;
  clock?: () => number;
}

/** Sockets accepted elsewhere, each given to the endpoint as if it had accepted it itself. */
export interface HandedConnections {
  /** The port they are accepted on, for the URL the CPEs are told. */
  port: number;
  listening(): boolean;
  /** `accept` gets each socket handed over, until the returned function is called. */
  onConnection(accept: (socket: Socket) => void): () => void;
}

/** The CWMP side as /ready and /metrics see it. */
export interface AcsStatus {
  /** The CWMP listener accepts connections. */
  listening: boolean;
  sessionsOpen: number;
  /** Admission's current limit on open sessions and its measured loop delay; null without admission. */
  sessionLimit: number | null;
  loopDelayMs: number | null;
  /** New sessions waiting in admission's waiting room for a turn; null without admission. */
  waiting: number | null;
}

export interface RunningAcs {
  /** `http(s)://host:port/` the CPEs are told to use. */
  url: string;
  port: number;
  engine: SessionEngine;
  status(): AcsStatus;
  /**
   * Stop gracefully: no new session; sessions in flight finish the RPC under way and end, their unsent tasks
   * staying queued; what is still open at `deadlineMs` is aborted; then the connections close.
   */
  close(deadlineMs?: number): Promise<void>;
}

/** The CWMP side of the ACS: the session engine behind an HTTP(S) server. */
export async function startAcs(options: AcsOptions): Promise<RunningAcs> {
  const registry = new SessionRegistry(options.maxSessions);
  const engine = new SessionEngine({
    store: options.store,
    registry,
    clock: options.clock ?? Date.now,
    coordination: options.coordination ?? new LocalCoordination(),
    defaultSessionTimeoutMs: options.sessionTimeoutMs,
    ...(options.traceSessions !== undefined ? { traceSessions: options.traceSessions } : {}),
    acsVersions: CWMP_VERSIONS,
    zeroTouch: options.zeroTouch ?? null,
    fileServer: options.fileServer ?? null,
    log: options.log,
    metrics: options.metrics ?? NO_METRICS,
  });
  const preAuth = options.preAuthBodyBytes ?? DEFAULT_PRE_AUTH_BODY_BYTES;
  const turns = new LoopTurns();
  const admission =
    options.admission === false
      ? undefined
      : new Admission(
          { ...options.admission, maxSessions: options.maxSessions },
          () => registry.size,
          Math.random,
          () => turns.takeWorstWaitMs(),
        );
  const handler = createCwmpHandler({
    engine,
    authenticate:
      typeof options.authenticate === 'function'
        ? fromInformAuthenticator(options.authenticate)
        : options.authenticate,
    bodyLimits: options.bodyLimits,
    preAuthBodyLimits: {
      maxBytes: Math.min(preAuth, options.bodyLimits.maxBytes),
      maxDecodedBytes: Math.min(preAuth, options.bodyLimits.maxDecodedBytes),
    },
    bodyBudget: new BodyBudget(options.bodyBudgetBytes ?? DEFAULT_BODY_BUDGET_BYTES),
    ...(options.decodeLimits !== undefined ? { decodeLimits: options.decodeLimits } : {}),
    addressLimits: new AddressLimits(options.addressLimits, options.clock ?? Date.now),
    ...(admission !== undefined ? { admission, turns } : {}),
    log: options.log,
  });
  // Slow senders (security.md item 8): the whole request, and its headers, within a deadline, checked often.
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const timeouts = {
    requestTimeout,
    headersTimeout: Math.min(10_000, requestTimeout),
    connectionsCheckingInterval: Math.min(1000, requestTimeout),
    keepAliveTimeout: 35_000,
  };
  const server: Server = options.tls
    ? createHttpsServer({ ...options.tls, ...timeouts, minVersion: 'TLSv1.2' }, handler)
    : createHttpServer(timeouts, handler);
  const handed = options.handedConnections;
  // HTTP's documented way in for a socket it did not accept: the 'connection' event (TLS included).
  const stopHanding = handed?.onConnection((socket) => {
    server.emit('connection', socket);
    socket.resume();
  });
  if (handed === undefined) {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // A deep accept queue: a storm's connections wait there for a cheap 503 instead of being reset.
      server.listen({ port: options.port, host: options.host, backlog: 4096 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }
  // Every second: idle sessions; every minute: overdue transfers.
  let ticks = 0;
  const sweep = setInterval(() => {
    const work =
      ++ticks % 60 === 0 ? [engine.expireIdle(), engine.expireTransfers()] : [engine.expireIdle()];
    Promise.all(work).catch((error: unknown) =>
      options.log('expire-error', { error: (error as Error).message }),
    );
  }, 1000);
  sweep.unref();
  const port = handed?.port ?? (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `${options.tls ? 'https' : 'http'}://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/`,
    port,
    engine,
    status() {
      const state = admission?.state;
      return {
        listening: handed?.listening() ?? server.listening,
        sessionsOpen: registry.size,
        sessionLimit: state?.sessionLimit ?? null,
        loopDelayMs: state?.loopDelayMs ?? null,
        waiting: state?.waiting ?? null,
      };
    },
    async close(deadlineMs = 10_000) {
      // New Informs get 503; sessions in flight run their current RPC to its answer and then end with 204,
      // leaving their device's other tasks queued. Connections stay open meanwhile: a CPE between two POSTs of
      // its session is idle, and may reconnect (quirk 19).
      registry.draining = true;
      const started = Date.now();
      while (registry.size > 0 && Date.now() - started < deadlineMs) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      clearInterval(sweep);
      admission?.close();
      // Past the deadline: what is still open is aborted (its claimed tasks released by the store's rule).
      for (const session of registry.all()) await engine.end(session, 'ACS shutting down');
      stopHanding?.();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
