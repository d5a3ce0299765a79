import { type CwmpEnvelope, type CwmpMessage, encodeEnvelope } from '../../cwmp/index.ts';
import { isSecretParameter } from '../secret-parameters.ts';
import type { SessionDeps } from './deps.ts';
import type { CwmpSession } from './session.ts';

const REDACTED = '[redacted]';
/** The `t=` query parameter of a signed file-server URL (src/acs/files/signed-url.ts). */
const SIGNED_TOKEN = /([?&]t=)[^&#]+/;

/**
 * A copy of the message with every secret replaced, or the message itself when it holds none. Secret: a
 * parameter whose name says so, one in `secretNames` (values the operator gave as secrets), or a password.
 */
export function redact(message: CwmpMessage, secretNames?: ReadonlySet<string>): CwmpMessage {
  const secret = (name: string) => isSecretParameter(name) || secretNames?.has(name) === true;
  switch (message.method) {
    case 'SetParameterValues':
    case 'GetParameterValuesResponse':
    case 'Inform': {
      if (!message.ParameterList.some((p) => secret(p.name))) return message;
      const ParameterList = message.ParameterList.map((p) =>
        secret(p.name) ? { ...p, value: REDACTED } : p,
      );
      return { ...message, ParameterList } as CwmpMessage;
    }
    case 'Download':
    case 'Upload':
    case 'ScheduleDownload': {
      // A file-server URL carries a signed token (a capability for that device): it is a secret too.
      const URL = message.URL.replace(SIGNED_TOKEN, `$1${REDACTED}`);
      if (message.Password === '' && URL === message.URL) return message;
      return { ...message, URL, Password: message.Password === '' ? '' : REDACTED };
    }
    case 'ChangeDUState':
      return {
        ...message,
        Operations: message.Operations.map((op) =>
          'Password' in op ? { ...op, Password: REDACTED } : op,
        ),
      };
    default:
      return message;
  }
}

/** A session's trace is written when it ends, or sooner once this much waits in memory. */
export const TRACE_FLUSH_BYTES = 64 * 1024;

/**
 * Keep a message in the device's session trace. The raw text when it holds no secret (operators troubleshoot
 * quirks from the exact bytes), else a re-encoding with the secrets replaced. Messages are written in batches
 * (`flushTrace`): one durable commit per message was three quarters of a periodic session's commits
 * (bench:acs). Tracing never fails a session.
 */
async function trace(
  deps: SessionDeps,
  session: CwmpSession,
  entry: { direction: 'cpe-to-acs' | 'acs-to-cpe'; httpStatus?: number },
  envelope: CwmpEnvelope | null,
  raw: string,
  secretNames?: ReadonlySet<string>,
): Promise<void> {
  const mode = deps.traceSessions ?? 'all';
  if (mode === 'off') return;
  if (!session.traceNotable && !isPlain(entry, envelope)) session.traceNotable = true;
  let body = raw;
  if (envelope !== null) {
    const redacted = redact(envelope.body, secretNames);
    if (redacted !== envelope.body) body = encodeEnvelope({ ...envelope, body: redacted });
  }
  // One literal, not `{ ...entry, body, at }`: that spread took V8's slow path, 1 % of a periodic session's CPU.
  const { direction, httpStatus } = entry;
  session.trace.push({ direction, httpStatus, body, at: deps.clock() });
  session.traceBytes += body.length;
  if (session.traceBytes >= TRACE_FLUSH_BYTES) await flushTrace(deps, session);
}

/** What the CPE posted (an empty POST too), as received. */
export function traceRequest(
  deps: SessionDeps,
  session: CwmpSession,
  envelope: CwmpEnvelope | null,
  raw: string,
): Promise<void> {
  return trace(deps, session, { direction: 'cpe-to-acs' }, envelope, raw);
}

/**
 * What the ACS answered, with its HTTP status: a SOAP message (200), the empty 204 that ends the session, or a
 * refusal. `envelope`, when given, is what `body` encodes, so that secrets in it can be redacted.
 */
export function traceResponse(
  deps: SessionDeps,
  session: CwmpSession,
  reply: { status: number; body?: string | undefined },
  envelope: CwmpEnvelope | null = null,
  secretNames?: ReadonlySet<string>,
): Promise<void> {
  const entry = { direction: 'acs-to-cpe', httpStatus: reply.status } as const;
  return trace(deps, session, entry, envelope, reply.body ?? '', secretNames);
}

/**
 * Part of what every periodic session is — the Inform, its InformResponse, the empty POST, the 204 — and not an
 * RPC (the ACS's are traced with their envelope), a CPE request, an answer or a refusal.
 */
function isPlain(
  entry: { direction: 'cpe-to-acs' | 'acs-to-cpe'; httpStatus?: number },
  envelope: CwmpEnvelope | null,
): boolean {
  if (entry.direction === 'acs-to-cpe')
    return envelope === null && (entry.httpStatus === 200 || entry.httpStatus === 204);
  return envelope === null || envelope.body.method === 'Inform';
}

/** Write what the session traced so far (at its end, whatever the end). */
export async function flushTrace(deps: SessionDeps, session: CwmpSession): Promise<void> {
  if (session.trace.length === 0) return;
  const batch = session.trace;
  session.trace = [];
  session.traceBytes = 0;
  if (deps.traceSessions === 'rpc' && !session.traceNotable) return;
  try {
    await deps.store.traces.append(session.deviceId, session.id, batch);
  } catch (error) {
    deps.log('trace-failed', { deviceId: session.deviceId, error: (error as Error).message });
  }
}
