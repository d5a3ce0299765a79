/** The trace tables' rows, their mapping to records, and the checks on what is appended to them. */
import { StoreError } from './errors.ts';
import type { TraceDirection, TraceInput, TraceMessage, TraceSession } from './traces.ts';

export interface SessionRow {
  id: number;
  session_id: string;
  started_at: number;
  last_at: number;
  messages: number;
  bytes: number;
  truncated: number;
}

export interface MessageRow {
  id: number;
  seq: number;
  at: number;
  direction: TraceDirection;
  body: string;
  bytes: number;
  truncated: number;
  http_status: number | null;
}

export function sessionOf(deviceId: string, r: SessionRow): TraceSession {
  return {
    deviceId,
    sessionId: r.session_id,
    startedAt: r.started_at,
    lastAt: r.last_at,
    messages: r.messages,
    bytes: r.bytes,
    truncated: r.truncated === 1,
  };
}

const encoder = new TextEncoder();

/** `text` cut to at most `max` UTF-8 bytes, on a character boundary. */
function cutUtf8(text: string, max: number): { text: string; bytes: number; cut: boolean } {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= max) return { text, bytes, cut: false };
  const buf = new Uint8Array(max);
  const { read, written } = encoder.encodeInto(text, buf);
  return { text: text.slice(0, read), bytes: written, cut: true };
}

export function messageOf(m: MessageRow): TraceMessage {
  return {
    seq: m.seq,
    at: m.at,
    direction: m.direction,
    body: m.body,
    bytes: m.bytes,
    truncated: m.truncated === 1,
    httpStatus: m.http_status,
  };
}

/** `messages` checked for an append, each body made well-formed and cut to the per-device `budget`. */
export function checkTraces(
  sessionId: unknown,
  messages: TraceInput | readonly TraceInput[],
  budget: number,
): { message: TraceInput; body: { text: string; bytes: number; cut: boolean } }[] {
  if (typeof sessionId !== 'string' || sessionId === '' || sessionId.length > 256) {
    throw new StoreError('invalid', 'trace', 'a session id is 1-256 characters');
  }
  const list: readonly TraceInput[] = Array.isArray(messages) ? messages : [messages as TraceInput];
  return list.map((message) => {
    if (message?.direction !== 'cpe-to-acs' && message?.direction !== 'acs-to-cpe') {
      throw new StoreError('invalid', 'trace', 'a direction is cpe-to-acs or acs-to-cpe');
    }
    if (typeof message.body !== 'string')
      throw new StoreError('invalid', 'trace', 'a body is text');
    const status = message.httpStatus;
    if (status !== undefined && !(Number.isInteger(status) && status >= 100 && status <= 599))
      throw new StoreError('invalid', 'trace', 'an HTTP status is an integer from 100 to 599');
    if (status !== undefined && message.direction !== 'acs-to-cpe')
      throw new StoreError('invalid', 'trace', 'only a response (acs-to-cpe) has an HTTP status');
    return { message, body: cutUtf8(message.body.toWellFormed(), budget) };
  });
}

/**
 * The earlier sessions a device's trace budget leaves out, given its sessions newest first: the current one (being
 * written) is kept whatever its size and, newest first, as many earlier ones as fit both the session count and the
 * byte budget; once one does not fit, it and all older ones go.
 */
export function sessionsOverBudget(
  rows: readonly { id: number; bytes: number }[],
  currentId: number,
  limits: { traceSessionsPerDevice: number; traceBytesPerDevice: number },
): number[] {
  const current = rows.find((r) => r.id === currentId);
  let total = current?.bytes ?? 0;
  let kept = 1;
  const over: number[] = [];
  for (const r of rows) {
    if (r.id === currentId) continue;
    if (
      over.length === 0 &&
      kept < limits.traceSessionsPerDevice &&
      total + r.bytes <= limits.traceBytesPerDevice
    ) {
      kept++;
      total += r.bytes;
    } else {
      over.push(r.id);
    }
  }
  return over;
}
