/**
 * Hard bounds for `WWW-Authenticate` / `Authorization` parsing. A header over a bound is refused before any work
 * proportional to its content is done, so hostile headers cost microseconds.
 */
export interface AuthHeaderLimits {
  /** Characters of the header value, or of all values joined with `", "` when a header is repeated. */
  readonly maxLength: number;
  /** Header lines (values) accepted for one header name. */
  readonly maxValues: number;
  /** Challenges in one `WWW-Authenticate` (all lines together). */
  readonly maxChallenges: number;
  /** auth-params in one challenge or one set of credentials. */
  readonly maxParams: number;
}

/**
 * Generous for any real device (a Digest challenge is ~250 characters, a Digest Authorization ~400), small enough
 * that a refusal is instant.
 */
export const DEFAULT_AUTH_HEADER_LIMITS: AuthHeaderLimits = Object.freeze({
  maxLength: 8192,
  maxValues: 16,
  maxChallenges: 16,
  maxParams: 32,
});
