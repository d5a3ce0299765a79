/**
 * HTTP Basic (RFC 7617). TR-069 allows it only over TLS (§3.4.5): the password travels in clear otherwise. The
 * Connection Request is plain HTTP, so Basic there is refused unless a caller opts into `'always'` for a
 * Basic-only CPE (vendor quirk 18) — a deliberate, visible downgrade.
 */
import { formatAuthElement, isQuotable } from './format.ts';
import type { AuthCredentials } from './header.ts';

/** When Basic may be used: never, over TLS only (the TR-069 rule, the default), or always (legacy CPEs). */
export type BasicPolicy = 'never' | 'tls-only' | 'always';

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

export type BasicParseErrorCode =
  | 'not-basic'
  | 'missing-token68'
  | 'invalid-base64'
  | 'missing-colon';

export type BasicParseResult =
  | { ok: true; value: BasicCredentials }
  | { ok: false; error: { code: BasicParseErrorCode } };

/** Whether Basic is acceptable on this connection under `policy`. */
export function isBasicAcceptable(tls: boolean, policy: BasicPolicy = 'tls-only'): boolean {
  return policy === 'always' || (policy === 'tls-only' && tls);
}

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads Basic credentials. The user-pass is decoded as UTF-8 (RFC 7617 `charset="UTF-8"`), falling back to
 * ISO-8859-1 for the older clients that send that. Missing `=` padding is tolerated.
 */
export function parseBasicCredentials(c: AuthCredentials): BasicParseResult {
  if (c.scheme !== 'basic') return basicError('not-basic');
  const token = c.token68;
  if (token === undefined || token === '') return basicError('missing-token68');
  if (!BASE64_RE.test(token) || token.length % 4 === 1) return basicError('invalid-base64');
  const bytes = Buffer.from(token, 'base64');
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    text = bytes.toString('latin1');
  }
  const colon = text.indexOf(':');
  if (colon === -1) return basicError('missing-colon');
  return { ok: true, value: { username: text.slice(0, colon), password: text.slice(colon + 1) } };
}

/**
 * `Basic <base64(user:pass)>`; undefined when it cannot be written: a username containing `:` or a control
 * character (RFC 7617 §2).
 */
export function formatBasicCredentials(username: string, password: string): string | undefined {
  if (username.includes(':') || !isQuotable(username)) return undefined;
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** `Basic realm="…", charset="UTF-8"`; undefined when the realm cannot be written. */
export function formatBasicChallenge(realm: string): string | undefined {
  return formatAuthElement('Basic', [
    { name: 'realm', value: realm, quoted: true },
    { name: 'charset', value: 'UTF-8', quoted: true },
  ]);
}

function basicError(code: BasicParseErrorCode): {
  ok: false;
  error: { code: BasicParseErrorCode };
} {
  return { ok: false, error: { code } };
}
