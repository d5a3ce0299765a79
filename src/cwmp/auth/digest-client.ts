/**
 * The client side of Digest as one pure function: a challenge and the request in, the `Authorization` value out.
 * Implements qop=auth and the legacy form without qop, with MD5, MD5-sess, SHA-256 and SHA-256-sess. Refuses:
 * - a challenge whose qop list lacks `auth` (e.g. `auth-int` only) — `unsupported-qop`;
 * - a `-sess` algorithm without qop (its A1 needs a cnonce, which the no-qop form forbids) — `unsupported-qop`;
 * - any other algorithm (SHA-512-256, …) — `unsupported-algorithm`.
 * `userhash=true` in a challenge is allowed to be ignored by a client (RFC 7616 §3.4.4): the username is sent
 * in clear, as every TR-069 device expects.
 */
import type { DigestChallenge } from './digest-challenge.ts';
import { type DigestCredentials, formatDigestCredentials } from './digest-credentials.ts';
import {
  type DigestAlgorithm,
  digestHa1,
  digestResponse,
  formatNonceCount,
  hashOf,
  isSessionAlgorithm,
  parseDigestAlgorithm,
} from './hash.ts';

export const MAX_NONCE_COUNT = 0xffffffff;

export interface DigestAnswerInput {
  readonly username: string;
  readonly password: string;
  readonly method: string;
  /** The request-target as it will appear on the request line (e.g. `/acs` or `/cr/abc?x=1`). */
  readonly uri: string;
  /** 1 for the first use of this nonce, then 2, 3, … */
  readonly nc: number;
  /** Client nonce: unguessable, fresh per nonce. Ignored in the no-qop form. */
  readonly cnonce: string;
}

export type DigestAnswerFailure = 'unsupported-algorithm' | 'unsupported-qop' | 'invalid-input';

export type DigestAnswer =
  | {
      ok: true;
      /** The `Authorization` header value. */
      header: string;
      credentials: DigestCredentials;
      algorithm: DigestAlgorithm;
    }
  | { ok: false; reason: DigestAnswerFailure };

/** Whether this client can answer the challenge, and with which algorithm and qop. */
export function digestSupport(
  challenge: DigestChallenge,
):
  | { ok: true; algorithm: DigestAlgorithm; qop: 'auth' | undefined }
  | { ok: false; reason: 'unsupported-algorithm' | 'unsupported-qop' } {
  const algorithm = parseDigestAlgorithm(challenge.algorithm);
  if (algorithm === undefined) return { ok: false, reason: 'unsupported-algorithm' };
  if (challenge.qop === undefined) {
    if (isSessionAlgorithm(algorithm)) return { ok: false, reason: 'unsupported-qop' };
    return { ok: true, algorithm, qop: undefined };
  }
  if (!challenge.qop.includes('auth')) return { ok: false, reason: 'unsupported-qop' };
  return { ok: true, algorithm, qop: 'auth' };
}

/** Computes the `Authorization` value answering `challenge`. */
export function answerDigestChallenge(
  challenge: DigestChallenge,
  input: DigestAnswerInput,
): DigestAnswer {
  const support = digestSupport(challenge);
  if (!support.ok) return support;
  const { algorithm, qop } = support;
  if (!Number.isSafeInteger(input.nc) || input.nc < 1 || input.nc > MAX_NONCE_COUNT) {
    return { ok: false, reason: 'invalid-input' };
  }
  if (qop !== undefined && input.cnonce === '') return { ok: false, reason: 'invalid-input' };
  const nc = qop === undefined ? undefined : formatNonceCount(input.nc);
  const cnonce = qop === undefined ? undefined : input.cnonce;
  const response = digestResponse({
    algorithm,
    ha1: digestHa1(hashOf(algorithm), input.username, challenge.realm, input.password),
    nonce: challenge.nonce,
    method: input.method,
    uri: input.uri,
    ...(qop === undefined ? {} : { qop, nc, cnonce }),
  });
  const credentials: DigestCredentials = {
    username: input.username,
    realm: challenge.realm,
    nonce: challenge.nonce,
    uri: input.uri,
    response,
    ...(challenge.algorithmGiven ? { algorithm: challenge.algorithm } : {}),
    ...(qop === undefined
      ? {}
      : { qop, nc: nc as string, ncValue: input.nc, cnonce: cnonce as string }),
    ...(challenge.opaque === undefined ? {} : { opaque: challenge.opaque }),
  };
  const header = formatDigestCredentials(credentials);
  if (header === undefined || !isMethod(input.method))
    return { ok: false, reason: 'invalid-input' };
  return { ok: true, header, credentials, algorithm };
}

const METHOD_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function isMethod(method: string): boolean {
  return METHOD_RE.test(method);
}
