/** The audit table's row, its mapping to an AuditEntry, and the checks on what is recorded. */
import type { AuditEntry, AuditFilter } from './audit.ts';
import { cutText, MAX_AUDIT_ACTION, MAX_AUDIT_ACTOR, MAX_AUDIT_TARGET } from './audit.ts';
import { StoreError } from './errors.ts';
import type { JsonValue } from './json.ts';
import { page } from './paging.ts';
import { checkTime } from './settings.ts';
import { DEFAULT_PAGE, MAX_PAGE } from './store.ts';

export interface AuditRow {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  outcome: number | null;
  details: string;
}

export function label(value: unknown, name: string, max: number): string {
  if (typeof value !== 'string' || value === '') {
    throw new StoreError('invalid', 'store', `an audit ${name} is non-empty text`);
  }
  return cutText(value, max);
}

export function targetOf(value: unknown): string | null {
  if (value == null) return null;
  if (typeof value !== 'string')
    throw new StoreError('invalid', 'store', 'an audit target is text');
  return cutText(value, MAX_AUDIT_TARGET);
}

export function outcomeOf(value: unknown): number | null {
  if (value == null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new StoreError('invalid', 'store', 'an audit outcome is a whole number');
  }
  return value;
}

export function entryOf(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    details: JSON.parse(r.details) as JsonValue,
  };
}

/** A listing of the audit log: its SELECT, newest first, and the values it binds (the page last). */
export function auditListQuery(filter: AuditFilter): { sql: string; args: unknown[] } {
  const limit = page(filter.limit, DEFAULT_PAGE, MAX_PAGE, 'limit');
  const offset = page(filter.offset, 0, Number.MAX_SAFE_INTEGER, 'offset');
  const where: string[] = [];
  const args: unknown[] = [];
  for (const [column, value, max] of [
    ['actor', filter.actor, MAX_AUDIT_ACTOR],
    ['action', filter.action, MAX_AUDIT_ACTION],
    ['target', filter.target, MAX_AUDIT_TARGET],
  ] as const) {
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      throw new StoreError('invalid', 'store', `an audit ${column} filter is text`);
    }
    where.push(`${column} = ?`);
    args.push(cutText(value, max));
  }
  if (filter.since !== undefined) {
    where.push('at >= ?');
    args.push(checkTime(filter.since, 'since'));
  }
  if (filter.until !== undefined) {
    where.push('at <= ?');
    args.push(checkTime(filter.until, 'until'));
  }
  const sql = `SELECT * FROM audit_log ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
    ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`;
  return { sql, args: [...args, limit, offset] };
}
