/**
 * HTTP authentication for CWMP: Digest (RFC 7616 / RFC 2617, MD5, MD5-sess, SHA-256, SHA-256-sess, qop=auth)
 * and Basic (RFC 7617), client and server side, header parsing and writing. Pure: node:crypto only, no I/O, no
 * timers, no global state; time and randomness are injected.
 */
export {
  type BasicCredentials,
  type BasicParseErrorCode,
  type BasicParseResult,
  type BasicPolicy,
  formatBasicChallenge,
  formatBasicCredentials,
  isBasicAcceptable,
  parseBasicCredentials,
} from './basic.ts';
export {
  type ClientAuthFailureReason,
  type ClientAuthResult,
  type ClientRequest,
  HttpAuthClient,
  type HttpAuthClientOptions,
} from './client.ts';
export {
  type DigestChallenge,
  type DigestChallengeToWrite,
  type DigestFieldError,
  type DigestFieldResult,
  formatDigestChallenge,
  toDigestChallenge,
} from './digest-challenge.ts';
export {
  answerDigestChallenge,
  type DigestAnswer,
  type DigestAnswerFailure,
  type DigestAnswerInput,
  digestSupport,
  MAX_NONCE_COUNT,
} from './digest-client.ts';
export {
  type DigestCredentials,
  formatDigestCredentials,
  toDigestCredentials,
} from './digest-credentials.ts';
export { AuthConfigError, type AuthConfigErrorCode } from './errors.ts';
export { formatAuthElement, isToken, type ParamToWrite, quoteString } from './format.ts';
export {
  constantTimeEqual,
  DIGEST_ALGORITHMS,
  type DigestAlgorithm,
  type DigestHash,
  type DigestResponseInput,
  digestHa1,
  digestResponse,
  parseDigestAlgorithm,
} from './hash.ts';
export {
  type AuthChallenge,
  type AuthCredentials,
  type AuthElement,
  type AuthHeaderError,
  type AuthHeaderErrorCode,
  type AuthHeaderResult,
  type HeaderInput,
  parseChallenges,
  parseCredentials,
} from './header.ts';
export { type AuthHeaderLimits, DEFAULT_AUTH_HEADER_LIMITS } from './limits.ts';
export {
  MIN_SECRET_BYTES,
  type NonceCheck,
  StatelessNonces,
  type StatelessNoncesOptions,
} from './nonce.ts';
export {
  MemoryNonceCountTracker,
  type MemoryNonceCountTrackerOptions,
  type NonceCountTracker,
  type NonceCountVerdict,
  type NonceUse,
} from './nonce-count.ts';
export { sameRequestTarget } from './request-target.ts';
export type { AuthFailureReason, AuthResult, AuthScheme } from './result.ts';
export {
  type AuthAttempt,
  type CredentialLookup,
  type CredentialSecret,
  HttpAuthServer,
  type HttpAuthServerOptions,
} from './server.ts';
export { type Clock, cryptoRandom, type RandomSource, systemClock } from './sources.ts';
