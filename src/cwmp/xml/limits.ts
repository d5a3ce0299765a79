/**
 * Bounds on what one message may cost to decode (security.md item 7). Every limit is checked before the work it
 * guards, so a hostile body is refused in time and memory proportional to the limit, not to the body.
 */
export interface DecodeLimits {
  /** Largest message, in bytes (UTF-8) or characters for a string input. */
  maxBytes: number;
  /** Deepest element nesting. A CWMP message needs about 8 (Envelope/Body/ChangeDUState/Operations/...). */
  maxDepth: number;
  /** Most elements in one message: 20,000 GetParameterNames entries take 60,000. */
  maxElements: number;
  /** Most attributes (namespace declarations included) on one element. */
  maxAttributes: number;
}

export const DEFAULT_DECODE_LIMITS: Readonly<DecodeLimits> = Object.freeze({
  maxBytes: 32 * 1024 * 1024,
  maxDepth: 32,
  maxElements: 1_000_000,
  maxAttributes: 32,
});
