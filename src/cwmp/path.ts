/**
 * Parameter paths (TR-069 §A.3.2.1, cwmp-spec.md §7.1).
 *
 *   Device.DeviceInfo.SoftwareVersion        a parameter
 *   Device.WiFi.SSID.                        a partial path (an object): ends with '.'
 *   Device.IP.Interface.2.                   instance 2 of a multi-instance object
 *   Device.IP.Interface.*.Enable             instance wildcard (InstanceWildcardsSupported)
 *   Device.IP.Interface.[cpe-wan].Enable     alias-based addressing (CWMP 1.4)
 *   ''                                       the whole tree (GetParameterNames with an empty path)
 *
 * parsePath validates strictly (for names an ACS or a user typed). The string helpers below it do not
 * validate: they take any text, never throw, and work directly on strings because they run once per
 * parameter of an Inform or a GetParameterValuesResponse. They split on '.' outside brackets, so an
 * alias holding a '.' is still one segment.
 */

export type Segment =
  | { kind: 'name'; name: string }
  | { kind: 'instance'; instance: number }
  | { kind: 'wildcard' }
  | { kind: 'alias'; alias: string };

export interface Path {
  segments: readonly Segment[];
  /** Ends with '.': names an object (or, with no segments, the root), not a parameter. */
  partial: boolean;
}

export interface PathError {
  text: string;
  reason: string;
  /** 0-based offset of the offending character. */
  position: number;
}

export type PathResult = { ok: true; value: Path } | { ok: false; error: PathError };

/** The cwmp XSD limits parameter names to string(256). */
export const MAX_PATH_LENGTH = 256;
/** TR-106 Alias: string(64), not empty, starting with a letter. */
export const MAX_ALIAS_LENGTH = 64;
const MAX_INSTANCE = 0xffff_ffff;

const WILDCARD: Segment = Object.freeze({ kind: 'wildcard' });

const isDigit = (c: number) => c >= 48 && c <= 57;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
// Object and parameter names: letters, digits, '_' and '-' (vendor prefixes like X_EXAMPLE-COM_).
const isNameChar = (c: number) => isLetter(c) || isDigit(c) || c === 95 || c === 45;

/** Parses and validates a path; errors say what is wrong and where. */
export function parsePath(text: string): PathResult {
  const fail = (reason: string, position: number): PathResult => ({
    ok: false,
    error: { text, reason, position },
  });
  if (text === '') return { ok: true, value: { segments: [], partial: true } };
  if (text.length > MAX_PATH_LENGTH) {
    return fail(`longer than ${MAX_PATH_LENGTH} characters`, MAX_PATH_LENGTH);
  }
  const segments: Segment[] = [];
  const len = text.length;
  let i = 0;
  for (;;) {
    const start = i;
    const c = text.charCodeAt(i);
    const afterName = segments.length > 0 && segments[segments.length - 1]!.kind === 'name';
    if (c === 46 /* . */) {
      return fail(i === 0 ? 'path starts with "."' : 'empty segment ("..")', i);
    }
    if (c === 91 /* [ */ || c === 42 /* * */ || isDigit(c)) {
      if (!afterName) {
        return fail(
          i === 0 ? 'path must start with an object name' : 'an instance must follow a table name',
          i,
        );
      }
    }
    if (c === 91) {
      const close = text.indexOf(']', i + 1);
      if (close === -1) return fail("unbalanced '[': no closing ']'", i);
      const nested = text.indexOf('[', i + 1);
      if (nested !== -1 && nested < close) return fail("'[' inside an alias", nested);
      const alias = text.slice(i + 1, close);
      if (alias === '') return fail('empty alias', i);
      if (alias.length > MAX_ALIAS_LENGTH) {
        return fail(`alias longer than ${MAX_ALIAS_LENGTH} characters`, i + 1);
      }
      if (!/^\p{L}/u.test(alias)) return fail('alias must start with a letter', i + 1);
      const control = /[\u0000-\u001f\u007f]/.exec(alias);
      if (control !== null) return fail('control character in alias', i + 1 + control.index);
      segments.push({ kind: 'alias', alias });
      i = close + 1;
    } else if (c === 42) {
      segments.push(WILDCARD);
      i++;
    } else if (isDigit(c)) {
      while (i < len && isDigit(text.charCodeAt(i))) i++;
      if (i < len && isNameChar(text.charCodeAt(i))) {
        return fail('a name must start with a letter or "_"', start);
      }
      const digits = text.slice(start, i);
      if (digits === '0') return fail('instance number 0 (instances start at 1)', start);
      if (c === 48) return fail('instance number with a leading zero', start);
      const instance = Number(digits);
      if (instance > MAX_INSTANCE) return fail('instance number above 4294967295', start);
      segments.push({ kind: 'instance', instance });
    } else if (isLetter(c) || c === 95 /* _ */) {
      while (i < len && isNameChar(text.charCodeAt(i))) i++;
      segments.push({ kind: 'name', name: text.slice(start, i) });
    } else {
      return fail(`invalid character ${JSON.stringify(text[i])}`, i);
    }

    if (i === len) {
      if (segments[segments.length - 1]!.kind !== 'name') {
        return fail('an instance path must end with "."', len);
      }
      return { ok: true, value: { segments, partial: false } };
    }
    const next = text.charCodeAt(i);
    if (next !== 46) {
      if (next === 93 /* ] */) return fail("unbalanced ']'", i);
      return fail(`invalid character ${JSON.stringify(text[i])}`, i);
    }
    i++;
    if (i === len) return { ok: true, value: { segments, partial: true } };
  }
}

function formatSegment(s: Segment): string {
  switch (s.kind) {
    case 'name':
      return s.name;
    case 'instance':
      return String(s.instance);
    case 'wildcard':
      return '*';
    case 'alias':
      return `[${s.alias}]`;
  }
}

/** The text of a parsed path; `formatPath(parsePath(t).value) === t` for every valid t. */
export function formatPath(path: Path): string {
  const body = path.segments.map(formatSegment).join('.');
  return path.partial && body !== '' ? `${body}.` : body;
}

// Segment texts without the trailing '.'; '.' inside [...] does not split.
function segmentsOf(text: string): string[] {
  const body = text.endsWith('.') ? text.slice(0, -1) : text;
  if (body === '') return [];
  if (!body.includes('[')) return body.split('.');
  const out: string[] = [];
  let start = 0;
  let inAlias = false;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 91) inAlias = true;
    else if (c === 93) inAlias = false;
    else if (c === 46 && !inAlias) {
      out.push(body.slice(start, i));
      start = i + 1;
    }
  }
  out.push(body.slice(start));
  return out;
}

// Start of the last segment of text[0, end), skipping a trailing [alias] as a whole.
function lastSegmentStart(text: string, end: number): number {
  let from = end - 1;
  if (text.charCodeAt(from) === 93) {
    const open = text.lastIndexOf('[', from);
    if (open !== -1) from = open;
  }
  return from <= 0 ? 0 : text.lastIndexOf('.', from - 1) + 1;
}

export function isPartialPath(text: string): boolean {
  return text === '' || text.endsWith('.');
}

/**
 * The partial path of the enclosing object: `Device.DeviceInfo.SoftwareVersion` →
 * `Device.DeviceInfo.`, `Device.IP.Interface.2.` → `Device.IP.Interface.`, `Device.` → `''`
 * (the root); undefined for the root itself.
 */
export function parentPath(text: string): string | undefined {
  if (text === '') return undefined;
  const end = text.endsWith('.') ? text.length - 1 : text.length;
  return text.slice(0, lastSegmentStart(text, end));
}

/** The last segment's text: `SoftwareVersion`, `2`, `*`, `[cpe-wan]`; '' for the root. */
export function lastSegment(text: string): string {
  const end = text.endsWith('.') ? text.length - 1 : text.length;
  if (end <= 0) return '';
  return text.slice(lastSegmentStart(text, end), end);
}

/**
 * Joins path pieces with exactly one '.' between them; numbers are instance numbers and empty pieces
 * are skipped. The result is partial only if the last piece ends with '.'.
 * `joinPath('Device.IP.', 'Interface', 2, 'Enable')` → `Device.IP.Interface.2.Enable`.
 */
export function joinPath(...parts: (string | number)[]): string {
  let out = '';
  for (const part of parts) {
    const s = typeof part === 'number' ? String(part) : part;
    if (s === '') continue;
    out = out === '' || out.endsWith('.') ? out + s : `${out}.${s}`;
  }
  return out;
}

/** The numeric instance segments, in order (aliases and wildcards are not numbers and are skipped). */
export function instanceNumbers(text: string): number[] {
  const out: number[] = [];
  for (const s of segmentsOf(text)) {
    if (s !== '' && isAllDigits(s)) out.push(Number(s));
  }
  return out;
}

function isAllDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

// What can stand where an instance goes: a number, an [alias], or a literal '*'.
function isInstanceLike(s: string): boolean {
  const c = s.charCodeAt(0);
  return c === 91 || s === '*' || (isDigit(c) && isAllDigits(s));
}

function segmentMatches(pattern: string, actual: string): boolean {
  return pattern === actual || (pattern === '*' && isInstanceLike(actual));
}

function segmentsMatch(pattern: readonly string[], actual: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (!segmentMatches(pattern[i]!, actual[i]!)) return false;
  }
  return true;
}

/**
 * A matcher for one pattern, for matching many paths. `*` matches any instance (a number or an
 * [alias]); an [alias] matches only the same alias; a partial pattern matches only the object itself
 * (use isUnder for "the object and everything below").
 */
export function patternMatcher(pattern: string): (path: string) => boolean {
  const segments = segmentsOf(pattern);
  if (!segments.includes('*')) return (path) => path === pattern;
  const partial = isPartialPath(pattern);
  return (path) => {
    if (isPartialPath(path) !== partial) return false;
    const actual = segmentsOf(path);
    return actual.length === segments.length && segmentsMatch(segments, actual);
  };
}

export function matchesPattern(pattern: string, path: string): boolean {
  if (!pattern.includes('*')) return pattern === path;
  return patternMatcher(pattern)(path);
}

/**
 * Whether `path` is selected by `prefix` the way GetParameterValues / GetParameterNames select:
 * a partial path selects itself and everything below it; a parameter name selects only itself;
 * '' selects everything. Wildcards in `prefix` match any instance.
 */
export function isUnder(path: string, prefix: string): boolean {
  if (prefix === '') return true;
  if (!prefix.endsWith('.')) return matchesPattern(prefix, path);
  if (!prefix.includes('*')) return path.startsWith(prefix);
  const want = segmentsOf(prefix);
  const actual = segmentsOf(path);
  if (actual.length < want.length) return false;
  // Same depth: only the object itself is under it, not a parameter that happens to share its name.
  if (actual.length === want.length && !isPartialPath(path)) return false;
  return segmentsMatch(want, actual);
}

const INSTANCE_SEGMENT = /(^|\.)(?:\d+|\*)(?=\.|$)/g;

/**
 * The data-model (schema) form, as the BBF XML writes it: every instance number, wildcard and alias
 * becomes `{i}`. `Device.IP.Interface.2.IPv4Address.[lan].` → `Device.IP.Interface.{i}.IPv4Address.{i}.`
 */
export function toSchemaPath(text: string): string {
  if (!text.includes('[')) return text.replace(INSTANCE_SEGMENT, '$1{i}');
  const body = segmentsOf(text)
    .map((s) => (s !== '' && isInstanceLike(s) ? '{i}' : s))
    .join('.');
  return text.endsWith('.') ? `${body}.` : body;
}

/** Which data model a path belongs to: TR-181 `Device`, TR-098 `InternetGatewayDevice`, or other. */
export function rootObjectOf(text: string): 'Device' | 'InternetGatewayDevice' | 'other' {
  const dot = text.indexOf('.');
  const root = dot === -1 ? text : text.slice(0, dot);
  return root === 'Device' || root === 'InternetGatewayDevice' ? root : 'other';
}
