import type { DeviceCondition, DeviceField } from '../devices.ts';
import { excerpt, StoreError } from '../errors.ts';
import { prefixUpperBound } from '../text-range.ts';

/**
 * Device filters as SQL (sqlite/device-query.ts in PostgreSQL's dialect: boolean literals, IS DISTINCT
 * FROM, and a marked parameter's value index keyed on `left(value, 1024)`, re-checked on the whole value). Column names come only from the table below; every value is a bound parameter.
 * Parameter conditions on an operator-marked path go through the partial (path, value) index, driven
 * from the index (`key IN (…)`); others are a primary-key lookup per candidate device (`EXISTS`).
 * Secret parameter values are NULL in the value column, so no filter can probe them.
 */
export const COLUMN: Readonly<Record<DeviceField, string>> = {
  id: 'd.id',
  manufacturer: 'd.manufacturer',
  oui: 'd.oui',
  productClass: 'd.product_class',
  serialNumber: 'd.serial_number',
  softwareVersion: 'd.software_version',
  hardwareVersion: 'd.hardware_version',
  remoteAddress: 'd.remote_address',
  firstInformAt: 'd.first_inform_at',
  lastInformAt: 'd.last_inform_at',
  lastBootAt: 'd.last_boot_at',
  lastBootstrapAt: 'd.last_bootstrap_at',
};

const NUMERIC = new Set<DeviceField>([
  'firstInformAt',
  'lastInformAt',
  'lastBootAt',
  'lastBootstrapAt',
]);
export const NULLABLE = new Set<DeviceField>([
  'softwareVersion',
  'hardwareVersion',
  'remoteAddress',
  'lastBootAt',
  'lastBootstrapAt',
]);

const OPERATOR = {
  eq: '=',
  ne: 'IS DISTINCT FROM',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
} as const;
const MAX_CONDITIONS = 64;
const MAX_IN = 1000;

export interface Where {
  sql: string;
  args: (string | number)[];
}

const invalid = (why: string) => new StoreError('invalid', 'device', `device filter: ${why}`);

export function isDeviceField(field: unknown): field is DeviceField {
  return typeof field === 'string' && Object.hasOwn(COLUMN, field);
}

function checkValue(field: DeviceField, value: unknown): string | number {
  const numeric = NUMERIC.has(field);
  if (numeric ? typeof value !== 'number' || !Number.isFinite(value) : typeof value !== 'string') {
    throw invalid(`${field} compares with a ${numeric ? 'number' : 'string'}`);
  }
  return value as string | number;
}

function range(column: string, prefix: unknown, args: (string | number)[]): string {
  if (typeof prefix !== 'string') throw invalid('a prefix is a string');
  const upper = prefixUpperBound(prefix);
  args.push(prefix);
  if (upper === undefined) return `${column} >= ?`;
  args.push(upper);
  return `(${column} >= ? AND ${column} < ?)`;
}

function fieldCondition(
  c: Extract<DeviceCondition, { kind: 'field' }>,
  args: (string | number)[],
): string {
  if (!isDeviceField(c.field)) throw invalid(`unknown field ${excerpt(String(c.field))}`);
  const column = COLUMN[c.field];
  switch (c.op) {
    case 'null':
      return `${column} IS NULL`;
    case 'notNull':
      return `${column} IS NOT NULL`;
    case 'prefix':
      if (NUMERIC.has(c.field)) throw invalid(`${c.field} has no prefix`);
      return range(column, c.value, args);
    case 'in': {
      if (!Array.isArray(c.values) || c.values.length > MAX_IN) {
        throw invalid(`'in' takes at most ${MAX_IN} values`);
      }
      if (c.values.length === 0) return 'FALSE';
      for (const v of c.values) args.push(checkValue(c.field, v));
      return `${column} IN (${c.values.map(() => '?').join(', ')})`;
    }
    default: {
      const op = Object.hasOwn(OPERATOR, c.op) ? OPERATOR[c.op] : undefined;
      if (op === undefined) throw invalid(`unknown operator ${excerpt(String(c.op))}`);
      args.push(checkValue(c.field, c.value));
      return `${column} ${op} ?`;
    }
  }
}

/** The prefix of a value the marked-parameter index keys (a B-tree entry holds ~2.7 kB). */
const KEYED = 1024;
/** What `left(value, KEYED) <op> left(x, KEYED)` must hold for `value <op> x` to: lets the index seek. */
const KEYED_OP = { '=': '=', '<': '<=', '<=': '<=', '>': '>=', '>=': '>=' } as const;

function parameterCondition(
  c: Extract<DeviceCondition, { kind: 'parameter' }>,
  args: (string | number)[],
  isIndexed: (path: string) => boolean,
): string {
  if (typeof c.path !== 'string' || c.path === '') throw invalid('a parameter path is a string');
  args.push(c.path);
  if (c.op === 'exists' || c.op === 'missing') {
    const sub = 'SELECT 1 FROM parameters p WHERE p.device_key = d.key AND p.path = ?';
    return c.op === 'exists' ? `EXISTS (${sub})` : `NOT EXISTS (${sub})`;
  }
  const indexed = isIndexed(c.path);
  let test: string;
  let negate = false;
  if (c.op === 'prefix') {
    if (typeof c.value !== 'string') throw invalid('a prefix is a string');
    const upper = prefixUpperBound(c.value);
    test = range('value', c.value, args);
    if (indexed) {
      args.push(c.value);
      test += ` AND left(value, ${KEYED}) >= left(?, ${KEYED})`;
      if (upper !== undefined) {
        args.push(upper);
        test += ` AND left(value, ${KEYED}) <= left(?, ${KEYED})`;
      }
    }
  } else {
    const op = Object.hasOwn(OPERATOR, c.op) ? OPERATOR[c.op] : undefined;
    if (op === undefined) throw invalid(`unknown operator ${excerpt(String(c.op))}`);
    const value = (c as { value?: unknown }).value;
    const numeric = typeof value === 'number';
    if (numeric ? !Number.isFinite(value) : typeof value !== 'string') {
      throw invalid('a parameter compares with a string or a finite number');
    }
    // 'ne' means "not equal to", missing included: the negation of 'eq'.
    negate = op === 'IS DISTINCT FROM';
    const sqlOp = (negate ? '=' : op) as keyof typeof KEYED_OP;
    args.push(value as string | number);
    // corral_number: the value as a number when it is one, else NULL (so 'abc' is never 0).
    test = numeric ? `corral_number(value) ${sqlOp} ?::double precision` : `value ${sqlOp} ?`;
    if (indexed && !numeric) {
      args.push(value as string);
      test += ` AND left(value, ${KEYED}) ${KEYED_OP[sqlOp]} left(?, ${KEYED})`;
    }
  }
  const sql = indexed
    ? `d.key ${negate ? 'NOT IN' : 'IN'} (SELECT device_key FROM parameters WHERE indexed = 1 AND path = ? AND ${test})`
    : `${negate ? 'NOT EXISTS' : 'EXISTS'} (SELECT 1 FROM parameters WHERE device_key = d.key AND path = ? AND ${test})`;
  return sql;
}

/**
 * `probe`: each condition tested on one device at a time (a primary-key lookup), for a scan that already has
 * its devices in hand; by default tags and marked parameters are looked up through their indexes instead.
 */
export function whereOf(
  filter: readonly DeviceCondition[] | undefined,
  isIndexed: (path: string) => boolean,
  probe = false,
): Where {
  if (filter === undefined || filter.length === 0) return { sql: 'TRUE', args: [] };
  if (!Array.isArray(filter) || filter.length > MAX_CONDITIONS) {
    throw invalid(`a filter is a list of at most ${MAX_CONDITIONS} conditions`);
  }
  const args: (string | number)[] = [];
  const parts = filter.map((c: DeviceCondition) => {
    switch (c?.kind) {
      case 'field':
        return fieldCondition(c, args);
      case 'tag': {
        if (typeof c.tag !== 'string') throw invalid('a tag is a string');
        if (c.op !== 'has' && c.op !== 'lacks')
          throw invalid("a tag condition is 'has' or 'lacks'");
        args.push(c.tag);
        if (probe) {
          const one = 'SELECT 1 FROM device_tags WHERE device_key = d.key AND tag = ?';
          return c.op === 'has' ? `EXISTS (${one})` : `NOT EXISTS (${one})`;
        }
        const sub = 'SELECT device_key FROM device_tags WHERE tag = ?';
        return c.op === 'has' ? `d.key IN (${sub})` : `d.key NOT IN (${sub})`;
      }
      case 'parameter':
        return parameterCondition(c, args, probe ? () => false : isIndexed);
      default:
        throw invalid(`unknown condition kind ${excerpt(String((c as { kind?: unknown })?.kind))}`);
    }
  });
  return { sql: parts.map((p) => `(${p})`).join(' AND '), args };
}
