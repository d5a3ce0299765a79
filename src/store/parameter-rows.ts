/** The parameters table's row as read, its mapping to the engine-neutral ParameterRow, the secrets' context, the check on a marked pattern. */

import { isPartialPath } from '../cwmp/path.ts';
import { excerpt, StoreError } from './errors.ts';
import { json, parseJson } from './json.ts';
import { isPathSized, type ParameterRow } from './parameter-diff.ts';
import type { UpsertOptions } from './parameters.ts';
import { MAX_PAGE } from './store.ts';

export interface ParameterTableRow {
  path: string;
  value: string | null;
  type: string | null;
  sealed: Uint8Array | null;
  writable: number | null;
  notification: number | null;
  access_list: string | null;
  value_at: number | null;
  attributes_at: number | null;
  indexed: number;
}

export const PARAMETER_COLUMNS =
  'path, value, type, sealed, writable, notification, access_list, value_at, attributes_at, indexed';

export function parameterRowOf(r: ParameterTableRow): ParameterRow {
  return parameterRowOfValues([
    r.path,
    r.value,
    r.type,
    r.sealed,
    r.writable,
    r.notification,
    r.access_list,
    r.value_at,
    r.attributes_at,
    r.indexed,
  ]);
}

/** A row read as the values of PARAMETER_COLUMNS, in their order (SQLite's raw rows: no object per row). */
export function parameterRowOfValues(v: readonly unknown[]): ParameterRow {
  const writable = v[4] as number | null;
  return {
    path: v[0] as string,
    value: v[1] as string | null,
    type: v[2] as string | null,
    sealed: v[3] as Uint8Array | null,
    writable: writable === null ? null : writable === 1,
    notification: v[5] as number | null,
    accessList: parseJson<string[]>(v[6] as string | null),
    valueAt: v[7] as number | null,
    attributesAt: v[8] as number | null,
    indexed: v[9] === 1,
  };
}

export function secretContext(deviceId: string, path: string): string {
  return `parameter:${deviceId}:${path}`;
}

export function validatePattern(pattern: string): void {
  if (
    typeof pattern !== 'string' ||
    !isPathSized(pattern) ||
    !pattern.isWellFormed() ||
    pattern.endsWith('.')
  ) {
    throw new StoreError(
      'invalid',
      'parameter',
      `an indexed parameter is a parameter path (with * for instances), not ${excerpt(String(pattern))}`,
    );
  }
}

/** A ParameterRow as the values of the table's columns (PARAMETER_COLUMNS' order). */
export function parameterValuesOf(r: ParameterRow): unknown[] {
  return [
    r.path,
    r.value,
    r.type,
    r.sealed,
    r.writable === null ? null : r.writable ? 1 : 0,
    r.notification,
    r.accessList === null ? null : json(r.accessList),
    r.valueAt,
    r.attributesAt,
    r.indexed ? 1 : 0,
  ];
}

/** A children() call's object path and limit, checked. */
export function checkChildrenQuery(objectPath: unknown, limit: unknown): void {
  if (typeof objectPath !== 'string' || !isPartialPath(objectPath) || objectPath.length > 1024)
    throw new StoreError(
      'invalid',
      'parameter',
      `not an object path: ${excerpt(String(objectPath))}`,
    );
  if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > MAX_PAGE)
    throw new StoreError('invalid', 'parameter', `a limit is 1-${MAX_PAGE}`);
}

/** An upsert's prune, checked: a partial path, and whether only its next level goes. */
export function checkPrune(prune: NonNullable<UpsertOptions['prune']>): {
  prefix: string;
  nextLevel: boolean;
} {
  const { prefix, nextLevel = false } = prune;
  if (!isPartialPath(prefix)) {
    throw new StoreError(
      'invalid',
      'parameter',
      `prune needs a partial path, not ${excerpt(prefix)}`,
    );
  }
  return { prefix, nextLevel };
}
