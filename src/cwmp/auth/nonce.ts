/**
 * Stateless Digest nonces: the server can tell its own nonces from forged ones, and their age, without storing them.
 *
 *     nonce = base64url( issuedAt (uint64 BE, ms) ‖ random (16 bytes) ‖ tag (16 bytes) )     — 54 characters
 *     tag   = HMAC-SHA-256(secret, "corral/digest-nonce/v1" ‖ 0 ‖ realm ‖ 0 ‖ issuedAt ‖ random)[0..16)
 *
 * A nonce is bound to its realm. Secrets can be rotated: nonces are issued with `secret` and accepted under
 * `previousSecrets` too. Only a canonical encoding is accepted, so one nonce has exactly one spelling (the
 * nonce-count tracker is keyed by it).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AuthConfigError, nonNegative, positive } from './errors.ts';

export const NONCE_RANDOM_BYTES = 16;
const TAG_BYTES = 16;
const NONCE_BYTES = 8 + NONCE_RANDOM_BYTES + TAG_BYTES;
const NONCE_CHARS = Math.ceil((NONCE_BYTES * 4) / 3);
const NONCE_RE = /^[A-Za-z0-9_-]+$/;
const DOMAIN = Buffer.from('corral/digest-nonce/v1\0', 'utf8');

/** Minimum secret length: 32 bytes (256 bits), the HMAC-SHA-256 block of entropy. */
export const MIN_SECRET_BYTES = 32;

export interface StatelessNoncesOptions {
  readonly secret: Uint8Array;
  readonly previousSecrets?: readonly Uint8Array[];
  readonly realm: string;
  /** Lifetime of a nonce; default 5 minutes. */
  readonly ttlMs?: number;
  /** How far in the future an issue time may be (clocks of several ACS nodes); default 5 s. */
  readonly maxFutureSkewMs?: number;
}

export type NonceCheck =
  | { readonly status: 'valid'; readonly issuedAt: number; readonly expiresAt: number }
  | { readonly status: 'expired'; readonly issuedAt: number; readonly expiresAt: number }
  | { readonly status: 'invalid' };

export class StatelessNonces {
  readonly #keys: readonly Buffer[];
  readonly #realm: Buffer;
  readonly ttlMs: number;
  readonly maxFutureSkewMs: number;

  constructor(options: StatelessNoncesOptions) {
    const keys = [options.secret, ...(options.previousSecrets ?? [])];
    for (const key of keys) {
      if (!(key instanceof Uint8Array) || key.byteLength < MIN_SECRET_BYTES) {
        throw new AuthConfigError(
          'weak-secret',
          `nonce secrets must be at least ${MIN_SECRET_BYTES} random bytes`,
        );
      }
    }
    this.#keys = keys.map((k) => Buffer.from(k));
    this.#realm = Buffer.from(options.realm, 'utf8');
    this.ttlMs = positive('ttlMs', options.ttlMs ?? 300_000);
    this.maxFutureSkewMs = nonNegative('maxFutureSkewMs', options.maxFutureSkewMs ?? 5_000);
  }

  /** A fresh nonce issued at `now`, from `random` (exactly NONCE_RANDOM_BYTES bytes). */
  issue(now: number, random: Uint8Array): string {
    if (random.byteLength !== NONCE_RANDOM_BYTES) {
      throw new AuthConfigError(
        'invalid-option',
        `a nonce needs ${NONCE_RANDOM_BYTES} random bytes`,
      );
    }
    const body = Buffer.alloc(8 + NONCE_RANDOM_BYTES);
    body.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(now))), 0);
    body.set(random, 8);
    return Buffer.concat([body, this.#tag(this.#keys[0]!, body)]).toString('base64url');
  }

  /** Whether `nonce` is one of ours, and whether it is still fresh at `now`. */
  check(nonce: string, now: number): NonceCheck {
    if (nonce.length !== NONCE_CHARS || !NONCE_RE.test(nonce)) return { status: 'invalid' };
    const bytes = Buffer.from(nonce, 'base64url');
    if (bytes.length !== NONCE_BYTES || bytes.toString('base64url') !== nonce) {
      return { status: 'invalid' };
    }
    const body = bytes.subarray(0, 8 + NONCE_RANDOM_BYTES);
    const tag = bytes.subarray(8 + NONCE_RANDOM_BYTES);
    let authentic = false;
    for (const key of this.#keys) {
      // Every key is tried, so the time taken does not say which one matched.
      if (timingSafeEqual(this.#tag(key, body), tag)) authentic = true;
    }
    if (!authentic) return { status: 'invalid' };
    const issuedAt = Number(body.readBigUInt64BE(0));
    if (issuedAt > now + this.maxFutureSkewMs) return { status: 'invalid' };
    const expiresAt = issuedAt + this.ttlMs;
    return { status: now < expiresAt ? 'valid' : 'expired', issuedAt, expiresAt };
  }

  #tag(key: Buffer, body: Buffer): Buffer {
    return createHmac('sha256', key)
      .update(DOMAIN)
      .update(this.#realm)
      .update('\0')
      .update(body)
      .digest()
      .subarray(0, TAG_BYTES);
  }

  toJSON(): { ttlMs: number; maxFutureSkewMs: number } {
    return { ttlMs: this.ttlMs, maxFutureSkewMs: this.maxFutureSkewMs };
  }
}
