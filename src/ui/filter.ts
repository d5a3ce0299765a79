/** The device list's filter (src/api/device-query.ts): conditions that must all hold. */

export const DEVICE_FIELDS = [
  'id',
  'manufacturer',
  'oui',
  'productClass',
  'serialNumber',
  'softwareVersion',
  'hardwareVersion',
  'remoteAddress',
  'firstInformAt',
  'lastInformAt',
  'lastBootAt',
  'lastBootstrapAt',
] as const;

export const FIELD_OPS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'prefix', 'in', 'null', 'notNull'];
export const PARAMETER_OPS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'prefix', 'exists', 'missing'];
export const TAG_OPS = ['has', 'lacks'];
const NO_OPERAND = new Set(['null', 'notNull', 'exists', 'missing', 'has', 'lacks']);

/** A condition as the form edits it: every operand a string. */
export interface Row {
  kind: 'field' | 'tag' | 'parameter';
  name: string;
  op: string;
  value: string;
}

export function needsValue(op: string): boolean {
  return !NO_OPERAND.has(op);
}

/** Numeric-looking values compare numerically for parameters; `in` takes a comma-separated list. */
export function toConditions(rows: Row[]): unknown[] {
  const out: unknown[] = [];
  for (const r of rows) {
    if (r.name.trim() === '') continue;
    if (r.kind === 'tag') out.push({ kind: 'tag', tag: r.name.trim(), op: r.op });
    else if (r.kind === 'field') {
      const c: Record<string, unknown> = { kind: 'field', field: r.name, op: r.op };
      if (r.op === 'in')
        c.values = r.value
          .split(',')
          .map((v) => v.trim())
          .filter((v) => v !== '');
      else if (needsValue(r.op)) c.value = scalar(r.value, r.op, r.name.endsWith('At'));
      out.push(c);
    } else {
      const c: Record<string, unknown> = { kind: 'parameter', path: r.name.trim(), op: r.op };
      if (needsValue(r.op)) c.value = r.value;
      out.push(c);
    }
  }
  return out;
}

function scalar(value: string, op: string, time: boolean): string | number {
  if (op === 'prefix') return value;
  if (time && /^\d+$/.test(value)) return Number(value);
  if (time && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  return value;
}

export function emptyRow(): Row {
  return { kind: 'parameter', name: '', op: 'eq', value: '' };
}

const SAVED_KEY = 'corral.savedFilters';

export function savedFilters(): Record<string, Row[]> {
  try {
    const parsed = JSON.parse(localStorage.getItem(SAVED_KEY) ?? '{}') as unknown;
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, Row[]>) : {};
  } catch {
    return {};
  }
}

export function saveFilter(name: string, rows: Row[]): void {
  localStorage.setItem(SAVED_KEY, JSON.stringify({ ...savedFilters(), [name]: rows }));
}

export function deleteFilter(name: string): void {
  const all = savedFilters();
  delete all[name];
  localStorage.setItem(SAVED_KEY, JSON.stringify(all));
}
