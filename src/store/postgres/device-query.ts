import {
  COLUMN,
  type ConditionSql,
  checkValue,
  filterWhere,
  invalid,
  isDeviceField,
  MAX_IN,
  NULLABLE,
  NUMERIC,
  type Where,
} from '../device-filter.ts';
import type { DeviceCondition, DeviceField } from '../devices.ts';
import { excerpt } from '../errors.ts';
import { prefixUpperBound } from '../text-range.ts';
import { KEY_CHARS, keyed, keyOf } from './index-key.ts';

/**
 * Device filters as SQL: sqlite/device-query.ts in PostgreSQL's dialect (boolean literals, IS DISTINCT
 * FROM), with text columns and marked values compared on their index key too (index-key.ts). Column names
 * come only from COLUMN (device-filter.ts); every value is a bound parameter.
 * Parameter conditions on an operator-marked path go through the partial (path, value) index, driven
 * from the index (`key IN (…)`); others are a primary-key lookup per candidate device (`EXISTS`).
 * Secret parameter values are NULL in the value column, so no filter can probe them.
 */

const OPERATOR = {
  eq: '=',
  ne: 'IS DISTINCT FROM',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
} as const;

/** `column` starts with `prefix`, as a range on the column and on its index key. */
function range(column: string, prefix: unknown, args: (string | number)[]): string {
  if (typeof prefix !== 'string') throw invalid('a prefix is a string');
  const upper = prefixUpperBound(prefix);
  const lower = keyed(column, '>=', prefix, args);
  return upper === undefined ? `(${lower})` : `(${lower} AND ${keyed(column, '<', upper, args)})`;
}

/** The ORDER BY of a sort on `field`: a text column by its index key first, so the index serves it. */
export function orderOf(field: DeviceField, direction: 'ASC' | 'DESC'): string {
  const column = COLUMN[field];
  const nulls = NULLABLE.has(field) ? ' NULLS LAST' : '';
  const key = NUMERIC.has(field) ? '' : `${keyOf(column)} ${direction}${nulls}, `;
  return `${key}${column} ${direction}${nulls}, d.key ${direction}`;
}

/**
 * `column <op> value` on a time column (whole ms, safe integers): a fraction or a huge number, which SQLite
 * compares as is, becomes the integer bound that selects the same rows, since PostgreSQL binds a bigint.
 */
function timeCondition(
  column: string,
  op: string,
  value: number,
  args: (string | number)[],
): string {
  if (Number.isSafeInteger(value)) {
    args.push(value);
    return `${column} ${op} ?`;
  }
  if (op === '=') return 'FALSE';
  if (op === 'IS DISTINCT FROM') return 'TRUE';
  const bound = op === '<' || op === '>=' ? Math.ceil(value) : Math.floor(value);
  args.push(Math.min(Math.max(bound, -Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER));
  return `${column} ${op} ?`;
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
      let values = c.values.map((v) => checkValue(c.field, v));
      // A time column holds whole ms: no other number can equal one (nor be bound as a bigint).
      if (NUMERIC.has(c.field)) values = values.filter((v) => Number.isSafeInteger(v));
      if (values.length === 0) return 'FALSE';
      const list = values.map(() => '?').join(', ');
      args.push(...values);
      if (NUMERIC.has(c.field)) return `${column} IN (${list})`;
      args.push(...values);
      return `${column} IN (${list}) AND ${keyOf(column)} IN (${values.map(() => `left(?, ${KEY_CHARS})`).join(', ')})`;
    }
    default: {
      const op = Object.hasOwn(OPERATOR, c.op) ? OPERATOR[c.op] : undefined;
      if (op === undefined) throw invalid(`unknown operator ${excerpt(String(c.op))}`);
      const value = checkValue(c.field, c.value);
      if (typeof value === 'string') return keyed(column, op, value, args);
      return timeCondition(column, op, value, args);
    }
  }
}

function plainRange(prefix: unknown, args: (string | number)[]): string {
  if (typeof prefix !== 'string') throw invalid('a prefix is a string');
  const upper = prefixUpperBound(prefix);
  args.push(prefix);
  if (upper === undefined) return 'value >= ?';
  args.push(upper);
  return '(value >= ? AND value < ?)';
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
  const indexed = isIndexed(c.path);
  // The value's index key is compared only where the marked-parameter index is used.
  const column = indexed ? 'value' : '';
  let test: string;
  let negate = false;
  if (c.op === 'prefix') {
    test = indexed ? range(column, c.value, args) : plainRange(c.value, args);
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
    const sqlOp = negate ? '=' : op;
    if (numeric) {
      // corral_number: the value as a number when it is one, else NULL (so 'abc' is never 0).
      args.push(value);
      test = `corral_number(value) ${sqlOp} ?::double precision`;
    } else if (indexed) {
      test = keyed(column, sqlOp, value as string, args);
    } else {
      args.push(value as string);
      test = `value ${sqlOp} ?`;
    }
  }
  const sql = indexed
    ? `d.key ${negate ? 'NOT IN' : 'IN'} (SELECT device_key FROM parameters WHERE indexed = 1 AND path = ? AND ${test})`
    : `${negate ? 'NOT EXISTS' : 'EXISTS'} (SELECT 1 FROM parameters WHERE device_key = d.key AND path = ? AND ${test})`;
  return sql;
}

const SQL: ConditionSql = { always: 'TRUE', field: fieldCondition, parameter: parameterCondition };

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
