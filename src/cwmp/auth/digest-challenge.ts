/** A Digest challenge (`WWW-Authenticate: Digest …`, RFC 7616 §3.3): reading one and writing one. */
import { formatAuthElement, type ParamToWrite } from './format.ts';
import type { DigestAlgorithm } from './hash.ts';
import type { AuthChallenge, AuthElement } from './header.ts';

export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque?: string;
  /** `stale=true`: the previous nonce expired but the credentials were right; retry with this one. */
  readonly stale: boolean;
  /** As named in the header (`MD5` when absent); possibly one this module does not implement. */
  readonly algorithm: string;
  /** Whether the header named an algorithm (a client echoes `algorithm` only then). */
  readonly algorithmGiven: boolean;
  /** qop options, lower-cased; undefined when the challenge has no qop (the RFC 2069 form). */
  readonly qop?: readonly string[];
  readonly domain?: string;
  readonly charset?: string;
  /** RFC 7616 userhash=true (not implemented by the client). */
  readonly userhash: boolean;
}

/** Why an element is not a usable Digest challenge or Digest credentials. */
export interface DigestFieldError {
  readonly code: 'not-digest' | 'token68' | 'missing-param' | 'invalid-param';
  /** The parameter concerned, for `missing-param` / `invalid-param`. */
  readonly param?: string;
}

export type DigestFieldResult<T> = { ok: true; value: T } | { ok: false; error: DigestFieldError };

/** Interprets a parsed challenge as Digest. */
export function toDigestChallenge(c: AuthChallenge): DigestFieldResult<DigestChallenge> {
  const shape = checkDigestShape(c);
  if (shape !== undefined) return { ok: false, error: shape };
  const p = c.params;
  const realm = p.get('realm');
  if (realm === undefined) return fieldError('missing-param', 'realm');
  const nonce = p.get('nonce');
  if (nonce === undefined) return fieldError('missing-param', 'nonce');
  if (nonce === '') return fieldError('invalid-param', 'nonce');
  const qopRaw = p.get('qop');
  const qop =
    qopRaw === undefined
      ? undefined
      : qopRaw
          .split(',')
          .map((q) => q.trim().toLowerCase())
          .filter((q) => q !== '');
  const algorithm = p.get('algorithm');
  const value: DigestChallenge = {
    realm,
    nonce,
    stale: (p.get('stale') ?? '').toLowerCase() === 'true',
    algorithm: algorithm ?? 'MD5',
    algorithmGiven: algorithm !== undefined,
    userhash: (p.get('userhash') ?? '').toLowerCase() === 'true',
    ...optional('opaque', p.get('opaque')),
    ...optional('domain', p.get('domain')),
    ...optional('charset', p.get('charset')),
    ...(qop === undefined ? {} : { qop }),
  };
  return { ok: true, value };
}

export interface DigestChallengeToWrite {
  readonly realm: string;
  readonly nonce: string;
  readonly algorithm: DigestAlgorithm;
  /** Default `['auth']`; an empty list writes no qop (the RFC 2069 form). */
  readonly qop?: readonly 'auth'[];
  readonly opaque?: string;
  readonly stale?: boolean;
}

/** `Digest realm="…", qop="auth", algorithm=MD5, nonce="…", opaque="…"[, stale=true]`; undefined if unwritable. */
export function formatDigestChallenge(c: DigestChallengeToWrite): string | undefined {
  const params: ParamToWrite[] = [{ name: 'realm', value: c.realm, quoted: true }];
  const qop = c.qop ?? ['auth'];
  if (qop.length > 0) params.push({ name: 'qop', value: qop.join(','), quoted: true });
  params.push({ name: 'algorithm', value: c.algorithm, quoted: false });
  params.push({ name: 'nonce', value: c.nonce, quoted: true });
  if (c.opaque !== undefined) params.push({ name: 'opaque', value: c.opaque, quoted: true });
  if (c.stale === true) params.push({ name: 'stale', value: 'true', quoted: false });
  return formatAuthElement('Digest', params);
}

export function checkDigestShape(e: AuthElement): DigestFieldError | undefined {
  if (e.scheme !== 'digest') return { code: 'not-digest' };
  if (e.token68 !== undefined) return { code: 'token68' };
  return undefined;
}

export function fieldError(
  code: DigestFieldError['code'],
  param: string,
): { ok: false; error: DigestFieldError } {
  return { ok: false, error: { code, param } };
}

export function optional<K extends string>(
  key: K,
  value: string | undefined,
): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
