import {
  type AuditEntry,
  type AuditFilter,
  type AuditInput,
  type AuditStore,
  auditDetailsText,
  cutText,
  MAX_AUDIT_ACTION,
  MAX_AUDIT_ACTOR,
  MAX_AUDIT_TARGET,
} from '../audit.ts';
import { type AuditRow, entryOf, label, outcomeOf, targetOf } from '../audit-rows.ts';
import { StoreError } from '../errors.ts';
import { page } from '../paging.ts';
import { checkTime } from '../settings.ts';
import { DEFAULT_PAGE, MAX_PAGE } from '../store.ts';
import type { Context } from './context.ts';

/**
 * The audit log in one append-only table (triggers refuse UPDATE and DELETE). Ids come from
 * AUTOINCREMENT, so they increase and are never reused. Listing walks the (at) index backwards, or
 * (actor, at) / (target, at) when filtered on those; an action filter is checked along the way.
 */
export class PgAudit implements AuditStore {
  readonly #ctx: Context;

  constructor(ctx: Context) {
    this.#ctx = ctx;
  }

  async record(input: AuditInput): Promise<AuditEntry> {
    const ctx = this.#ctx;
    if (typeof input !== 'object' || input === null) {
      throw new StoreError('invalid', 'store', 'an audit entry is an object');
    }
    const actor = label(input.actor, 'actor', MAX_AUDIT_ACTOR);
    const action = label(input.action, 'action', MAX_AUDIT_ACTION);
    const target = targetOf(input.target);
    const outcome = outcomeOf(input.outcome);
    const details = auditDetailsText(input.details);
    return ctx.write(async () => {
      const at = ctx.timeOr(input.at, 'at');
      const row = (await ctx
        .stmt(
          `INSERT INTO audit_log (at, actor, action, target, outcome, details)
           VALUES (?, ?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(at, actor, action, target, outcome, details)) as AuditRow;
      return entryOf(row);
    });
  }

  async list(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const ctx = this.#ctx;
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
    return ((await ctx.stmt(sql).all(...args, limit, offset)) as AuditRow[]).map(entryOf);
  }
}
