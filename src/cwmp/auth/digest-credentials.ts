/** Digest credentials (`Authorization: Digest …`, RFC 7616 §3.4): reading them and writing them. */
import {
  checkDigestShape,
  type DigestFieldResult,
  fieldError,
  optional,
} from './digest-challenge.ts';
import { formatAuthElement, type ParamToWrite } from './format.ts';
import type { AuthCredentials } from './header.ts';

export interface DigestCredentials {
  readonly username: string;
  readonly realm: string;
  readonly nonce: string;
  /** The digest-uri as sent; it enters the hash verbatim. */
  readonly uri: string;
  /** Lower-case hex. */
  readonly response: string;
  /** As named (undefined when absent, which means MD5). */
  readonly algorithm?: string;
  /** Lower-cased; undefined for the RFC 2069 form. */
  readonly qop?: string;
  /** nc exactly as sent (it enters the hash verbatim) … */
  readonly nc?: string;
  /** … and its value. */
  readonly ncValue?: number;
  readonly cnonce?: string;
  readonly opaque?: string;
}

const HEX_RE = /^[0-9a-fA-F]+$/;
const NC_RE = /^[0-9a-fA-F]{1,8}$/;

/**
 * Interprets parsed credentials as Digest. RFC 7616 `username*` and `userhash=true` are not implemented and
 * are reported as `invalid-param`.
 */
export function toDigestCredentials(c: AuthCredentials): DigestFieldResult<DigestCredentials> {
  const shape = checkDigestShape(c);
  if (shape !== undefined) return { ok: false, error: shape };
  const p = c.params;
  if (p.has('username*')) return fieldError('invalid-param', 'username*');
  if ((p.get('userhash') ?? 'false').toLowerCase() !== 'false') {
    return fieldError('invalid-param', 'userhash');
  }
  const username = p.get('username');
  const realm = p.get('realm');
  const nonce = p.get('nonce');
  const uri = p.get('uri');
  const response = p.get('response');
  if (username === undefined) return fieldError('missing-param', 'username');
  if (realm === undefined) return fieldError('missing-param', 'realm');
  if (nonce === undefined) return fieldError('missing-param', 'nonce');
  if (uri === undefined) return fieldError('missing-param', 'uri');
  if (response === undefined) return fieldError('missing-param', 'response');
  if (nonce === '') return fieldError('invalid-param', 'nonce');
  if (uri === '') return fieldError('invalid-param', 'uri');
  if (!HEX_RE.test(response) || (response.length !== 32 && response.length !== 64)) {
    return fieldError('invalid-param', 'response');
  }
  const qop = p.get('qop')?.toLowerCase();
  let nc: string | undefined;
  let ncValue: number | undefined;
  let cnonce: string | undefined;
  if (qop !== undefined) {
    nc = p.get('nc');
    if (nc === undefined) return fieldError('missing-param', 'nc');
    if (!NC_RE.test(nc)) return fieldError('invalid-param', 'nc');
    ncValue = Number.parseInt(nc, 16);
    if (ncValue === 0) return fieldError('invalid-param', 'nc');
    cnonce = p.get('cnonce');
    if (cnonce === undefined) return fieldError('missing-param', 'cnonce');
    if (cnonce === '') return fieldError('invalid-param', 'cnonce');
  }
  const value: DigestCredentials = {
    username,
    realm,
    nonce,
    uri,
    response: response.toLowerCase(),
    ...optional('algorithm', p.get('algorithm')),
    ...optional('qop', qop),
    ...optional('nc', nc),
    ...(ncValue === undefined ? {} : { ncValue }),
    ...optional('cnonce', cnonce),
    ...optional('opaque', p.get('opaque')),
  };
  return { ok: true, value };
}

/** `Digest username="…", realm="…", nonce="…", uri="…", …`; undefined when a value cannot be written. */
export function formatDigestCredentials(c: Omit<DigestCredentials, 'ncValue'>): string | undefined {
  const params: ParamToWrite[] = [
    { name: 'username', value: c.username, quoted: true },
    { name: 'realm', value: c.realm, quoted: true },
    { name: 'nonce', value: c.nonce, quoted: true },
    { name: 'uri', value: c.uri, quoted: true },
  ];
  if (c.algorithm !== undefined)
    params.push({ name: 'algorithm', value: c.algorithm, quoted: false });
  params.push({ name: 'response', value: c.response, quoted: true });
  if (c.qop !== undefined) {
    params.push({ name: 'qop', value: c.qop, quoted: false });
    params.push({ name: 'nc', value: c.nc ?? '', quoted: false });
    params.push({ name: 'cnonce', value: c.cnonce ?? '', quoted: true });
  }
  if (c.opaque !== undefined) params.push({ name: 'opaque', value: c.opaque, quoted: true });
  return formatAuthElement('Digest', params);
}
