/**
 * The outcome of verifying an `Authorization` header. Every failure is answered with 401 and fresh challenges
 * (with `stale=true` for `stale-nonce`); the reason is for logs and metrics. Nothing here is secret: no password,
 * HA1 or response value, only the username the client claimed.
 */
export type AuthFailureReason =
  /** No Authorization header. */
  | 'missing'
  /** Unparseable header, or Digest/Basic credentials with a missing or invalid field. */
  | 'malformed'
  /** A scheme other than Digest, or Basic when the policy is `never`. */
  | 'unsupported-scheme'
  /** A Digest algorithm this server does not offer (or cannot check with the stored HA1). */
  | 'unsupported-algorithm'
  /** qop other than `auth`, or the no-qop form when it is not allowed. */
  | 'unsupported-qop'
  | 'realm-mismatch'
  /** A nonce this server did not issue (forged, garbled, other realm or secret). */
  | 'invalid-nonce'
  | 'opaque-mismatch'
  /** The Digest `uri` is not the request-target of the request. */
  | 'uri-mismatch'
  | 'unknown-user'
  /** Digest response wrong: wrong password (or a tampered field). */
  | 'bad-response'
  /** Basic password wrong. */
  | 'bad-password'
  /** Right credentials on an expired nonce (or one the replay tracker had to forget): answer `stale=true`. */
  | 'stale-nonce'
  /** A (nonce, nc) already used. */
  | 'replayed'
  /** Basic on a connection that is not TLS. */
  | 'basic-without-tls';

export type AuthScheme = 'digest' | 'basic';

export type AuthResult =
  | { readonly ok: true; readonly scheme: AuthScheme; readonly username: string }
  | {
      readonly ok: false;
      readonly reason: AuthFailureReason;
      readonly scheme?: AuthScheme;
      /** The username claimed, once the credentials were readable. Untrusted text: escape it when logging. */
      readonly username?: string;
      /** A stable code for the log, e.g. `unterminated-quote`, `missing-param:nonce`. Never header content. */
      readonly detail?: string;
    };
