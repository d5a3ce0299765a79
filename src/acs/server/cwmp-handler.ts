import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import {
  type CwmpEnvelope,
  type DecodeLimits,
  decodeEnvelope,
  type Inform,
} from '../../cwmp/index.ts';
import type { CpeAuthenticator } from '../auth/authenticator.ts';
import type { AddressLimits } from '../http/address-limits.ts';
import type { Admission } from '../http/admission.ts';
import { BodyError, type BodyLimits, readBody } from '../http/body.ts';
import type { BodyBudget, BodyLease } from '../http/body-budget.ts';
import { parseCookies, SESSION_COOKIE, sessionCookie } from '../http/cookies.ts';
import type { LoopTurns } from '../http/loop-turns.ts';
import type { Log } from '../log.ts';
import type { CwmpRefusalReason } from '../metrics.ts';
import type { SessionEngine } from '../session/engine.ts';
import { type SessionReply, tryLater } from '../session/reply.ts';
import { CwmpSession } from '../session/session.ts';
import { challenge, refusal } from './refusal.ts';
import { bindUnbound } from './rejoin.ts';
import type { CwmpRequest } from './request.ts';
import { isStorageFull } from './storage-full.ts';
import { isStoreUnavailable } from './store-unavailable.ts';

export interface CwmpHandlerOptions {
  engine: SessionEngine;
  authenticate: CpeAuthenticator;
  /** Limits for a request of an authenticated session. */
  bodyLimits: BodyLimits;
  /** Limits for a request no session vouches for yet (an Inform, an unbound request): much smaller. */
  preAuthBodyLimits: BodyLimits;
  /** Body bytes all requests may hold at once. */
  bodyBudget: BodyBudget;
  /** Per-address limits on requests in progress and new sessions. */
  addressLimits: AddressLimits;
  /** Whether a new session may start now (measured capacity); none: always. */
  admission?: Admission;
  /** One request's work per turn of the event loop (loop-turns.ts); none: no waiting. */
  turns?: LoopTurns;
  decodeLimits?: Partial<DecodeLimits>;
  log: Log;
}

/**
 * The CWMP endpoint: one POST, one CWMP message (or an empty one), one answer. A request is bound to a session by
 * its cookie or its connection, or by proving the session's credential again (rejoin.ts) — never by its address:
 * a request that cannot be bound touches no session. Bad input gets a clear 4xx, logged with its reason, and
 * ends only its own session; nothing that happens here may take the process down.
 */
export function createCwmpHandler(
  options: CwmpHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { addressLimits, log } = options;
  const metrics = options.engine.deps.metrics;
  let storageFull = false;
  let storeUnavailable = false;
  return (req, res) => {
    const address = req.socket.remoteAddress;
    // The session the request belongs to, if any: looked up once, here, for the address limit and the handling.
    const cookie = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    const bound = options.engine.deps.registry.find(cookie, req.socket);
    if (!addressLimits.enter(address, bound !== undefined)) {
      log('cwmp-address-busy', { remoteAddress: address ?? null }, 'warn');
      metrics.cwmpRefusal(503, 'address-busy');
      send(res, tryLater(5, 'too many requests in progress from this address'));
      return;
    }
    const lease = options.bodyBudget.lease();
    handle(options, req, bound, lease)
      .then((reply) => {
        // A session that went on (200, 204) wrote to the store again.
        if (storageFull && reply.status < 300) {
          log('storage-writable-again', {});
          storageFull = false;
        }
        if (storeUnavailable && reply.status < 300) {
          log('store-available-again', {});
          storeUnavailable = false;
        }
        send(res, reply);
      })
      .catch((error: unknown) => {
        if (isStorageFull(error)) {
          // Said once, not once per CPE: a full disk turns every session away until space is freed.
          if (!storageFull) log('storage-full', { error: (error as Error).message }, 'error');
          storageFull = true;
          metrics.cwmpRefusal(503, 'storage-full');
          send(res, tryLater(60, 'the ACS cannot store data right now'));
          return;
        }
        if (isStoreUnavailable(error)) {
          // Said once until it answers again: every session is turned away meanwhile, none is lost.
          if (!storeUnavailable)
            log('store-unavailable', { error: (error as Error).message }, 'error');
          storeUnavailable = true;
          metrics.cwmpRefusal(503, 'store-unavailable');
          send(res, tryLater(10, 'the ACS cannot reach its database; try again later'));
          return;
        }
        log('cwmp-error', { error: (error as Error).message }, 'error');
        metrics.cwmpRefusal(500, 'internal-error');
        send(res, { status: 500, body: 'internal error\n', close: true });
      })
      .finally(() => {
        lease.release();
        addressLimits.leave(address);
        // The request may have ended its session or failed to open one: the room's waiters may go in.
        options.admission?.pump();
      });
  };
}

async function handle(
  options: CwmpHandlerOptions,
  req: IncomingMessage,
  /** The session the request's cookie or connection binds it to, if any. */
  bound: CwmpSession | undefined,
  lease: BodyLease,
): Promise<SessionReply> {
  const { engine } = options;
  if (req.method !== 'POST') {
    const body = 'CWMP messages are POSTed\n';
    const reply = { status: 405, headers: { Allow: 'POST' }, body, close: true };
    return refused(options, req, reply, 'not a POST');
  }
  if (bound === undefined && options.admission !== undefined) {
    // Before the body is read: waiting for a turn, or being turned away, must cost next to nothing.
    const verdict = await options.admission.enter(() => !req.socket.destroyed);
    if (!verdict.ok) {
      // A CPE that gave up while it waited hears nothing: not a refusal to count or to log.
      if (verdict.reason !== 'gone') {
        shedding(options, verdict.reason);
        engine.deps.metrics.cwmpRefusal(503, 'capacity');
      }
      return tryLater(verdict.retryAfterSeconds, 'the ACS is at capacity; try again later');
    }
    try {
      return await handleMessage(options, req, bound, lease);
    } finally {
      verdict.settle();
    }
  }
  return handleMessage(options, req, bound, lease);
}

/** A request turned away: counted, logged with its reason, and answered. */
function refused(
  options: CwmpHandlerOptions,
  req: IncomingMessage,
  reply: SessionReply,
  reason: string,
  fields: Record<string, unknown> = {},
): SessionReply {
  options.engine.deps.metrics.cwmpRefusal(reply.status, refusalReason(reply.status));
  const remoteAddress = req.socket.remoteAddress ?? null;
  return refusal(options.log, reply, reason, { remoteAddress, ...fields });
}

/** An admitted request: its body read and decoded, and handed to its session (or one begun by its Inform). */
async function handleMessage(
  options: CwmpHandlerOptions,
  req: IncomingMessage,
  bound: CwmpSession | undefined,
  lease: BodyLease,
): Promise<SessionReply> {
  const { engine, log } = options;
  const socket = req.socket;
  const address = socket.remoteAddress ?? null;
  let body: Buffer;
  try {
    body = await readBody(req, bound ? options.bodyLimits : options.preAuthBodyLimits, lease);
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    if (bound !== undefined) await engine.end(bound, `body refused: ${error.reason}`);
    const reply =
      error.reason === 'busy'
        ? tryLater(5, error.message)
        : { status: error.status, body: `${error.message}\n`, close: true };
    return refused(options, req, reply, error.message, { inSession: bound !== undefined });
  }

  await options.turns?.next();
  // Only the body's length matters for an empty POST, whatever its headers say (quirk 15).
  const raw = body.toString('utf8');
  let envelope: CwmpEnvelope | null = null;
  if (raw.trim() !== '') {
    const decoded = decodeEnvelope(body, {
      ...(options.decodeLimits ? { limits: options.decodeLimits } : {}),
    });
    if (!decoded.ok) {
      if (bound !== undefined)
        await engine.end(bound, `undecodable message: ${decoded.error.code}`);
      // Too large once inflated is too large, as on the wire: 413 either way.
      const status = decoded.error.code === 'message-too-large' ? 413 : 400;
      const reply = { status, body: `${decoded.error.message}\n`, close: true };
      return refused(options, req, reply, decoded.error.code, { message: decoded.error.message });
    }
    envelope = decoded.envelope;
    if (decoded.warnings.length > 0) {
      log('cwmp-decode-warnings', {
        warnings: decoded.warnings.map((w) => `${w.code}×${w.count}`),
      });
    }
  }
  const request: CwmpRequest = {
    req,
    isTls: (socket as TLSSocket).encrypted === true,
    address,
    envelope,
    context: { remoteAddress: address, socket, raw },
  };
  if (envelope?.body.method === 'Inform')
    return informRequest(options, request, envelope as CwmpEnvelope<Inform>);
  const session = bound ?? (await bindUnbound(options, request));
  if (!(session instanceof CwmpSession)) return session;
  return engine.message(session, envelope, request.context);
}

const lastShedLog = new WeakMap<Admission, number>();

/** Refusals by capacity are logged at most once a second, with the figures that decided them: a storm is loud. */
function shedding(options: CwmpHandlerOptions, reason: string): void {
  const admission = options.admission!;
  const now = Date.now();
  if (now - (lastShedLog.get(admission) ?? 0) < 1000) return;
  lastShedLog.set(admission, now);
  const { loopDelayMs, queueDelayMs, sessionLimit, horizonSeconds, refused, waiting } =
    admission.state;
  options.log(
    'cwmp-shedding',
    {
      reason,
      loopDelayMs: Math.round(loopDelayMs),
      queueDelayMs: Math.round(queueDelayMs),
      sessionLimit,
      sessionsOpen: options.engine.deps.registry.size,
      waiting,
      retryAfterHorizonSeconds: Math.round(horizonSeconds),
      refusedSoFar: refused,
    },
    'warn',
  );
}

/** An Inform opens a session once the CPE has proved who it is. */
async function informRequest(
  options: CwmpHandlerOptions,
  request: CwmpRequest,
  envelope: CwmpEnvelope<Inform>,
): Promise<SessionReply> {
  const { addressLimits, log } = options;
  const address = request.address ?? undefined;
  // Before authentication, which costs a store read: a storm from one address stops here. The token is taken
  // once the CPE is authenticated, so a Digest challenge round trip does not count as a new session.
  const admission = addressLimits.peekInform(address);
  if (!admission.ok) {
    log('cwmp-address-throttled', { remoteAddress: request.address }, 'warn');
    options.engine.deps.metrics.cwmpRefusal(503, 'address-throttled');
    return tryLater(admission.retryAfterSeconds, 'too many new sessions from this address');
  }
  const auth = await options.authenticate.inform(request.req, envelope.body, request.isTls);
  if (!auth.ok) {
    return challenge(log, options.engine.deps.metrics, auth, {
      remoteAddress: request.address,
      serialNumber: envelope.body.DeviceId.SerialNumber,
    });
  }
  const taken = addressLimits.admitInform(address);
  if (!taken.ok) {
    options.engine.deps.metrics.cwmpRefusal(503, 'address-throttled');
    return tryLater(taken.retryAfterSeconds, 'too many new sessions from this address');
  }
  const bootstrapping = envelope.body.Event.some((e) => e.EventCode === '0 BOOTSTRAP');
  return options.engine.inform(
    envelope,
    { username: auth.username ?? null, bootstrapping },
    request.context,
  );
}

/** The metrics' label for a refusal logged by `refusal()`: its status says which (503 there is the body budget). */
function refusalReason(status: number): CwmpRefusalReason {
  if (status === 503) return 'body-budget';
  if (status === 413) return 'too-large';
  if (status === 405) return 'not-post';
  return 'bad-request';
}

function send(res: ServerResponse, reply: SessionReply): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: Record<string, string | string[]> = { ...reply.headers };
  if (reply.cookie !== undefined) headers['Set-Cookie'] = sessionCookie(reply.cookie);
  if (reply.status === 200 && reply.body !== undefined)
    headers['Content-Type'] = 'text/xml; charset="utf-8"';
  if (reply.close) headers.Connection = 'close';
  const body = reply.status === 204 ? undefined : reply.body;
  if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
  res.writeHead(reply.status, headers);
  res.end(body);
}
