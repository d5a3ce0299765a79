/**
 * Checks a value against a parameter's syntax the way a CPE checks a SetParameterValues entry: the xsi:type it came
 * with (9006 Invalid parameter type), then the text against the base type, sizes, ranges, enumerations, patterns
 * and list facets (9007 Invalid parameter value). Base types are read with the codec's own readers (values.ts), so
 * "what is an unsignedInt" has one answer in the whole project.
 */
import { FaultCode } from '../cwmp/faults.ts';
import {
  readBase64,
  readBoolean,
  readDateTime,
  readDecimal,
  readHexBinary,
  readInt,
  readLong,
  readUnsignedInt,
  readUnsignedLong,
} from '../cwmp/values.ts';
import {
  type EnumerationFacet,
  type RangeFacet,
  type SizeFacet,
  type Syntax,
  wireType,
} from './definition.ts';
import { compilePattern } from './pattern.ts';

export type ValueFaultCode =
  | typeof FaultCode.InvalidParameterType
  | typeof FaultCode.InvalidParameterValue;

export type ValueCheck =
  /** `value`: the canonical text to store (`TRUE` → `true`, `+007` → `7`, list items trimmed). */
  { ok: true; value: string } | { ok: false; faultCode: ValueFaultCode; reason: string };

export interface ValidateOptions {
  /** The local name of the xsi:type the value came with; absent when there was none (or it does not matter). */
  xsiType?: string;
  /**
   * Accept `xsd:string` (and any integer type for another integer type) for every parameter, as most CPEs do
   * because many ACSs send everything as strings. Default true; a strict device answers 9006 instead.
   */
  lenientXsiType?: boolean;
  /** An ACS write: enumeration values marked readOnly (DiagnosticsState `Complete`) are refused. */
  write?: boolean;
}

const INTEGER_TYPES: ReadonlySet<string> = new Set(['int', 'unsignedInt', 'long', 'unsignedLong']);

/** Whether a value sent with `xsiType` may be given to a parameter of this syntax. */
export function xsiTypeFits(syntax: Syntax, xsiType: string, lenient = true): boolean {
  const expected = wireType(syntax);
  const got = xsiType === 'base64Binary' ? 'base64' : xsiType;
  if (got === '' || got === expected) return true;
  if (!lenient) return false;
  if (got === 'string' || got === 'anySimpleType') return true;
  return INTEGER_TYPES.has(got) && INTEGER_TYPES.has(expected);
}

export function describeSyntax(syntax: Syntax): string {
  const type = syntax.dataType === undefined ? syntax.type : `${syntax.dataType} (${syntax.type})`;
  return syntax.list === undefined ? type : `list of ${type}`;
}

type Invalid = { ok: false; faultCode: ValueFaultCode; reason: string };

function invalid(reason: string): Invalid {
  return { ok: false, faultCode: FaultCode.InvalidParameterValue, reason };
}

export function validateValue(
  syntax: Syntax,
  raw: string,
  options: ValidateOptions = {},
): ValueCheck {
  if (
    options.xsiType !== undefined &&
    !xsiTypeFits(syntax, options.xsiType, options.lenientXsiType)
  ) {
    return {
      ok: false,
      faultCode: FaultCode.InvalidParameterType,
      reason: `xsi:type ${options.xsiType} does not fit a ${describeSyntax(syntax)} parameter`,
    };
  }
  if (syntax.list === undefined) return validateItem(syntax, raw, options.write === true);

  const list = syntax.list;
  if (list.sizes !== undefined && !fitsSizes(list.sizes, charLength(raw))) {
    return invalid(
      `the list is ${charLength(raw)} characters long; allowed: ${describeSizes(list.sizes)}`,
    );
  }
  const items = raw.trim() === '' ? [] : raw.split(',').map((s) => s.trim());
  if (list.minItems !== undefined && items.length < list.minItems) {
    return invalid(`${items.length} list items; at least ${list.minItems} required`);
  }
  if (list.maxItems !== undefined && items.length > list.maxItems) {
    return invalid(`${items.length} list items; at most ${list.maxItems} allowed`);
  }
  const out: string[] = [];
  for (const [i, item] of items.entries()) {
    const r = validateItem(syntax, item, options.write === true);
    if (!r.ok) return invalid(`list item ${i + 1}: ${r.reason}`);
    out.push(r.value);
  }
  return { ok: true, value: out.join(',') };
}

interface Parsed {
  canonical: string;
  /** For ranges: the number (bigint for the 64-bit types). */
  numeric?: number | bigint;
  /** For sizes: characters of a string, bytes of base64/hexBinary. */
  length?: number;
}

function parseBase(syntax: Syntax, raw: string): Parsed | Invalid {
  switch (syntax.type) {
    case 'string':
      return { canonical: raw, length: charLength(raw) };
    case 'int':
    case 'unsignedInt': {
      const r = syntax.type === 'int' ? readInt(raw) : readUnsignedInt(raw);
      return r.ok ? { canonical: String(r.value), numeric: r.value } : invalid(r.error.reason);
    }
    case 'long':
    case 'unsignedLong': {
      const r = syntax.type === 'long' ? readLong(raw) : readUnsignedLong(raw);
      return r.ok ? { canonical: String(r.value), numeric: r.value } : invalid(r.error.reason);
    }
    case 'boolean': {
      const r = readBoolean(raw);
      return r.ok ? { canonical: r.value ? 'true' : 'false' } : invalid(r.error.reason);
    }
    case 'dateTime': {
      const r = readDateTime(raw);
      return r.ok ? { canonical: raw.trim() } : invalid(r.error.reason);
    }
    case 'decimal': {
      const r = readDecimal(raw);
      return r.ok ? { canonical: raw.trim(), numeric: r.value } : invalid(r.error.reason);
    }
    case 'base64':
    case 'hexBinary': {
      const r = syntax.type === 'base64' ? readBase64(raw) : readHexBinary(raw);
      return r.ok ? { canonical: raw.trim(), length: r.value.byteLength } : invalid(r.error.reason);
    }
  }
}

function validateItem(syntax: Syntax, raw: string, write: boolean): ValueCheck {
  const parsed = parseBase(syntax, raw);
  if ('ok' in parsed) return parsed;
  const { canonical, numeric, length } = parsed;
  if (length !== undefined && syntax.sizes !== undefined && !fitsSizes(syntax.sizes, length)) {
    const unit = syntax.type === 'string' ? 'characters' : 'bytes';
    return invalid(`${length} ${unit} long; allowed: ${describeSizes(syntax.sizes)}`);
  }
  if (numeric !== undefined && syntax.ranges !== undefined && syntax.ranges.length > 0) {
    if (!syntax.ranges.some((r) => inRange(r, numeric))) {
      return invalid(`${canonical} is outside ${syntax.ranges.map(describeRange).join(' or ')}`);
    }
  }
  if (syntax.enumerations !== undefined && syntax.enumerations.length > 0) {
    const e = syntax.enumerations.find((x: EnumerationFacet) => x.value === canonical);
    if (e === undefined)
      return invalid(`${JSON.stringify(canonical)} is not one of the enumerated values`);
    if (write && e.access === 'readOnly') {
      return invalid(`${JSON.stringify(canonical)} may be reported by the CPE but not written`);
    }
  }
  if (syntax.patterns !== undefined && syntax.patterns.length > 0) {
    const compiled = syntax.patterns.map(compilePattern);
    // A pattern JavaScript cannot express is not enforced: better to accept than to refuse a valid value.
    const enforced = compiled.filter((re): re is RegExp => re !== null);
    if (enforced.length === compiled.length && !enforced.some((re) => re.test(canonical))) {
      return invalid(`${JSON.stringify(canonical)} does not match the required pattern`);
    }
  }
  return { ok: true, value: canonical };
}

// XSD lengths count characters (code points), not UTF-16 units.
function charLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

function fitsSizes(sizes: readonly SizeFacet[], length: number): boolean {
  if (sizes.length === 0) return true;
  return sizes.some(
    (s) =>
      (s.minLength === undefined || length >= s.minLength) &&
      (s.maxLength === undefined || length <= s.maxLength),
  );
}

function describeSizes(sizes: readonly SizeFacet[]): string {
  return sizes.map((s) => `${s.minLength ?? 0}..${s.maxLength ?? '∞'}`).join(' or ');
}

function inRange(r: RangeFacet, v: number | bigint): boolean {
  if (typeof v === 'bigint') {
    if (r.min !== undefined && v < BigInt(r.min)) return false;
    if (r.max !== undefined && v > BigInt(r.max)) return false;
    if (r.step !== undefined && r.step > 1) return (v - BigInt(r.min ?? 0)) % BigInt(r.step) === 0n;
    return true;
  }
  if (r.min !== undefined && v < r.min) return false;
  if (r.max !== undefined && v > r.max) return false;
  if (r.step !== undefined && r.step > 0) {
    const k = (v - (r.min ?? 0)) / r.step;
    return Math.abs(k - Math.round(k)) < 1e-9;
  }
  return true;
}

function describeRange(r: RangeFacet): string {
  const span = `${r.min ?? '-∞'}..${r.max ?? '∞'}`;
  return r.step === undefined ? span : `${span} step ${r.step}`;
}
