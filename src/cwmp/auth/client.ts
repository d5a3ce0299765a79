/**
 * An HTTP authentication client for one peer and one set of credentials: the CPE simulator authenticating to the
 * ACS, or the ACS sending a Connection Request to a CPE. It answers 401 challenges and, afterwards, authorizes
 * later requests pre-emptively on the same nonce with an increasing nc (TR-069 §3.4.5: the CPE keeps sending
 * Authorization on later POSTs of the connection).
 *
 * Digest is preferred over Basic whatever the order of the challenges (Digest never shows the password); among
 * Digest challenges the server's order is kept (RFC 7616 §3.7). Basic is used only as `basic` allows.
 *
 * State is one challenge and its nc, per instance; no timers, no I/O. The password lives in a private field and
 * never appears in results, errors, `toJSON` or `util.inspect`.
 */
import { type BasicPolicy, formatBasicCredentials, isBasicAcceptable } from './basic.ts';
import {
  type DigestChallenge,
  type DigestFieldError,
  toDigestChallenge,
} from './digest-challenge.ts';
import { answerDigestChallenge, digestSupport, MAX_NONCE_COUNT } from './digest-client.ts';
import { AuthConfigError } from './errors.ts';
import { type AuthHeaderErrorCode, type HeaderInput, parseChallenges } from './header.ts';
import { type AuthHeaderLimits, DEFAULT_AUTH_HEADER_LIMITS } from './limits.ts';
import { cryptoRandom, type RandomSource } from './sources.ts';

export interface HttpAuthClientOptions {
  readonly username: string;
  readonly password: string;
  /** Source of cnonces; default node:crypto. */
  readonly random?: RandomSource;
  /** Default `'tls-only'`. */
  readonly basic?: BasicPolicy;
  /** cnonce size in bytes (written as hex); default 16. */
  readonly cnonceBytes?: number;
  readonly limits?: AuthHeaderLimits;
}

/** The request to authorize. */
export interface ClientRequest {
  readonly method: string;
  /** The request-target exactly as on the request line. */
  readonly uri: string;
  readonly tls: boolean;
}

export type ClientAuthFailureReason =
  /** No WWW-Authenticate on the 401. */
  | 'missing'
  /** The header, or every Digest challenge in it, is malformed. */
  | 'malformed'
  /** No Digest or Basic challenge. */
  | 'unsupported-scheme'
  | 'unsupported-algorithm'
  | 'unsupported-qop'
  /** Only Basic offered, and the connection is not TLS (policy `tls-only`) or Basic is off (`never`). */
  | 'basic-without-tls'
  /** The request carried our credentials and the server challenged again without `stale=true`. */
  | 'rejected'
  /** The username, URI or method cannot be written into a header (control characters, `:` for Basic). */
  | 'invalid-input';

export type ClientAuthResult =
  | { ok: true; authorization: string; scheme: 'digest' | 'basic' }
  | {
      ok: false;
      reason: ClientAuthFailureReason;
      /** For `malformed`: the header parse error or the Digest field at fault. */
      detail?: AuthHeaderErrorCode | DigestFieldError;
    };

type State =
  | { kind: 'digest'; challenge: DigestChallenge; nc: number; cnonce: string }
  | { kind: 'basic' };

export class HttpAuthClient {
  readonly username: string;
  readonly #password: string;
  readonly #random: RandomSource;
  readonly #basic: BasicPolicy;
  readonly #cnonceBytes: number;
  readonly #limits: AuthHeaderLimits;
  #state: State | undefined;

  constructor(options: HttpAuthClientOptions) {
    this.username = options.username;
    this.#password = options.password;
    this.#random = options.random ?? cryptoRandom;
    this.#basic = options.basic ?? 'tls-only';
    this.#cnonceBytes = options.cnonceBytes ?? 16;
    if (
      !Number.isSafeInteger(this.#cnonceBytes) ||
      this.#cnonceBytes < 4 ||
      this.#cnonceBytes > 64
    ) {
      throw new AuthConfigError('invalid-option', 'cnonceBytes must be an integer from 4 to 64');
    }
    this.#limits = options.limits ?? DEFAULT_AUTH_HEADER_LIMITS;
  }

  /**
   * Answers a 401. `hadCredentials`: the request that drew it carried an Authorization from this client — then a
   * challenge without `stale=true` means the credentials were refused, and the result is `rejected` rather than
   * another attempt with the same password.
   */
  respond(
    wwwAuthenticate: HeaderInput,
    request: ClientRequest & { readonly hadCredentials?: boolean },
  ): ClientAuthResult {
    const parsed = parseChallenges(wwwAuthenticate, this.#limits);
    if (!parsed.ok) {
      if (parsed.error.code === 'empty') return { ok: false, reason: 'missing' };
      return { ok: false, reason: 'malformed', detail: parsed.error.code };
    }
    let firstFailure: ClientAuthResult | undefined;
    let basicOffered = false;
    for (const element of parsed.value) {
      if (element.scheme === 'basic') basicOffered = true;
      if (element.scheme !== 'digest') continue;
      const digest = toDigestChallenge(element);
      if (!digest.ok) {
        firstFailure ??= { ok: false, reason: 'malformed', detail: digest.error };
        continue;
      }
      const support = digestSupport(digest.value);
      if (!support.ok) {
        firstFailure ??= { ok: false, reason: support.reason };
        continue;
      }
      if (request.hadCredentials === true && !digest.value.stale)
        return { ok: false, reason: 'rejected' };
      return this.#answerDigest(digest.value, request);
    }
    if (basicOffered) {
      if (!isBasicAcceptable(request.tls, this.#basic)) {
        return firstFailure ?? { ok: false, reason: 'basic-without-tls' };
      }
      if (request.hadCredentials === true) return { ok: false, reason: 'rejected' };
      this.#state = { kind: 'basic' };
      return this.#basicHeader();
    }
    return firstFailure ?? { ok: false, reason: 'unsupported-scheme' };
  }

  /**
   * The Authorization for a later request without waiting for a 401: Digest on the last nonce with the next nc,
   * or Basic if that was negotiated (and is acceptable on this connection). Undefined before any challenge, or
   * when the nonce's counts are used up — send without, and answer the 401.
   */
  authorize(request: ClientRequest): string | undefined {
    const state = this.#state;
    if (state === undefined) return undefined;
    if (state.kind === 'basic') {
      if (!isBasicAcceptable(request.tls, this.#basic)) return undefined;
      const r = this.#basicHeader();
      return r.ok ? r.authorization : undefined;
    }
    if (state.nc >= MAX_NONCE_COUNT) return undefined;
    const r = this.#answerDigest(state.challenge, request);
    return r.ok ? r.authorization : undefined;
  }

  /** Forgets the negotiated challenge (a new peer, or new credentials elsewhere). */
  reset(): void {
    this.#state = undefined;
  }

  #answerDigest(challenge: DigestChallenge, request: ClientRequest): ClientAuthResult {
    const previous = this.#state;
    const sameNonce =
      previous?.kind === 'digest' &&
      previous.challenge.nonce === challenge.nonce &&
      previous.challenge.realm === challenge.realm;
    const nc = sameNonce ? previous.nc + 1 : 1;
    const cnonce = sameNonce ? previous.cnonce : this.#cnonce();
    const r = answerDigestChallenge(challenge, {
      username: this.username,
      password: this.#password,
      method: request.method,
      uri: request.uri,
      nc,
      cnonce,
    });
    if (!r.ok) return { ok: false, reason: r.reason };
    this.#state = { kind: 'digest', challenge, nc, cnonce };
    return { ok: true, authorization: r.header, scheme: 'digest' };
  }

  #basicHeader(): ClientAuthResult {
    const header = formatBasicCredentials(this.username, this.#password);
    if (header === undefined) return { ok: false, reason: 'invalid-input' };
    return { ok: true, authorization: header, scheme: 'basic' };
  }

  #cnonce(): string {
    const bytes = this.#random(this.#cnonceBytes);
    if (bytes.byteLength !== this.#cnonceBytes) {
      throw new AuthConfigError(
        'invalid-option',
        'the random source returned the wrong number of bytes',
      );
    }
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  }

  toJSON(): { username: string; basic: BasicPolicy } {
    return { username: this.username, basic: this.#basic };
  }
}
