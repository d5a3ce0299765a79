/**
 * Typed reads of a parameter value's raw text, and the matching writers. Readers never throw: devices
 * send malformed values (vendor quirks 1, 10-13) and one bad value must not sink a whole message.
 */
import { type CwmpDateTime, formatCwmpDateTime, readDateTime } from './datetime.ts';
import type { ParameterValue } from './parameter-value.ts';

export type { CwmpDateTime } from './datetime.ts';
export {
  formatCwmpDateTime,
  formatDateTime,
  INFINITE_TIME,
  readDateTime,
  UNKNOWN_TIME,
} from './datetime.ts';

/** Why a raw text is not a valid value of `type` (the xsd local name). */
export interface InvalidValue {
  type: string;
  raw: string;
  reason: string;
}

export type ValueResult<T> =
  | { ok: true; value: T; warning?: string }
  | { ok: false; error: InvalidValue };

function invalid(type: string, raw: string, reason: string): { ok: false; error: InvalidValue } {
  return { ok: false, error: { type, raw, reason } };
}

export function readString(raw: string): ValueResult<string> {
  return { ok: true, value: raw };
}

// xsd integer types allow a sign and leading zeros; whitespace around them is collapsed by XSD.
const INTEGER = /^[+-]?\d+$/;

function integerShapeError(text: string): string {
  if (text === '') return 'empty value';
  if (/^[+-]?\d*\.\d*$/.test(text) && /\d/.test(text)) return 'not an integer (has a fraction)';
  return 'not a decimal integer';
}

function readInteger32(type: string, raw: string, min: number, max: number): ValueResult<number> {
  const text = raw.trim();
  if (!INTEGER.test(text)) return invalid(type, raw, integerShapeError(text));
  // Exact below 2^53; anything larger is out of range whatever its rounding.
  const n = Number(text);
  if (n < min || n > max) return invalid(type, raw, `${text} is out of range ${min}..${max}`);
  return { ok: true, value: n === 0 ? 0 : n };
}

function readInteger64(type: string, raw: string, min: bigint, max: bigint): ValueResult<bigint> {
  const text = raw.trim();
  if (!INTEGER.test(text)) return invalid(type, raw, integerShapeError(text));
  const n = BigInt(text);
  if (n < min || n > max) return invalid(type, raw, `${text} is out of range ${min}..${max}`);
  return { ok: true, value: n };
}

export const INT_MIN = -0x8000_0000;
export const INT_MAX = 0x7fff_ffff;
export const UNSIGNED_INT_MAX = 0xffff_ffff;
export const LONG_MIN = -(2n ** 63n);
export const LONG_MAX = 2n ** 63n - 1n;
export const UNSIGNED_LONG_MAX = 2n ** 64n - 1n;

/** xsd:int, 32-bit signed. */
export function readInt(raw: string): ValueResult<number> {
  return readInteger32('int', raw, INT_MIN, INT_MAX);
}

/** xsd:unsignedInt, 32-bit. */
export function readUnsignedInt(raw: string): ValueResult<number> {
  return readInteger32('unsignedInt', raw, 0, UNSIGNED_INT_MAX);
}

/** xsd:long, 64-bit signed, as bigint (a number would silently lose precision above 2^53). */
export function readLong(raw: string): ValueResult<bigint> {
  return readInteger64('long', raw, LONG_MIN, LONG_MAX);
}

/** xsd:unsignedLong, 64-bit (e.g. StatsCounter64), as bigint. */
export function readUnsignedLong(raw: string): ValueResult<bigint> {
  return readInteger64('unsignedLong', raw, 0n, UNSIGNED_LONG_MAX);
}

/** `true`/`false`/`1`/`0` (quirk 1), any case, trimmed; other cases than lowercase get a warning. */
export function readBoolean(raw: string): ValueResult<boolean> {
  const text = raw.trim();
  const lower = text.toLowerCase();
  let value: boolean;
  if (lower === 'true' || lower === '1') value = true;
  else if (lower === 'false' || lower === '0') value = false;
  else {
    return invalid('boolean', raw, text === '' ? 'empty value' : 'expected true, false, 1 or 0');
  }
  return text === lower
    ? { ok: true, value }
    : { ok: true, value, warning: `non-canonical boolean '${text}'` };
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** xsd:decimal as a JS number (no exponent notation, as XSD says). */
export function readDecimal(raw: string): ValueResult<number> {
  const text = raw.trim();
  if (!DECIMAL.test(text)) {
    let reason = 'not a decimal number';
    if (text === '') reason = 'empty value';
    else if (/^[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+$/.test(text)) {
      reason = 'exponent notation is not allowed in xsd:decimal';
    }
    return invalid('decimal', raw, reason);
  }
  const n = Number(text);
  if (!Number.isFinite(n)) return invalid('decimal', raw, 'too large for a double');
  return { ok: true, value: n === 0 ? 0 : n };
}

function copyBytes(buf: Buffer): Uint8Array {
  // A plain Uint8Array, not a Buffer that may share Node's pool slab.
  return new Uint8Array(buf);
}

/** xsd:hexBinary: pairs of hex digits, either case; surrounding whitespace is ignored. */
export function readHexBinary(raw: string): ValueResult<Uint8Array> {
  const text = raw.trim();
  const bad = /[^0-9a-fA-F]/.exec(text);
  if (bad !== null) {
    return invalid('hexBinary', raw, `invalid hex digit '${bad[0]}' at position ${bad.index}`);
  }
  if (text.length % 2 !== 0) return invalid('hexBinary', raw, 'odd number of hex digits');
  return { ok: true, value: copyBytes(Buffer.from(text, 'hex')) };
}

// The character that precedes '=' / '==' must leave the unused low bits zero.
const LAST_BEFORE_ONE_PAD = 'AEIMQUYcgkosw048';
const LAST_BEFORE_TWO_PADS = 'AQgw';

/**
 * xsd:base64Binary, strict: standard alphabet only, whitespace (line breaks included) allowed
 * anywhere, padding required and checked. Node's own decoder would silently skip garbage.
 */
export function readBase64(raw: string): ValueResult<Uint8Array> {
  const bad = /[^A-Za-z0-9+/=\s]/.exec(raw);
  if (bad !== null) {
    const urlSafe = bad[0] === '-' || bad[0] === '_' ? ' (URL-safe base64 is not accepted)' : '';
    return invalid(
      'base64',
      raw,
      `invalid character '${bad[0]}' at position ${bad.index}${urlSafe}`,
    );
  }
  const text = raw.replace(/\s+/g, '');
  const pad = text.indexOf('=');
  if (pad !== -1 && !/^={1,2}$/.test(text.slice(pad))) {
    return invalid('base64', raw, "'=' padding only allowed as the last one or two characters");
  }
  if (text.length % 4 !== 0) {
    return invalid('base64', raw, 'length is not a multiple of 4 (missing or extra padding)');
  }
  if (pad !== -1) {
    const pads = text.length - pad;
    const allowed = pads === 1 ? LAST_BEFORE_ONE_PAD : LAST_BEFORE_TWO_PADS;
    if (!allowed.includes(text.charAt(pad - 1))) {
      return invalid('base64', raw, 'non-zero bits in the character before the padding');
    }
  }
  return { ok: true, value: copyBytes(Buffer.from(text, 'base64')) };
}

/** A value read according to its xsi:type. `type` is `'string'` when the text did not fit. */
export type TypedValue =
  | { type: 'string'; value: string }
  | { type: 'int'; value: number }
  | { type: 'unsignedInt'; value: number }
  | { type: 'long'; value: bigint }
  | { type: 'unsignedLong'; value: bigint }
  | { type: 'boolean'; value: boolean }
  | { type: 'dateTime'; value: CwmpDateTime }
  | { type: 'base64'; value: Uint8Array }
  | { type: 'hexBinary'; value: Uint8Array }
  | { type: 'decimal'; value: number };

function typed<T extends TypedValue>(
  type: T['type'],
  r: ValueResult<T['value']>,
): ValueResult<TypedValue> {
  if (!r.ok) return r;
  const value = { type, value: r.value } as TypedValue;
  return r.warning === undefined ? { ok: true, value } : { ok: true, value, warning: r.warning };
}

function dispatch(pv: ParameterValue): ValueResult<TypedValue> {
  const raw = pv.value;
  switch (pv.type) {
    case 'string':
      return { ok: true, value: { type: 'string', value: raw } };
    case 'int':
      return typed('int', readInt(raw));
    case 'unsignedInt':
      return typed('unsignedInt', readUnsignedInt(raw));
    case 'long':
      return typed('long', readLong(raw));
    case 'unsignedLong':
      return typed('unsignedLong', readUnsignedLong(raw));
    case 'boolean':
      return typed('boolean', readBoolean(raw));
    case 'dateTime':
      return typed('dateTime', readDateTime(raw));
    case 'base64':
      return typed('base64', readBase64(raw));
    case 'hexBinary':
      return typed('hexBinary', readHexBinary(raw));
    case 'decimal':
      return typed('decimal', readDecimal(raw));
    default:
      return invalid(pv.type, raw, `unknown xsi:type '${pv.type}'`);
  }
}

/**
 * Reads a value by its xsi:type. By default a text that does not fit its declared type (quirk 11:
 * `xsd:unsignedInt` on a URL; quirk 10: an empty value) comes back ok as the raw string with a
 * warning, so nothing the device said is lost. `strict` returns the error instead (conformance checks).
 */
export function readTyped(
  pv: ParameterValue,
  opts: { strict?: boolean } = {},
): ValueResult<TypedValue> {
  const r = dispatch(pv);
  if (r.ok || opts.strict === true) return r;
  return {
    ok: true,
    value: { type: 'string', value: pv.value },
    warning: `${pv.name}: declared xsi:type '${pv.type}' does not fit the value (${r.error.reason}); kept as string`,
  };
}

/** Booleans are written `true`/`false` unless the device wants `1`/`0` (quirk 1). */
export function formatBoolean(b: boolean, style: 'word' | 'digit' = 'word'): string {
  if (style === 'digit') return b ? '1' : '0';
  return b ? 'true' : 'false';
}

/** xsd:decimal text for a finite number, never in exponent notation. */
export function formatDecimal(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`formatDecimal: ${n} is not finite`);
  const s = String(n === 0 ? 0 : n);
  const e = s.indexOf('e');
  if (e === -1) return s;
  // Shift the decimal point of the shortest round-trip digits by the exponent.
  const negative = s.startsWith('-');
  const mantissa = s.slice(negative ? 1 : 0, e);
  const exponent = Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  const point = (dot === -1 ? mantissa.length : dot) + exponent;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${out}` : out;
}

function checkRange<T extends number | bigint>(type: string, v: T, min: T, max: T): string {
  if (typeof v === 'number' && !Number.isInteger(v)) {
    throw new RangeError(`format ${type}: ${v} is not an integer`);
  }
  if (v < min || v > max) throw new RangeError(`format ${type}: ${v} is out of range`);
  return String(v === 0 ? 0 : v);
}

export interface FormatOptions {
  booleanStyle?: 'word' | 'digit';
  /** dateTime with milliseconds (default whole seconds, quirk 3). */
  milliseconds?: boolean;
}

/**
 * The wire text of a typed value, the inverse of readTyped. Throws RangeError for values that cannot
 * be represented in their type (a programming error, never device input).
 */
export function formatTyped(v: TypedValue, opts: FormatOptions = {}): string {
  switch (v.type) {
    case 'string':
      return v.value;
    case 'int':
      return checkRange('int', v.value, INT_MIN, INT_MAX);
    case 'unsignedInt':
      return checkRange('unsignedInt', v.value, 0, UNSIGNED_INT_MAX);
    case 'long':
      return checkRange('long', v.value, LONG_MIN, LONG_MAX);
    case 'unsignedLong':
      return checkRange('unsignedLong', v.value, 0n, UNSIGNED_LONG_MAX);
    case 'boolean':
      return formatBoolean(v.value, opts.booleanStyle);
    case 'dateTime':
      return formatCwmpDateTime(v.value, { milliseconds: opts.milliseconds === true });
    case 'base64':
      return Buffer.from(v.value.buffer, v.value.byteOffset, v.value.byteLength).toString('base64');
    case 'hexBinary':
      // XSD's canonical hexBinary is upper case.
      return Buffer.from(v.value.buffer, v.value.byteOffset, v.value.byteLength)
        .toString('hex')
        .toUpperCase();
    case 'decimal':
      return formatDecimal(v.value);
  }
}
