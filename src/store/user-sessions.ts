import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Secret } from './secret.ts';
import type { UserRecord } from './users.ts';

/**
 * Browser sessions of console users. The cookie holds a token `cs_<43 base64url>` (256 random bits); at rest
 * only its SHA-256 is kept, as with API keys (api-keys.ts says why a fast hash is right for random secrets). A
 * session ends after `idleMs` without a request, at `expiresAt` whatever happens, at logout, and when its user's
 * password changes or the user is removed. Kept in the store, not in memory: a restart or another node does not
 * log anyone out.
 *
 * The CSRF token is derived from the session token (HMAC), so it needs no storage and dies with the session.
 */
export interface UserSessionRecord {
  /** Public: the first 16 hex digits of the token's hash (safe to log). */
  id: string;
  userName: string;
  createdAt: number;
  lastSeenAt: number;
  idleMs: number;
  expiresAt: number;
}

export interface UserSessionStore {
  create(
    userName: string,
    limits: { idleMs: number; maxAgeMs: number },
  ): Promise<{ session: UserSessionRecord; token: Secret }>;
  /**
   * The live session the token opens and its user, or null (unknown, idle too long, expired, user gone).
   * Refreshes the idle timer (written at most once every `TOUCH_RESOLUTION_MS`).
   */
  verify(token: Secret): Promise<{ session: UserSessionRecord; user: UserRecord } | null>;
  /** Logout; true when there was such a session. */
  revoke(token: Secret): Promise<boolean>;
  /** Removes every expired session; returns how many. */
  prune(): Promise<number>;
}

export const TOUCH_RESOLUTION_MS = 30_000;

const TOKEN = /^cs_([A-Za-z0-9_-]{43})$/;

export function generateSessionToken(): Secret {
  return new Secret(`cs_${randomBytes(32).toString('base64url')}`);
}

/** The hash a token is stored under, or null for anything that is not a session token. */
export function sessionTokenHash(token: Secret): Buffer | null {
  const match = TOKEN.exec(token.reveal());
  return match === null
    ? null
    : createHash('sha256')
        .update(match[1] ?? '', 'utf8')
        .digest();
}

export function sessionIdOf(hash: Uint8Array): string {
  return Buffer.from(hash).subarray(0, 8).toString('hex');
}

/** The CSRF token that goes with a session token: what the console echoes in `X-CSRF-Token`. */
export function csrfTokenOf(token: Secret): string {
  return createHmac('sha256', token.reveal()).update('corral-csrf').digest('base64url');
}

export function csrfTokenMatches(token: Secret, presented: string): boolean {
  const expected = Buffer.from(csrfTokenOf(token), 'utf8');
  const actual = Buffer.from(presented, 'utf8');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
