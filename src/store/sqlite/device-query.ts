import {
  COLUMN,
  type ConditionSql,
  checkValue,
  filterWhere,
  invalid,
  isDeviceField,
  MAX_IN,
  NUMERIC,
  type Where,
} from '../device-filter.ts';
import type { DeviceCondition } from '../devices.ts';
import { excerpt } from '../errors.ts';
import { prefixUpperBound } from '../text-range.ts';

/**
 * Device filters as SQL. Column names come only from COLUMN (device-filter.ts); every value is a bound parameter.
 * Parameter conditions on an operator-marked path go through the partial (path, value) index, driven
 * from the index (`key IN (…)`); others are a primary-key lookup per candidate device (`EXISTS`).
 * Secret parameter values are NULL in the value column, so no filter can probe them.
 */

const OPERATOR = { eq: '=', ne: 'IS NOT', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

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
      if (c.values.length === 0) return '0';
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
  let test: string;
  if (c.op === 'prefix') {
    test = range('value', c.value, args);
  } else {
    const op = Object.hasOwn(OPERATOR, c.op) ? OPERATOR[c.op] : undefined;
    if (op === undefined) throw invalid(`unknown operator ${excerpt(String(c.op))}`);
    const value = (c as { value?: unknown }).value;
    const numeric = typeof value === 'number';
    if (numeric ? !Number.isFinite(value) : typeof value !== 'string') {
      throw invalid('a parameter compares with a string or a finite number');
    }
    args.push(value as string | number);
    // 'ne' means "not equal to", missing included: the negation of 'eq'.
    const sqlOp = op === 'IS NOT' ? '=' : op;
    // corral_number: the value as a number when it is one, else NULL (so 'abc' is never 0).
    test = numeric ? `corral_number(value) ${sqlOp} ?` : `value ${sqlOp} ?`;
    if (op === 'IS NOT') {
      return isIndexed(c.path)
        ? `d.key NOT IN (SELECT device_key FROM parameters WHERE indexed = 1 AND path = ? AND ${test})`
        : `NOT EXISTS (SELECT 1 FROM parameters WHERE device_key = d.key AND path = ? AND ${test})`;
    }
  }
  return isIndexed(c.path)
    ? `d.key IN (SELECT device_key FROM parameters WHERE indexed = 1 AND path = ? AND ${test})`
    : `EXISTS (SELECT 1 FROM parameters WHERE device_key = d.key AND path = ? AND ${test})`;
}

const SQL: ConditionSql = { always: '1', field: fieldCondition, parameter: parameterCondition };

/**
 * `probe`: each condition tested on one device at a time (a primary-key lookup), for a scan that already has
 * its devices in hand; by default tags and marked parameters are looked up through their indexes instead.
 */
export function whereOf(
  filter: readonly DeviceCondition[] | undefined,
  isIndexed: (path: string) => boolean,
  probe = false,
): Where {
  return filterWhere(SQL, filter, isIndexed, probe);
}
