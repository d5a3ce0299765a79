import type { FastifyReply, FastifyRequest } from 'fastify';
import { isSecretParameter } from '../acs/secret-parameters.ts';
import { type AuditInput, cutText } from '../store/audit.ts';
import { isStoreError } from '../store/errors.ts';
import type { JsonValue } from '../store/json.ts';
import { isSecret } from '../store/secret.ts';
import type { Store } from '../store/store.ts';
import type { App, Log } from './app.ts';
import { actorOf } from './auth.ts';

/**
 * The audit trail of the API (security.md item 12): every authenticated POST, PUT, PATCH and DELETE is
 * recorded — who (`actorOf`), what (`METHOD /route/:pattern`, the route's parameters as target, the
 * redacted parameters, query and body as details), how it ended (the status, so a refused 403 attempt is
 * visible too). Reads are not recorded. Requests without a valid key (401) are not recorded either: the
 * authentication hook logs them ('api-auth-failed'), and an anonymous caller could otherwise fill the log.
 *
 * The entry is written in onSend, before the response leaves: once a client sees its result, the audit
 * has it. A failed write is logged ('audit-error') and never fails the request.
 *
 * Redaction, before anything is stored: a property whose name says secret (password, passphrase, secret,
 * token, credential, PSK, …Key of a key-like kind, `key` itself — but not `parameterKey`, `commandKey`,
 * `keyId` or `keys`, which are identifiers) and is not a plain flag (boolean or null); the `value` next to a
 * secret parameter's `name`/`path` or a `secret: true`; SetParameterValues values of parameters the store
 * keeps as secrets; the connection-request username; `Secret`s; and any API-key token inside any text.
 */

export const REDACTED = '[redacted]';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Longer strings in details are cut (marked with …). */
const MAX_STRING_BYTES = 1024;
/** A body whose redacted JSON is longer is summarised (the store bounds all details at 8 KB). */
export const MAX_AUDIT_BODY_BYTES = 4096;
/** Responses parsed for the id of what was created (a mutation's answer is a record, not a list). */
const MAX_RESULT_PAYLOAD = 65_536;
const MAX_DEPTH = 32;

const SECRET_NAME =
  /pass(?:word|phrase|wd)|secret|token|credential|private[-_]?key|api[-_]?key|access[-_]?key|auth[-_]?key|shared[-_]?key|wep[-_]?key|psk|cookie|authori[sz]ation|^(?:pass|pwd|pin|key)$/i;
const TOKEN = /corral_([0-9a-f]{16})_[A-Za-z0-9_-]{43}/g;
/** Route-specific names that are secret there: the connection-request username is a credential. */
const SECRET_BY_ROUTE: readonly [RegExp, readonly string[]][] = [
  [/\/credentials\/connection-request$/, ['username']],
  // A script is code, but it may carry a secret it declares: its text is not kept (the preset's own values are
  // redacted by name and flag like any other).
  [/\/presets\/:name$/, ['script']],
];

export interface AuditDeps {
  store: Store;
  log: Log;
}

/** Registers the audit hook on the whole API. */
export function auditRequests(app: App, deps: AuditDeps): void {
  app.addHook('onSend', async (request, reply, payload) => {
    // No principal: 401, logged by the authentication hook and deliberately not audited (see above).
    if (!MUTATING.has(request.method) || request.principal === null) return;
    try {
      await deps.store.audit.record(await auditEntry(request, reply, payload, deps.store));
    } catch (error) {
      deps.log(
        'audit-error',
        {
          method: request.method,
          route: request.routeOptions.url ?? null,
          status: reply.statusCode,
          error: error instanceof Error ? error.name : typeof error,
          // A StoreError's message is safe by contract; others might echo input.
          ...(isStoreError(error) ? { code: error.code, message: error.message } : {}),
        },
        'error',
      );
    }
  });
}

async function auditEntry(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  store: Store,
): Promise<AuditInput> {
  const route = request.routeOptions.url;
  const params = frameworkRecord(request.params);
  const result = reply.statusCode < 300 ? createdIds(payload) : null;
  const paramValues = Object.values(params).map(String);
  const target =
    paramValues.length > 0
      ? paramValues.join('/')
      : result === null
        ? null
        : ((Object.values(result)[0] as string | number | undefined)?.toString() ?? null);
  const secretNames = new Set<string>();
  for (const [pattern, names] of SECRET_BY_ROUTE) {
    if (route !== undefined && pattern.test(route)) for (const n of names) secretNames.add(n);
  }
  const storedSecrets = await storedSecretPaths(request.body, params.deviceId, store);
  const redact = (value: unknown) => redactValue(value, { secretNames, storedSecrets }, 0);
  const details: Record<string, JsonValue> = {
    params: redact(params),
    query: redact(frameworkRecord(request.query)),
    body: summarised(redact(request.body === undefined ? null : request.body)),
  };
  if (route === undefined) details.path = text(request.url.split('?')[0] ?? '');
  if (result !== null) details.result = redact(result);
  return {
    actor: actorOf(request.principal!),
    action: `${request.method} ${route ?? '(no route)'}`,
    target: target === null ? null : masked(target),
    outcome: reply.statusCode,
    details,
  };
}

interface RedactContext {
  /** Property names secret on this route (beyond SECRET_NAME). */
  secretNames: ReadonlySet<string>;
  /** Parameter paths the store keeps as secrets on the device the request names. */
  storedSecrets: ReadonlySet<string>;
}

export function isSecretName(name: string, extra: ReadonlySet<string> = new Set()): boolean {
  return SECRET_NAME.test(name) || isSecretParameter(name) || extra.has(name);
}

function redactValue(value: unknown, ctx: RedactContext, depth: number): JsonValue {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return text(value);
  if (isSecret(value)) return REDACTED;
  if (typeof value !== 'object') return null; // undefined, a function: nothing JSON carries
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => redactValue(item, ctx, depth + 1));
  const record = plainRecord(value);
  if (record === null) return '[not JSON]'; // a stream or a buffer: a file upload's body
  const secretValue = namesSecret(record, ctx);
  const entries: [string, JsonValue][] = [];
  for (const [key, item] of Object.entries(record)) {
    // A boolean or null is a flag (`secret: true`), not a secret.
    const hidden =
      (isSecretName(key, ctx.secretNames) || (key === 'value' && secretValue)) &&
      item !== null &&
      typeof item !== 'boolean';
    entries.push([text(key), hidden ? REDACTED : redactValue(item, ctx, depth + 1)]);
  }
  return Object.fromEntries(entries);
}

/** `{ name | path: <a secret parameter>, value }` or `{ secret: true, value }`: the value is a secret. */
function namesSecret(record: Record<string, unknown>, ctx: RedactContext): boolean {
  if (record.secret === true) return true;
  for (const key of ['name', 'path', 'parameter']) {
    const name = record[key];
    if (typeof name === 'string' && (isSecretParameter(name) || ctx.storedSecrets.has(name))) {
      return true;
    }
  }
  return false;
}

/** API-key tokens masked to their public id, wherever they appear. */
function masked(value: string): string {
  return value.replace(TOKEN, `corral_$1_${REDACTED}`);
}

/** Text with tokens masked (before cutting, so no part of one survives), then bounded. */
function text(value: string): string {
  const clean = masked(value);
  const cut = cutText(clean, MAX_STRING_BYTES);
  return cut.length < clean.length ? `${cut}…` : cut;
}

/** A large body as its shape: size, kind, top-level keys and list lengths. */
function summarised(body: JsonValue): JsonValue {
  const bytes = Buffer.byteLength(JSON.stringify(body), 'utf8');
  if (bytes <= MAX_AUDIT_BODY_BYTES) return body;
  const summary: Record<string, JsonValue> = { summarised: true, bytes };
  if (Array.isArray(body)) {
    summary.items = body.length;
  } else if (body !== null && typeof body === 'object') {
    if (typeof body.type === 'string') summary.type = cutText(body.type, 64);
    const keys = Object.keys(body);
    summary.keys = keys.slice(0, 32).map((k) => cutText(k, 64));
    const lengths = keys.flatMap((k) => {
      const v = body[k];
      return Array.isArray(v) ? [[cutText(k, 64), v.length] as [string, JsonValue]] : [];
    });
    if (lengths.length > 0) summary.lengths = Object.fromEntries(lengths.slice(0, 32));
  }
  return summary;
}

/**
 * SetParameterValues names that are secrets by what the store keeps (a parameter once set with
 * `secret: true`), as task-input.ts decides. A failed lookup counts every name as secret.
 */
async function storedSecretPaths(
  body: unknown,
  deviceId: unknown,
  store: Store,
): Promise<Set<string>> {
  const found = new Set<string>();
  const record = plainRecord(body);
  if (typeof deviceId !== 'string' || record?.type !== 'setParameterValues') return found;
  if (!Array.isArray(record.parameters)) return found;
  const names = record.parameters
    .slice(0, 4096)
    .map((p) => plainRecord(p)?.name)
    .filter((n): n is string => typeof n === 'string' && !isSecretParameter(n));
  try {
    for (const name of names) {
      if ((await store.parameters.get(deviceId, name))?.secret === true) found.add(name);
    }
  } catch {
    for (const name of names) found.add(name);
  }
  return found;
}

/** The ids a successful response names: `id`, and `<prop>Id` for each record it wraps (`task`, `key`…). */
function createdIds(payload: unknown): Record<string, JsonValue> | null {
  if (typeof payload !== 'string' || payload.length > MAX_RESULT_PAYLOAD) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return null;
  }
  const record = plainRecord(parsed);
  if (record === null) return null;
  const ids: [string, JsonValue][] = [];
  const idOf = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? v : undefined);
  const own = idOf(record.id);
  if (own !== undefined) ids.push(['id', own]);
  for (const [key, value] of Object.entries(record)) {
    const id = idOf(plainRecord(value)?.id);
    if (id !== undefined) ids.push([`${key}Id`, id]);
  }
  return ids.length === 0 ? null : Object.fromEntries(ids);
}

/** Path parameters and query as Fastify builds them (its own object types): their own entries. */
function frameworkRecord(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value));
}

function plainRecord(value: unknown): Record<string, unknown> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null ? (value as Record<string, unknown>) : null;
}
