import {
  type AuditEntry,
  type AuditFilter,
  type AuditInput,
  type AuditStore,
  auditDetailsText,
  MAX_AUDIT_ACTION,
  MAX_AUDIT_ACTOR,
} from '../audit.ts';
import {
  type AuditRow,
  auditListQuery,
  entryOf,
  label,
  outcomeOf,
  targetOf,
} from '../audit-rows.ts';
import { StoreError } from '../errors.ts';
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
    const { sql, args } = auditListQuery(filter);
    return ((await ctx.stmt(sql).all(...args)) as AuditRow[]).map(entryOf);
  }
}
