import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { parseApiToken, type Role } from '../store/api-keys.ts';
import type { Secret } from '../store/secret.ts';
import type { Store } from '../store/store.ts';

/**
 * Who is calling (security.md item 5). A token comes as `Authorization: Bearer <token>` or `X-API-Key:
 * <token>`; it is either the environment's admin key (`CORRAL_API_KEY`, compared in constant time, never
 * stored) or a stored API key (`corral_<id>_<secret>`, verified by the store against its hash).
 */
export type Principal =
  | { kind: 'admin-key'; id: 'env'; role: 'admin' }
  | { kind: 'api-key'; id: string; name: string; role: Role }
  /** A console user logged in with a browser session (console/browser-session.ts); `id` is the user's name. */
  | { kind: 'user'; id: string; name: string; role: Role; sessionId: string; token: Secret };

export type AuthFailure =
  /** No credential at all. */
  | 'missing'
  /** More than one, or a header that is not a bearer token. */
  | 'malformed'
  /** A token nobody issued, or revoked, or expired. */
  | 'invalid';

/** The longest token looked at; a stored key's token is 81 characters. */
const MAX_TOKEN = 1024;

export class Authenticator {
  readonly #store: Store;
  readonly #adminDigest: Buffer | null;

  constructor(store: Store, adminKey: string | undefined) {
    this.#store = store;
    this.#adminDigest = adminKey ? digest(adminKey) : null;
  }

  /** The caller, or why not. `keyId` is the public id part of a stored-key token (safe to log). */
  async authenticate(
    headers: IncomingHttpHeaders,
  ): Promise<
    { ok: true; principal: Principal } | { ok: false; reason: AuthFailure; keyId?: string }
  > {
    const token = tokenOf(headers);
    if (!token.ok) return token;
    const value = token.value;
    // Hash first, so that comparing the admin key takes the same time whatever the token's length.
    if (this.#adminDigest !== null && timingSafeEqual(digest(value), this.#adminDigest)) {
      return { ok: true, principal: { kind: 'admin-key', id: 'env', role: 'admin' } };
    }
    const parsed = parseApiToken(value);
    if (parsed === null) return { ok: false, reason: 'invalid' };
    const key = await this.#store.apiKeys.verify(value);
    if (key === null) return { ok: false, reason: 'invalid', keyId: parsed.id };
    return { ok: true, principal: { kind: 'api-key', id: key.id, name: key.name, role: key.role } };
  }
}

/**
 * The key a request claims to hold, for throttling before it is verified: a stored key's public id, or
 * `malformed` for any other credential (the environment's admin key included); null when it carries none.
 */
/**
 * The request carries exactly `secret` (the metrics token): compared as SHA-256 digests in constant time, so
 * that neither the comparison's time nor the token's length tells anything.
 */
export function presentsSecret(headers: IncomingHttpHeaders, secretDigest: Buffer): boolean {
  const token = tokenOf(headers);
  return token.ok && timingSafeEqual(digest(token.value), secretDigest);
}

export function claimedKey(headers: IncomingHttpHeaders): string | null {
  const token = tokenOf(headers);
  if (!token.ok) return token.reason === 'missing' ? null : 'malformed';
  return claimOf(token.value);
}

export function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function tokenOf(
  headers: IncomingHttpHeaders,
): { ok: true; value: string } | { ok: false; reason: AuthFailure } {
  const authorization = headers.authorization;
  const apiKey = headers['x-api-key'];
  if (authorization === undefined && apiKey === undefined) return { ok: false, reason: 'missing' };
  if (authorization !== undefined && apiKey !== undefined)
    return { ok: false, reason: 'malformed' };
  let value: string;
  if (authorization !== undefined) {
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    if (match === null) return { ok: false, reason: 'malformed' };
    value = match[1] ?? '';
  } else {
    // Node joins repeated X-API-Key headers with ", "; a token never contains a comma or space.
    value = String(apiKey).trim();
  }
  if (value === '' || value.length > MAX_TOKEN || /[\s,]/.test(value)) {
    return { ok: false, reason: 'malformed' };
  }
  return { ok: true, value };
}

/** Who did it, for a task's `createdBy` and the audit trail: `api-key:<id>`, `admin-key` or `user:<name>`. */
export function actorOf(principal: Principal): string {
  switch (principal.kind) {
    case 'admin-key':
      return 'admin-key';
    case 'api-key':
      return `api-key:${principal.id}`;
    case 'user':
      return `user:${principal.name}`;
  }
}

/** The claim a token makes: its public key id, or `malformed` (never any part of a secret). */
export function claimOf(token: string | null): string {
  if (token === null) return 'malformed';
  const match = /^corral_([0-9a-f]{16})_/.exec(token);
  return match === null ? 'malformed' : (match[1] ?? 'malformed');
}
