import type { JsonValue } from './json.ts';

/**
 * The audit log (security.md item 12): who changed what, when, and how it ended. Append-only — there is no
 * update or delete, and the SQLite table refuses both. Entries are not tied to the records they name (a
 * deleted device keeps its history). Callers redact before recording; the store only bounds: actor and
 * action are cut to MAX_AUDIT_ACTOR / MAX_AUDIT_ACTION UTF-8 bytes, target to MAX_AUDIT_TARGET (a target
 * filter is cut the same way, so it still finds a cut target), and details whose JSON is over
 * MAX_AUDIT_DETAILS_BYTES become an `AuditTruncated` marker. Text is stored well-formed (lone surrogates
 * become U+FFFD); values JSON cannot carry (a cycle, a function, too deep) are replaced, never refused,
 * so that an audit write does not fail on what it describes.
 *
 * `list` is newest first (by `at`, then `id`); filters are exact matches, `since` and `until` both
 * inclusive (ms since the epoch).
 */
export interface AuditEntry {
  id: number; // increasing
  at: number; // ms since epoch, store clock
  actor: string; // 'api-key:<id>' | 'admin-key' | 'campaign:<id>' | 'system' …
  action: string; // e.g. 'POST /api/v1/devices/:deviceId/tasks' or 'campaign.task-create'
  target: string | null; // what it acted on (device id, preset name, campaign id…), ≤ 1 KB
  outcome: number | null; // HTTP status for API calls; null for internal actors
  details: JsonValue; // redacted, bounded summary (≤ 8 KB serialized; larger → truncated marker)
}
export interface AuditInput {
  actor: string;
  action: string;
  target?: string | null;
  outcome?: number | null;
  details?: JsonValue;
  at?: number;
}
export interface AuditFilter {
  actor?: string;
  action?: string;
  target?: string;
  since?: number;
  until?: number;
  limit?: number;
  offset?: number;
}
export interface AuditStore {
  record(input: AuditInput): Promise<AuditEntry>;
  /** Newest first; limit default 100, at most 10,000. */
  list(filter?: AuditFilter): Promise<AuditEntry[]>;
}

export const MAX_AUDIT_ACTOR = 256;
export const MAX_AUDIT_ACTION = 512;
export const MAX_AUDIT_TARGET = 1024;
export const MAX_AUDIT_DETAILS_BYTES = 8192;
/** The part of oversized details kept in the marker, in UTF-8 bytes of their JSON text. */
export const AUDIT_EXCERPT_BYTES = 1024;

/** What oversized details are replaced with. */
export interface AuditTruncated {
  truncated: true;
  /** UTF-8 size of the details' JSON text as given. */
  bytes: number;
  /** The start of that text (not valid JSON on its own). */
  excerpt: string;
}

const MAX_DEPTH = 32;
const encoder = new TextEncoder();

/** `text` made well-formed and cut to at most `max` UTF-8 bytes, on a character boundary. */
export function cutText(text: string, max: number): string {
  const whole = text.toWellFormed();
  if (whole.length <= max / 3 || Buffer.byteLength(whole, 'utf8') <= max) return whole;
  const { read } = encoder.encodeInto(whole, new Uint8Array(max));
  return whole.slice(0, read);
}

/**
 * `value` as JSON carries it, without throwing: what JSON.stringify would drop is dropped (undefined and
 * functions in objects) or null (in arrays, non-finite numbers); `toJSON` is honoured (a `Secret` gives
 * "[redacted]"); a bigint becomes its decimal text; cycles and nesting past 32 become markers.
 */
export function toJsonValue(value: unknown, depth = 0, seen = new Set<object>()): JsonValue {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return value.toWellFormed();
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return null;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  try {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      try {
        return toJsonValue(toJSON.call(value), depth + 1, seen);
      } catch {
        return '[unserialisable]';
      }
    }
    if (Array.isArray(value)) {
      return value.map((item) => toJsonValue(item, depth + 1, seen));
    }
    const entries: [string, JsonValue][] = [];
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      entries.push([key.toWellFormed(), toJsonValue(item, depth + 1, seen)]);
    }
    // fromEntries defines own properties: a "__proto__" key stays data, never a prototype.
    return Object.fromEntries(entries);
  } catch {
    return '[unserialisable]';
  } finally {
    seen.delete(value);
  }
}

/** Details as stored: JSON text of at most MAX_AUDIT_DETAILS_BYTES (an `AuditTruncated` marker if over). */
export function auditDetailsText(details: unknown): string {
  const text = JSON.stringify(toJsonValue(details === undefined ? null : details));
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= MAX_AUDIT_DETAILS_BYTES) return text;
  const marker: AuditTruncated = {
    truncated: true,
    bytes,
    excerpt: cutText(text, AUDIT_EXCERPT_BYTES),
  };
  return JSON.stringify(marker);
}
