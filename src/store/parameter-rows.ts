/** The parameters table's row as read, its mapping to the engine-neutral ParameterRow, the secrets' context, the check on a marked pattern. */

import { excerpt, StoreError } from './errors.ts';
import { parseJson } from './json.ts';
import { isPathSized, type ParameterRow } from './parameter-diff.ts';

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
  return {
    path: r.path,
    value: r.value,
    type: r.type,
    sealed: r.sealed,
    writable: r.writable === null ? null : r.writable === 1,
    notification: r.notification,
    accessList: parseJson<string[]>(r.access_list),
    valueAt: r.value_at,
    attributesAt: r.attributes_at,
    indexed: r.indexed === 1,
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
