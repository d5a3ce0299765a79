import type { DeviceRecord } from '../../../store/devices.ts';
import type { ParameterRecord } from '../../../store/parameters.ts';
import { valuesEqual } from './compare.ts';

/**
 * Preset preconditions: a small expression language kept as JSON data. Nothing is evaluated as code and no
 * string is parsed; `validatePrecondition` bounds the depth and size before `evaluatePrecondition` runs, and
 * evaluation is total (every node yields true or false, never throws).
 */

export type DeviceFieldName =
  | 'manufacturer'
  | 'oui'
  | 'productClass'
  | 'serialNumber'
  | 'softwareVersion'
  | 'hardwareVersion';

export const PRECONDITION_FIELDS: readonly DeviceFieldName[] = [
  'manufacturer',
  'oui',
  'productClass',
  'serialNumber',
  'softwareVersion',
  'hardwareVersion',
];

/** `matches` is a glob: `*` any run of characters, `?` one character, everything else literal. */
export type StringOp = 'eq' | 'ne' | 'prefix' | 'matches';
export type Scalar = string | number | boolean;

export type Precondition =
  | { all: Precondition[] }
  | { any: Precondition[] }
  | { not: Precondition }
  | { field: DeviceFieldName; op: StringOp; value: string }
  | { field: DeviceFieldName; op: 'in'; value: string[] }
  /** Compared normalised by the parameter's type (`1` = `true`, `"08"` = `8`). An unknown value never matches. */
  | { parameter: string; op: StringOp; value: Scalar }
  | { parameter: string; op: 'in'; value: Scalar[] }
  | { tag: string }
  /** The Inform carried this event code (`1 BOOT`, `M Reboot`, …). */
  | { event: string }
  /** The session's hour of day (UTC shifted by `utcOffsetMinutes`) is in [afterHour, beforeHour); wraps past midnight. */
  | { time: { afterHour: number; beforeHour: number; utcOffsetMinutes?: number } };

/** Everything a precondition (and the planner) may know about one device in one session. */
export interface DeviceContext {
  device: Pick<DeviceRecord, DeviceFieldName>;
  tags: readonly string[];
  /** The cached parameter tree: path → record. */
  parameters: ReadonlyMap<string, ParameterRecord>;
  /** The Inform's event codes. */
  events: readonly string[];
  /** The session's time, ms since the epoch. */
  now: number;
}

export const PRECONDITION_LIMITS = Object.freeze({
  maxDepth: 16,
  maxNodes: 256,
  maxListLength: 256,
  maxStringLength: 1024,
});

export interface PreconditionError {
  /** Where, as a JSON-ish path from the precondition's root: `all[2].op`. */
  field: string;
  reason: string;
}

const STRING_OPS: readonly string[] = ['eq', 'ne', 'prefix', 'matches', 'in'];

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Checks shape and bounds; the first error found, or null. */
export function validatePrecondition(input: unknown, at = ''): PreconditionError | null {
  let nodes = 0;
  const L = PRECONDITION_LIMITS;
  const str = (v: unknown, where: string): PreconditionError | null =>
    typeof v !== 'string'
      ? { field: where, reason: 'must be a string' }
      : v.length > L.maxStringLength
        ? { field: where, reason: `longer than ${L.maxStringLength} characters` }
        : null;
  const scalar = (v: unknown, where: string): PreconditionError | null =>
    typeof v === 'string'
      ? str(v, where)
      : typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))
        ? null
        : { field: where, reason: 'must be a string, a finite number or a boolean' };
  const join = (a: string, b: string) => (a === '' ? b : b.startsWith('[') ? a + b : `${a}.${b}`);

  const walk = (node: unknown, where: string, depth: number): PreconditionError | null => {
    if (++nodes > L.maxNodes) return { field: where, reason: `more than ${L.maxNodes} nodes` };
    if (depth > L.maxDepth) return { field: where, reason: `nested deeper than ${L.maxDepth}` };
    if (!isRecord(node)) return { field: where || '(root)', reason: 'must be an object' };
    const keys = Object.keys(node);
    const only = (...allowed: string[]): PreconditionError | null => {
      const extra = keys.find((k) => !allowed.includes(k));
      return extra === undefined ? null : { field: join(where, extra), reason: 'unknown key' };
    };
    if ('all' in node || 'any' in node) {
      const key = 'all' in node ? 'all' : 'any';
      const list = node[key];
      if (!Array.isArray(list)) return { field: join(where, key), reason: 'must be an array' };
      if (list.length > L.maxListLength)
        return { field: join(where, key), reason: `more than ${L.maxListLength} items` };
      for (let i = 0; i < list.length; i++) {
        const e = walk(list[i], join(where, `${key}[${i}]`), depth + 1);
        if (e) return e;
      }
      return only(key);
    }
    if ('not' in node) return walk(node.not, join(where, 'not'), depth + 1) ?? only('not');
    if ('field' in node || 'parameter' in node) {
      const key = 'field' in node ? 'field' : 'parameter';
      const subject = node[key];
      if (key === 'field' && !PRECONDITION_FIELDS.includes(subject as DeviceFieldName))
        return {
          field: join(where, 'field'),
          reason: `must be one of ${PRECONDITION_FIELDS.join(', ')}`,
        };
      if (key === 'parameter') {
        const e = str(subject, join(where, 'parameter'));
        if (e) return e;
        if (subject === '' || (subject as string).endsWith('.'))
          return {
            field: join(where, 'parameter'),
            reason: 'must name a parameter, not an object',
          };
      }
      const op = node.op;
      if (typeof op !== 'string' || !STRING_OPS.includes(op))
        return { field: join(where, 'op'), reason: `must be one of ${STRING_OPS.join(', ')}` };
      const check = key === 'field' ? str : scalar;
      if (op === 'in') {
        const v = node.value;
        if (!Array.isArray(v))
          return { field: join(where, 'value'), reason: "must be an array for 'in'" };
        if (v.length > L.maxListLength)
          return { field: join(where, 'value'), reason: `more than ${L.maxListLength} items` };
        for (let i = 0; i < v.length; i++) {
          const e = check(v[i], join(where, `value[${i}]`));
          if (e) return e;
        }
      } else {
        const e = (op === 'eq' || op === 'ne' ? check : str)(node.value, join(where, 'value'));
        if (e) return e;
      }
      return only(key, 'op', 'value');
    }
    if ('tag' in node) return str(node.tag, join(where, 'tag')) ?? only('tag');
    if ('event' in node) return str(node.event, join(where, 'event')) ?? only('event');
    if ('time' in node) {
      const t = node.time;
      const w = join(where, 'time');
      if (!isRecord(t)) return { field: w, reason: 'must be an object' };
      for (const k of ['afterHour', 'beforeHour'] as const) {
        const h = t[k];
        if (typeof h !== 'number' || !Number.isInteger(h) || h < 0 || h > 24)
          return { field: join(w, k), reason: 'must be an integer hour 0-24' };
      }
      const off = t.utcOffsetMinutes;
      if (
        off !== undefined &&
        (typeof off !== 'number' || !Number.isInteger(off) || Math.abs(off) > 14 * 60)
      )
        return { field: join(w, 'utcOffsetMinutes'), reason: 'must be an integer within ±840' };
      const extra = Object.keys(t).find(
        (k) => !['afterHour', 'beforeHour', 'utcOffsetMinutes'].includes(k),
      );
      if (extra) return { field: join(w, extra), reason: 'unknown key' };
      return only('time');
    }
    return {
      field: where || '(root)',
      reason: 'expected one of all, any, not, field, parameter, tag, event, time',
    };
  };
  return walk(input, at, 1);
}

/**
 * Glob match without backtracking blow-up: `*` any run, `?` one character (by UTF-16 unit). Linear in
 * practice (the classic two-pointer algorithm, O(n·m) worst case, bounded by the string limits).
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

function compareString(op: StringOp | 'in', actual: string, value: unknown): boolean {
  switch (op) {
    case 'eq':
      return actual === value;
    case 'ne':
      return actual !== value;
    case 'prefix':
      return actual.startsWith(value as string);
    case 'matches':
      return globMatch(value as string, actual);
    case 'in':
      return (value as unknown[]).includes(actual);
  }
}

function compareParameter(
  op: StringOp | 'in',
  record: ParameterRecord | undefined,
  value: unknown,
): boolean {
  if (record === undefined || record.value === null || record.secret) return false;
  const raw = record.value;
  const type = record.type ?? 'string';
  switch (op) {
    case 'eq':
      return valuesEqual(raw, type, value as Scalar);
    case 'ne':
      return !valuesEqual(raw, type, value as Scalar);
    case 'in':
      return (value as Scalar[]).some((v) => valuesEqual(raw, type, v));
    default:
      return compareString(op, raw, value);
  }
}

/** Evaluates a precondition that passed `validatePrecondition`. Total: never throws. */
export function evaluatePrecondition(node: Precondition, ctx: DeviceContext): boolean {
  if ('all' in node) return node.all.every((c) => evaluatePrecondition(c, ctx));
  if ('any' in node) return node.any.some((c) => evaluatePrecondition(c, ctx));
  if ('not' in node) return !evaluatePrecondition(node.not, ctx);
  if ('field' in node) return compareString(node.op, ctx.device[node.field] ?? '', node.value);
  if ('parameter' in node)
    return compareParameter(node.op, ctx.parameters.get(node.parameter), node.value);
  if ('tag' in node) return ctx.tags.includes(node.tag);
  if ('event' in node) return ctx.events.includes(node.event);
  const { afterHour, beforeHour, utcOffsetMinutes = 0 } = node.time;
  const minutes = Math.floor(ctx.now / 60_000) + utcOffsetMinutes;
  const hour = ((Math.floor(minutes / 60) % 24) + 24) % 24;
  if (afterHour === beforeHour) return true;
  return afterHour < beforeHour
    ? hour >= afterHour && hour < beforeHour
    : hour >= afterHour || hour < beforeHour;
}
