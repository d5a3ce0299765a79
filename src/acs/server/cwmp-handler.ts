import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import {
  type CwmpEnvelope,
  type DecodeLimits,
  decodeEnvelope,
  type Inform,
} from '../../cwmp/index.ts';
import type { AddressLimits } from '../http/address-limits.ts';
import { BodyError, type BodyLimits, readBody } from '../http/body.ts';
import { parseCookies, SESSION_COOKIE, sessionCookie } from '../http/cookies.ts';
import type { SessionEngine } from '../session/engine.ts';
import { type SessionReply, tryLater } from '../session/reply.ts';

/** The answer to "may this CPE open a session?", decided on its Inform. */
export type CpeAuthOutcome =
  | { ok: true }
  /** 401: `challenges` are the WWW-Authenticate values to send; `reason` is for the log, never a secret. */
  | { ok: false; challenges: string[]; reason: string };

export type CpeAuthenticator = (
  request: IncomingMessage,
  inform: Inform,
  isTls: boolean,
) => Promise<CpeAuthOutcome>;

export interface CwmpHandlerOptions {
  engine: SessionEngine;
  authenticate: CpeAuthenticator;
  bodyLimits: BodyLimits;
  /** Per-address limits on requests in progress and new sessions. */
  addressLimits: AddressLimits;
  decodeLimits?: Partial<DecodeLimits>;
  log: (event: string, fields: Record<string, unknown>) => void;
}

/**
 * The CWMP endpoint: one POST, one CWMP message (or an empty one), one answer. Bad input gets a clear 4xx and
 * ends the session cleanly; nothing that happens here may take the process down.
 */
export function createCwmpHandler(
  options: CwmpHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { addressLimits, log } = options;
  return (req, res) => {
    const address = req.socket.remoteAddress;
    if (!addressLimits.enter(address)) {
      log('cwmp-address-busy', { remoteAddress: address ?? null });
      send(res, tryLater(5, 'too many requests in progress from this address'));
      return;
    }
    handle(options, req, res)
      .catch((error: unknown) => {
        log('cwmp-error', { error: (error as Error).message });
        if (!res.headersSent) send(res, { status: 500, body: 'internal error\n', close: true });
        else res.destroy();
      })
      .finally(() => addressLimits.leave(address));
  };
}

async function handle(
  options: CwmpHandlerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { engine } = options;
  if (req.method !== 'POST') {
    send(res, {
      status: 405,
      headers: { Allow: 'POST' },
      body: 'CWMP messages are POSTed\n',
      close: true,
    });
    return;
  }
  const socket = req.socket;
  const cookie = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
  const { registry } = engine.deps;

  let body: Buffer;
  try {
    body = await readBody(req, options.bodyLimits);
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    const session = registry.find(cookie, socket);
    if (session !== undefined) await engine.end(session, `body refused: ${error.reason}`);
    send(res, { status: error.status, body: `${error.message}\n`, close: true });
    return;
  }

  // Only the body's length matters for an empty POST, whatever its headers say (quirk 15).
  const raw = body.toString('utf8');
  let envelope: CwmpEnvelope | null = null;
  if (raw.trim() !== '') {
    const decoded = decodeEnvelope(body, {
      ...(options.decodeLimits ? { limits: options.decodeLimits } : {}),
    });
    if (!decoded.ok) {
      options.log('cwmp-decode-error', {
        code: decoded.error.code,
        message: decoded.error.message,
      });
      const session = registry.find(cookie, socket);
      if (session !== undefined)
        await engine.end(session, `undecodable message: ${decoded.error.code}`);
      send(res, { status: 400, body: `${decoded.error.message}\n`, close: true });
      return;
    }
    envelope = decoded.envelope;
    if (decoded.warnings.length > 0) {
      options.log('cwmp-decode-warnings', {
        warnings: decoded.warnings.map((w) => `${w.code}×${w.count}`),
      });
    }
  }

  if (envelope?.body.method === 'Inform') {
    // Before authentication, which costs a store read: a storm from one address stops here.
    const admission = options.addressLimits.admitInform(socket.remoteAddress);
    if (!admission.ok) {
      options.log('cwmp-address-throttled', { remoteAddress: socket.remoteAddress ?? null });
      send(res, tryLater(admission.retryAfterSeconds, 'too many new sessions from this address'));
      return;
    }
    const isTls = (socket as TLSSocket).encrypted === true;
    const auth = await options.authenticate(req, envelope.body, isTls);
    if (!auth.ok) {
      options.log('cpe-auth-refused', {
        reason: auth.reason,
        remoteAddress: socket.remoteAddress ?? null,
      });
      const headers: Record<string, string | string[]> = { 'WWW-Authenticate': auth.challenges };
      send(res, { status: 401, headers, body: 'authentication required\n' });
      return;
    }
  }

  // An Inform is never matched to a session by address: a second Inform of a device is a second session.
  const session = registry.find(cookie, socket, envelope?.body.method !== 'Inform');
  const reply = await engine.handle(session, envelope, {
    remoteAddress: socket.remoteAddress ?? null,
    socket,
    raw,
  });
  send(res, reply);
}

function send(
  res: ServerResponse,
  reply: SessionReply & { headers?: Record<string, string | string[]> },
): void {
  const headers: Record<string, string | string[]> = { ...reply.headers };
  if (reply.sessionId !== undefined) headers['Set-Cookie'] = sessionCookie(reply.sessionId);
  if (reply.status === 200 && reply.body !== undefined)
    headers['Content-Type'] = 'text/xml; charset="utf-8"';
  if (reply.close) headers.Connection = 'close';
  const body = reply.status === 204 ? undefined : reply.body;
  if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
  res.writeHead(reply.status, headers);
  res.end(body);
}
