/**
 * `WWW-Authenticate` and `Authorization` header syntax (RFC 7235 §2.1, §4.1):
 *
 *     challenge   = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *     auth-param  = token BWS "=" BWS ( token / quoted-string )
 *
 * A single linear scan, no regular expressions over the input, hard bounds checked first. Tolerated device oddities:
 * - several challenges in one header and/or several header lines (joined with ", "; a line that starts with an
 *   auth-param continues the challenge of the line before, so a challenge split over several lines still parses);
 * - obs-fold (CRLF + SP/HTAB), inside or outside quoted strings (vendor quirk 18);
 * - case-insensitive scheme and parameter names (both are lower-cased in the result);
 * - whitespace around "=", empty list elements, a missing comma before the next auth-param;
 * - unquoted values that are not tokens (`uri=/acs`, `nonce=abc/de==`) and an unquoted `qop=auth,auth-int`.
 *
 * Errors carry a code and an offset only, never header text: an Authorization header holds credentials.
 */
import { type AuthHeaderLimits, DEFAULT_AUTH_HEADER_LIMITS } from './limits.ts';

/** One challenge or one set of credentials. */
export interface AuthElement {
  /** Lower-cased auth-scheme: `digest`, `basic`, … */
  readonly scheme: string;
  /** The token68 form (Basic credentials), when the scheme is followed by one instead of auth-params. */
  readonly token68?: string;
  /** auth-params by lower-cased name; values unquoted and unescaped. A Map, so no name can reach a prototype. */
  readonly params: ReadonlyMap<string, string>;
}

export type AuthChallenge = AuthElement;
export type AuthCredentials = AuthElement;

export type AuthHeaderErrorCode =
  | 'empty'
  | 'too-long'
  | 'too-many-values'
  | 'too-many-challenges'
  | 'too-many-params'
  | 'unterminated-quote'
  | 'control-character'
  | 'unexpected-character'
  | 'missing-scheme'
  | 'missing-value'
  | 'duplicate-param'
  | 'multiple-credentials';

/** Why a header could not be parsed; `offset` is a character offset in the (joined) header value. */
export interface AuthHeaderError {
  readonly code: AuthHeaderErrorCode;
  readonly offset: number;
}

export type AuthHeaderResult<T> = { ok: true; value: T } | { ok: false; error: AuthHeaderError };

/** A header as HTTP libraries hand it over: absent, one value, or one value per header line. */
export type HeaderInput = string | readonly string[] | undefined;

/** Parses every challenge of one or more `WWW-Authenticate` header values, in order. */
export function parseChallenges(
  header: HeaderInput,
  limits: AuthHeaderLimits = DEFAULT_AUTH_HEADER_LIMITS,
): AuthHeaderResult<AuthChallenge[]> {
  const joined = joinHeader(header, limits);
  if (!joined.ok) return joined;
  return new Scanner(joined.value, limits, false).run();
}

/** Parses an `Authorization` header: exactly one set of credentials. */
export function parseCredentials(
  header: HeaderInput,
  limits: AuthHeaderLimits = DEFAULT_AUTH_HEADER_LIMITS,
): AuthHeaderResult<AuthCredentials> {
  const joined = joinHeader(header, limits);
  if (!joined.ok) return joined;
  const r = new Scanner(joined.value, limits, true).run();
  if (!r.ok) return r;
  const first = r.value[0];
  if (first === undefined) return fail('empty', 0);
  return { ok: true, value: first };
}

function joinHeader(header: HeaderInput, limits: AuthHeaderLimits): AuthHeaderResult<string> {
  if (header === undefined) return fail('empty', 0);
  if (typeof header === 'string') {
    if (header.length > limits.maxLength) return fail('too-long', limits.maxLength);
    return { ok: true, value: header };
  }
  if (header.length > limits.maxValues) return fail('too-many-values', 0);
  let total = 0;
  for (const v of header) {
    total += v.length + 2;
    if (total - 2 > limits.maxLength) return fail('too-long', limits.maxLength);
  }
  return { ok: true, value: header.join(', ') };
}

function fail(code: AuthHeaderErrorCode, offset: number): { ok: false; error: AuthHeaderError } {
  return { ok: false, error: { code, offset } };
}

const TCHAR = charTable("!#$%&'*+-.^_`|~");
const TOKEN68 = charTable('-._~+/');

function charTable(extra: string): Uint8Array {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const ch = String.fromCharCode(c);
    if (/[A-Za-z0-9]/.test(ch) || extra.includes(ch)) t[c] = 1;
  }
  return t;
}

function isTchar(c: number): boolean {
  return c < 128 && TCHAR[c] === 1;
}

/** Whitespace between elements: SP, HTAB, and the CR/LF of a folded line. */
function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

function isCtl(c: number): boolean {
  return (c < 32 && c !== 9) || c === 127;
}

interface MutableElement {
  scheme: string;
  token68?: string;
  params: Map<string, string>;
}

class AuthHeaderFailure {
  constructor(readonly error: AuthHeaderError) {}
}

class Scanner {
  private i = 0;
  private readonly n: number;
  private current: MutableElement | undefined;
  /** The last auth-param of `current`, for the unquoted `qop=auth,auth-int` tolerance. */
  private last: { name: string; quoted: boolean } | undefined;
  private readonly out: MutableElement[] = [];

  constructor(
    private readonly s: string,
    private readonly limits: AuthHeaderLimits,
    private readonly single: boolean,
  ) {
    this.n = s.length;
  }

  run(): AuthHeaderResult<AuthElement[]> {
    try {
      this.list();
    } catch (e) {
      if (e instanceof AuthHeaderFailure) return { ok: false, error: e.error };
      throw e;
    }
    if (this.out.length === 0) return fail('empty', 0);
    return { ok: true, value: this.out };
  }

  private fail(code: AuthHeaderErrorCode, offset = this.i): never {
    throw new AuthHeaderFailure({ code, offset });
  }

  private code(at = this.i): number {
    return this.s.charCodeAt(at);
  }

  private skipWs(): void {
    while (this.i < this.n && isWs(this.code())) this.i++;
  }

  private readToken(): string {
    const start = this.i;
    while (this.i < this.n && isTchar(this.code())) this.i++;
    return this.s.slice(start, this.i);
  }

  private list(): void {
    const { s, n } = this;
    for (;;) {
      while (this.i < n && (isWs(this.code()) || this.code() === 44)) this.i++;
      if (this.i >= n) return;
      const start = this.i;
      const name = this.readToken();
      if (name === '') this.fail(isCtl(this.code()) ? 'control-character' : 'unexpected-character');
      const afterName = this.i;
      this.skipWs();
      if (this.i < n && this.code() === 61 /* = */) {
        if (this.current === undefined || this.current.token68 !== undefined) {
          this.fail('missing-scheme', start);
        }
        this.param(this.current, name.toLowerCase(), start);
        continue;
      }
      if (this.mergeQop(name)) continue;
      this.i = afterName;
      if (this.i < n && !isWs(this.code()) && this.code() !== 44) this.fail('unexpected-character');
      if (this.single && this.out.length > 0) this.fail('multiple-credentials', start);
      if (this.out.length >= this.limits.maxChallenges) this.fail('too-many-challenges', start);
      const element: MutableElement = { scheme: name.toLowerCase(), params: new Map() };
      this.out.push(element);
      this.current = element;
      this.last = undefined;
      this.skipWs();
      const token68 = this.token68();
      if (token68 !== undefined) element.token68 = token68;
      else if (this.i < n && s.charCodeAt(this.i) !== 44 && !isTchar(this.code())) {
        this.fail(isCtl(this.code()) ? 'control-character' : 'unexpected-character');
      }
    }
  }

  /**
   * A token68 right after the scheme: `1*( ALPHA / DIGIT / "-._~+/" ) *"="`, then the end of the element (the end
   * of the header, or a comma not followed by an auth-param).
   */
  private token68(): string | undefined {
    const start = this.i;
    let j = start;
    while (j < this.n && this.code(j) < 128 && TOKEN68[this.code(j)] === 1) j++;
    if (j === start) return undefined;
    while (j < this.n && this.code(j) === 61) j++;
    const end = j;
    while (j < this.n && isWs(this.code(j))) j++;
    if (j < this.n && this.code(j) !== 44) return undefined;
    // `Digest realm=, nonce="n"` is an auth-param with no value, not the token68 "realm=".
    let k = j;
    while (k < this.n && (isWs(this.code(k)) || this.code(k) === 44)) k++;
    if (this.paramFollows(k)) return undefined;
    this.i = j;
    return this.s.slice(start, end);
  }

  private param(element: MutableElement, name: string, start: number): void {
    this.i++; // '='
    this.skipWs();
    if (this.i >= this.n || this.code() === 44) this.fail('missing-value');
    const quoted = this.code() === 34;
    const value = quoted ? this.quoted() : this.unquoted();
    if (element.params.has(name)) this.fail('duplicate-param', start);
    if (element.params.size >= this.limits.maxParams) this.fail('too-many-params', start);
    element.params.set(name, value);
    this.last = { name, quoted };
    // Next: a comma, the end, or (a missing comma) another auth-param.
    this.skipWs();
    if (this.i >= this.n || this.code() === 44) return;
    if (!this.paramFollows()) {
      this.fail(isCtl(this.code()) ? 'control-character' : 'unexpected-character');
    }
  }

  /** Whether `token BWS "="` starts at `from` (lookahead only). */
  private paramFollows(from = this.i): boolean {
    let j = from;
    while (j < this.n && isTchar(this.code(j))) j++;
    if (j === from) return false;
    while (j < this.n && isWs(this.code(j))) j++;
    return j < this.n && this.code(j) === 61;
  }

  /** `qop=auth,auth-int` sent unquoted: the bare `auth-int` belongs to qop, not a new scheme. */
  private mergeQop(name: string): boolean {
    const last = this.last;
    if (last === undefined || last.name !== 'qop' || last.quoted || this.current === undefined) {
      return false;
    }
    const lower = name.toLowerCase();
    if (lower !== 'auth' && lower !== 'auth-int') return false;
    if (this.i < this.n && this.code() !== 44) return false;
    const params = this.current.params;
    params.set('qop', `${params.get('qop')},${name}`);
    return true;
  }

  private unquoted(): string {
    const start = this.i;
    while (this.i < this.n) {
      const c = this.code();
      if (isWs(c) || c === 44 || c === 34) break;
      if (isCtl(c)) this.fail('control-character');
      this.i++;
    }
    return this.s.slice(start, this.i);
  }

  /** quoted-string with quoted-pair; an obs-fold inside becomes one SP. */
  private quoted(): string {
    const { s, n } = this;
    const open = this.i;
    let i = open + 1;
    let out = '';
    let seg = i;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        this.i = i + 1;
        return out + s.slice(seg, i);
      }
      if (c === 92) {
        if (i + 1 >= n) break;
        const next = s.charCodeAt(i + 1);
        if (isCtl(next)) this.fail('control-character', i + 1);
        out += s.slice(seg, i) + s[i + 1];
        i += 2;
        seg = i;
        continue;
      }
      if (c === 13 || c === 10) {
        let j = c === 13 && s.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
        const folded = j < n && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9);
        if (!folded) this.fail('control-character', i);
        while (j < n && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j++;
        out += `${s.slice(seg, i)} `;
        i = j;
        seg = i;
        continue;
      }
      if (isCtl(c)) this.fail('control-character', i);
      i++;
    }
    this.fail('unterminated-quote', open);
  }
}
