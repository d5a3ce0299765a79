import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Secret } from './secret.ts';

/**
 * Northbound API keys (security.md item 5). A token is `corral_<id>_<secret>`: `id` is 16 hex characters
 * (public, the row key, safe to log), `secret` 32 random bytes in base64url (256 bits).
 *
 * At rest only SHA-256(secret) is kept. A slow password hash (scrypt, argon2) exists to make guessing a
 * low-entropy human password expensive; a 256-bit random secret cannot be guessed at any hash speed, so a
 * fast hash loses nothing and keeps every API request cheap (scrypt would cost tens of ms of CPU per
 * request — a denial-of-service lever). Verification compares in constant time. The token is shown
 * once, at creation, and can never be read back.
 */
export type Role = 'admin' | 'operator' | 'read-only';

export const ROLES: readonly Role[] = ['read-only', 'operator', 'admin'];

/** admin ⊇ operator ⊇ read-only. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role;
  createdAt: number;
  createdBy: string | null;
  expiresAt: number | null;
  revokedAt: number | null;
  /** Refreshed at most once a minute. */
  lastUsedAt: number | null;
}

export interface ApiKeyStore {
  /** The only time the token exists in clear. */
  create(input: {
    name: string;
    role: Role;
    expiresAt?: number | null;
    createdBy?: string | null;
  }): Promise<{ key: ApiKeyRecord; token: Secret }>;
  /** The key the token belongs to, if the token is right and the key neither revoked nor expired. */
  verify(token: string | Secret): Promise<ApiKeyRecord | null>;
  get(id: string): Promise<ApiKeyRecord | null>;
  list(): Promise<ApiKeyRecord[]>;
  setRole(id: string, role: Role): Promise<ApiKeyRecord>;
  revoke(id: string): Promise<ApiKeyRecord>;
}

const TOKEN = /^corral_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function generateApiToken(): { id: string; secret: string; token: Secret } {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, token: new Secret(`corral_${id}_${secret}`) };
}

export function parseApiToken(token: string | Secret): { id: string; secret: string } | null {
  const m = TOKEN.exec(typeof token === 'string' ? token : token.reveal());
  return m === null ? null : { id: m[1] ?? '', secret: m[2] ?? '' };
}

export function hashApiSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function apiSecretMatches(secret: string, hash: Uint8Array): boolean {
  const actual = hashApiSecret(secret);
  return hash.length === actual.length && timingSafeEqual(actual, hash);
}
