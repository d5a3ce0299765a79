import { formatBoolean, formatDecimal, readBoolean } from '../../../cwmp/values.ts';

/**
 * Value comparison for provisioning: a declared scalar against the raw text a device reported, by the
 * parameter's xsi:type. Booleans compare as booleans (`1` = `true`), numeric types as numbers (`08` = `8`),
 * everything else as exact text.
 */

const INTEGER_TYPES = new Set(['int', 'unsignedInt', 'long', 'unsignedLong']);

function asBoolean(v: string | number | boolean): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : null;
  const r = readBoolean(v);
  return r.ok ? r.value : null;
}

function asNumber(v: string | number | boolean): number | bigint | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return null;
  const t = v.trim();
  if (/^[+-]?\d+$/.test(t)) {
    const b = BigInt(t);
    return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(b)
      : b;
  }
  if (/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(t)) return Number(t);
  return null;
}

/** Whether the device's `raw` value of xsi:type `type` equals the declared `desired`. */
export function valuesEqual(
  raw: string,
  type: string,
  desired: string | number | boolean,
): boolean {
  if (type === 'boolean') {
    const a = asBoolean(raw);
    return a !== null && a === asBoolean(desired);
  }
  if (INTEGER_TYPES.has(type) || type === 'decimal') {
    const a = asNumber(raw);
    const b = asNumber(desired);
    if (a === null || b === null) return raw === String(desired);
    if (typeof a === 'bigint' || typeof b === 'bigint') {
      return Number.isInteger(a) && Number.isInteger(b) ? BigInt(a) === BigInt(b) : false;
    }
    return a === b;
  }
  return raw === String(desired);
}

/** The text to send for a declared value of xsi:type `type` (canonical booleans and decimals). */
export function formatValue(type: string, desired: string | number | boolean): string {
  if (type === 'boolean') {
    const b = asBoolean(desired);
    if (b !== null) return formatBoolean(b);
  }
  if (typeof desired === 'number') return formatDecimal(desired);
  if (typeof desired === 'boolean' && INTEGER_TYPES.has(type)) return desired ? '1' : '0';
  return String(desired);
}

/** The xsi:type to send when neither the declaration nor the cached tree gives one. */
export function inferType(desired: string | number | boolean): string {
  if (typeof desired === 'boolean') return 'boolean';
  if (typeof desired === 'number') return Number.isInteger(desired) ? 'int' : 'decimal';
  return 'string';
}
