/**
 * The server side of HTTP authentication: the ACS verifying CPEs (TR-069 §3.4.5) and the CPE simulator verifying
 * Connection Requests (§3.2.2). Issues Digest challenges with stateless expiring nonces, verifies Digest and Basic
 * credentials against a credential lookup, refuses replays through a nonce-count tracker.
 *
 * Checks, in order: header syntax → scheme → algorithm, qop → realm → nonce authenticity → opaque → uri → user →
 * response (constant time) → nonce freshness (`stale-nonce` only once the response proved right) → nc replay
 * (recorded only for a verified response, so a forger cannot burn a client's counts).
 */
import {
  type BasicPolicy,
  formatBasicChallenge,
  isBasicAcceptable,
  parseBasicCredentials,
} from './basic.ts';
import { formatDigestChallenge } from './digest-challenge.ts';
import { type DigestCredentials, toDigestCredentials } from './digest-credentials.ts';
import { AuthConfigError } from './errors.ts';
import { isQuotable } from './format.ts';
import {
  constantTimeEqual,
  type DigestAlgorithm,
  type DigestHash,
  digestHa1,
  digestResponse,
  h,
  hashOf,
  hexLength,
  parseDigestAlgorithm,
} from './hash.ts';
import { type HeaderInput, parseCredentials } from './header.ts';
import { type AuthHeaderLimits, DEFAULT_AUTH_HEADER_LIMITS } from './limits.ts';
import { NONCE_RANDOM_BYTES, StatelessNonces } from './nonce.ts';
import { MemoryNonceCountTracker, type NonceCountTracker } from './nonce-count.ts';
import { sameRequestTarget } from './request-target.ts';
import type { AuthFailureReason, AuthResult } from './result.ts';
import { type Clock, cryptoRandom, type RandomSource, systemClock } from './sources.ts';

/** What the credential store holds for a user: the password, or HA1 = H(username:realm:password). */
export type CredentialSecret =
  | { readonly password: string }
  | { readonly ha1: string /** Default MD5. */; readonly hash?: DigestHash };

/** Looks a user up in a realm; undefined when unknown. May be async (a database). */
export type CredentialLookup = (
  username: string,
  realm: string,
) => CredentialSecret | undefined | Promise<CredentialSecret | undefined>;

export interface HttpAuthServerOptions {
  readonly realm: string;
  /** HMAC key for nonces: at least 32 random bytes, kept out of logs and configuration dumps. */
  readonly secret: Uint8Array;
  /** Older secrets still accepted for nonces issued before a rotation. */
  readonly previousSecrets?: readonly Uint8Array[];
  /** Digest algorithms offered, in order of preference; default `['MD5']` (the TR-069 requirement). */
  readonly algorithms?: readonly DigestAlgorithm[];
  /** Nonce lifetime; default 5 minutes. */
  readonly nonceTtlMs?: number;
  readonly clock?: Clock;
  readonly random?: RandomSource;
  /** Default: an in-memory tracker with this server's clock. */
  readonly nonceCounts?: NonceCountTracker;
  /** Default `'tls-only'`. */
  readonly basic?: BasicPolicy;
  /** Accept the RFC 2069 form without qop (each nonce then usable once). Default false. */
  readonly allowLegacyNoQop?: boolean;
  /** Default: derived from the realm (opaque is not secret). */
  readonly opaque?: string;
  readonly limits?: AuthHeaderLimits;
}

/** The request whose Authorization header is verified. */
export interface AuthAttempt {
  readonly authorization: HeaderInput;
  readonly method: string;
  /** The request-target of the request line. */
  readonly uri: string;
  readonly tls: boolean;
}

const DUMMY_HA1 = '0'.repeat(64);

export class HttpAuthServer {
  readonly realm: string;
  readonly algorithms: readonly DigestAlgorithm[];
  readonly basic: BasicPolicy;
  readonly allowLegacyNoQop: boolean;
  readonly opaque: string;
  readonly #nonces: StatelessNonces;
  readonly #clock: Clock;
  readonly #random: RandomSource;
  readonly #counts: NonceCountTracker;
  readonly #limits: AuthHeaderLimits;

  constructor(options: HttpAuthServerOptions) {
    if (options.realm === '' || !isQuotable(options.realm)) {
      throw new AuthConfigError(
        'invalid-realm',
        'realm must be non-empty, without control characters',
      );
    }
    this.realm = options.realm;
    this.algorithms = Object.freeze([...(options.algorithms ?? ['MD5'])]);
    if (
      this.algorithms.length === 0 ||
      this.algorithms.some((a) => parseDigestAlgorithm(a) !== a)
    ) {
      throw new AuthConfigError(
        'invalid-option',
        'algorithms must name implemented Digest algorithms',
      );
    }
    this.basic = options.basic ?? 'tls-only';
    this.allowLegacyNoQop = options.allowLegacyNoQop ?? false;
    this.opaque =
      options.opaque ?? h('SHA-256', `corral/digest-opaque/v1:${options.realm}`).slice(0, 32);
    if (!isQuotable(this.opaque)) {
      throw new AuthConfigError('invalid-option', 'opaque must not contain control characters');
    }
    this.#nonces = new StatelessNonces({
      secret: options.secret,
      realm: options.realm,
      ...(options.previousSecrets === undefined
        ? {}
        : { previousSecrets: options.previousSecrets }),
      ...(options.nonceTtlMs === undefined ? {} : { ttlMs: options.nonceTtlMs }),
    });
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? cryptoRandom;
    this.#counts = options.nonceCounts ?? new MemoryNonceCountTracker({ clock: this.#clock });
    this.#limits = options.limits ?? DEFAULT_AUTH_HEADER_LIMITS;
  }

  /**
   * `WWW-Authenticate` values for a 401, one challenge per value (send each as its own header line): a Digest
   * challenge per offered algorithm on one fresh nonce, then Basic if acceptable on this connection.
   * `stale: true` after a `stale-nonce` failure.
   */
  challenges(options: { readonly tls?: boolean; readonly stale?: boolean } = {}): string[] {
    const nonce = this.#nonces.issue(this.#clock(), this.#random(NONCE_RANDOM_BYTES));
    const out: string[] = [];
    for (const algorithm of this.algorithms) {
      const c = formatDigestChallenge({
        realm: this.realm,
        nonce,
        algorithm,
        opaque: this.opaque,
        stale: options.stale === true,
      });
      if (c !== undefined) out.push(c);
    }
    if (isBasicAcceptable(options.tls === true, this.basic)) {
      const b = formatBasicChallenge(this.realm);
      if (b !== undefined) out.push(b);
    }
    return out;
  }

  /** Verifies the Authorization header of a request. Rejects only if `lookup` or the tracker throws. */
  async verify(attempt: AuthAttempt, lookup: CredentialLookup): Promise<AuthResult> {
    const parsed = parseCredentials(attempt.authorization, this.#limits);
    if (!parsed.ok) {
      if (parsed.error.code === 'empty') return { ok: false, reason: 'missing' };
      return { ok: false, reason: 'malformed', detail: parsed.error.code };
    }
    const creds = parsed.value;
    if (creds.scheme === 'basic' && this.basic !== 'never')
      return this.#verifyBasic(creds, attempt, lookup);
    if (creds.scheme !== 'digest') return { ok: false, reason: 'unsupported-scheme' };
    const digest = toDigestCredentials(creds);
    if (!digest.ok) {
      const e = digest.error;
      return {
        ok: false,
        reason: 'malformed',
        scheme: 'digest',
        detail: e.param ? `${e.code}:${e.param}` : e.code,
      };
    }
    return this.#verifyDigest(digest.value, attempt, lookup);
  }

  async #verifyDigest(
    c: DigestCredentials,
    attempt: AuthAttempt,
    lookup: CredentialLookup,
  ): Promise<AuthResult> {
    const fail = (reason: AuthFailureReason, detail?: string): AuthResult => ({
      ok: false,
      reason,
      scheme: 'digest',
      username: c.username,
      ...(detail === undefined ? {} : { detail }),
    });
    const algorithm = parseDigestAlgorithm(c.algorithm);
    if (algorithm === undefined || !this.algorithms.includes(algorithm))
      return fail('unsupported-algorithm');
    if (
      c.qop === undefined ? !this.allowLegacyNoQop || algorithm.endsWith('-sess') : c.qop !== 'auth'
    ) {
      return fail('unsupported-qop');
    }
    if (c.realm !== this.realm) return fail('realm-mismatch');
    const now = this.#clock();
    const nonce = this.#nonces.check(c.nonce, now);
    if (nonce.status === 'invalid') return fail('invalid-nonce');
    if (c.opaque !== undefined && c.opaque !== this.opaque) return fail('opaque-mismatch');
    if (!sameRequestTarget(c.uri, attempt.uri)) return fail('uri-mismatch');
    const hash = hashOf(algorithm);
    if (c.response.length !== hexLength(hash)) return fail('bad-response', 'response-length');

    const secret = await lookup(c.username, this.realm);
    let ha1: string;
    if (secret === undefined) ha1 = DUMMY_HA1.slice(0, hexLength(hash));
    else if ('password' in secret) ha1 = digestHa1(hash, c.username, this.realm, secret.password);
    else if ((secret.hash ?? 'MD5') !== hash)
      return fail('unsupported-algorithm', 'stored-ha1-hash');
    else ha1 = secret.ha1.toLowerCase();
    const expected = digestResponse({
      algorithm,
      ha1,
      nonce: c.nonce,
      method: attempt.method,
      uri: c.uri,
      ...(c.qop === undefined ? {} : { qop: 'auth' as const, nc: c.nc, cnonce: c.cnonce }),
    });
    // Compared even for an unknown user, so the time taken does not tell known users from unknown ones.
    const match = constantTimeEqual(expected, c.response);
    if (secret === undefined) return fail('unknown-user');
    if (!match) return fail('bad-response');
    if (nonce.status === 'expired') return fail('stale-nonce', 'expired');

    const verdict = await this.#counts.accept({
      nonce: c.nonce,
      nc: c.ncValue ?? 1,
      issuedAt: nonce.issuedAt,
      expiresAt: nonce.expiresAt,
    });
    if (verdict === 'replayed') return fail('replayed');
    if (verdict === 'forgotten') return fail('stale-nonce', 'forgotten');
    return { ok: true, scheme: 'digest', username: c.username };
  }

  async #verifyBasic(
    creds: Parameters<typeof parseBasicCredentials>[0],
    attempt: AuthAttempt,
    lookup: CredentialLookup,
  ): Promise<AuthResult> {
    if (!isBasicAcceptable(attempt.tls, this.basic)) {
      return { ok: false, reason: 'basic-without-tls', scheme: 'basic' };
    }
    const parsed = parseBasicCredentials(creds);
    if (!parsed.ok)
      return { ok: false, reason: 'malformed', scheme: 'basic', detail: parsed.error.code };
    const { username, password } = parsed.value;
    const fail = (reason: AuthFailureReason): AuthResult => ({
      ok: false,
      reason,
      scheme: 'basic',
      username,
    });
    const secret = await lookup(username, this.realm);
    let expected: string;
    let actual: string;
    if (secret === undefined || 'password' in secret) {
      // Both sides hashed first: equal lengths for the constant-time comparison.
      expected = h('SHA-256', secret?.password ?? '');
      actual = h('SHA-256', password);
    } else {
      const hash = secret.hash ?? 'MD5';
      expected = secret.ha1.toLowerCase();
      actual = digestHa1(hash, username, this.realm, password);
    }
    const match = constantTimeEqual(expected, actual);
    if (secret === undefined) return fail('unknown-user');
    if (!match) return fail('bad-password');
    return { ok: true, scheme: 'basic', username };
  }

  toJSON(): Record<string, unknown> {
    return {
      realm: this.realm,
      algorithms: this.algorithms,
      basic: this.basic,
      allowLegacyNoQop: this.allowLegacyNoQop,
      nonceTtlMs: this.#nonces.ttlMs,
    };
  }
}
