/** The audit table's row, its mapping to an AuditEntry, and the checks on what is recorded. */
import type { AuditEntry } from './audit.ts';
import { cutText, MAX_AUDIT_TARGET } from './audit.ts';
import { StoreError } from './errors.ts';
import type { JsonValue } from './json.ts';

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
