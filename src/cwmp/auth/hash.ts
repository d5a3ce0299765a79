/**
 * Digest computations (RFC 7616 §3.4.1–3.4.3, same as RFC 2617 §3.2.2 for MD5): H, KD, A1/HA1, A2/HA2, response.
 * qop `auth` and the legacy RFC 2069 form without qop; `auth-int` is not implemented (TR-069 does not use it).
 * Strings are hashed as UTF-8.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** The algorithms implemented. SHA-512-256 is not (no TR-069 device uses it). */
export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

/** The hash behind an algorithm; also the kind of a stored HA1. */
export type DigestHash = 'MD5' | 'SHA-256';

export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = Object.freeze([
  'MD5',
  'MD5-sess',
  'SHA-256',
  'SHA-256-sess',
]);

/** The algorithm named in a header (case-insensitive; absent means MD5), or undefined when not implemented. */
export function parseDigestAlgorithm(name: string | undefined): DigestAlgorithm | undefined {
  if (name === undefined) return 'MD5';
  const lower = name.toLowerCase();
  return DIGEST_ALGORITHMS.find((a) => a.toLowerCase() === lower);
}

export function hashOf(algorithm: DigestAlgorithm): DigestHash {
  return algorithm.startsWith('SHA-256') ? 'SHA-256' : 'MD5';
}

export function isSessionAlgorithm(algorithm: DigestAlgorithm): boolean {
  return algorithm.endsWith('-sess');
}

/** Length of a hex digest of this hash: 32 for MD5, 64 for SHA-256. */
export function hexLength(hash: DigestHash): number {
  return hash === 'MD5' ? 32 : 64;
}

/** H(data): lower-case hex. */
export function h(hash: DigestHash, data: string): string {
  return createHash(hash === 'MD5' ? 'md5' : 'sha256')
    .update(data, 'utf8')
    .digest('hex');
}

/** HA1 = H(username:realm:password): what a credential store may keep instead of the password. */
export function digestHa1(
  hash: DigestHash,
  username: string,
  realm: string,
  password: string,
): string {
  return h(hash, `${username}:${realm}:${password}`);
}

/** The HA1 that enters the response: for `-sess`, H(HA1:nonce:cnonce); otherwise HA1 itself. */
export function effectiveHa1(
  algorithm: DigestAlgorithm,
  ha1: string,
  nonce: string,
  cnonce: string | undefined,
): string {
  if (!isSessionAlgorithm(algorithm)) return ha1;
  return h(hashOf(algorithm), `${ha1}:${nonce}:${cnonce ?? ''}`);
}

export interface DigestResponseInput {
  readonly algorithm: DigestAlgorithm;
  /** HA1 of username:realm:password (not yet the `-sess` one), lower-case hex of the algorithm's hash. */
  readonly ha1: string;
  readonly nonce: string;
  readonly method: string;
  /** The digest-uri exactly as it appears in the Authorization header. */
  readonly uri: string;
  /** `auth`, or undefined for the RFC 2069 form (no nc, no cnonce). */
  readonly qop?: 'auth';
  /** The nc value exactly as written (8 hex digits). */
  readonly nc?: string;
  readonly cnonce?: string;
}

/** The `response` value. */
export function digestResponse(input: DigestResponseInput): string {
  const hash = hashOf(input.algorithm);
  const ha1 = effectiveHa1(input.algorithm, input.ha1.toLowerCase(), input.nonce, input.cnonce);
  const ha2 = h(hash, `${input.method}:${input.uri}`);
  if (input.qop === undefined) return h(hash, `${ha1}:${input.nonce}:${ha2}`);
  return h(
    hash,
    `${ha1}:${input.nonce}:${input.nc ?? ''}:${input.cnonce ?? ''}:${input.qop}:${ha2}`,
  );
}

/** nc as written on the wire: 8 lower-case hex digits. */
export function formatNonceCount(nc: number): string {
  return nc.toString(16).padStart(8, '0');
}

/**
 * Constant-time string equality. Lengths are compared first (a length is not secret here: it only tells MD5 from
 * SHA-256), then the bytes with `timingSafeEqual`.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ba.length !== bb.length) {
    timingSafeEqual(ba, ba);
    return false;
  }
  return timingSafeEqual(ba, bb);
}
