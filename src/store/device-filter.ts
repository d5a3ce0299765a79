/**
 * What a device filter may name and compare, checked the same way by both engines' device-query.ts: the
 * devices table's columns for each field, which are numbers or may be NULL, and the limits on a filter.
 */
import type { DeviceCondition, DeviceField } from './devices.ts';
import { excerpt, StoreError } from './errors.ts';

/** The column of each device field: names in SQL come only from here. */
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

export const NUMERIC = new Set<DeviceField>([
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

export const MAX_CONDITIONS = 64;

export const MAX_IN = 1000;

export interface Where {
  sql: string;
  args: (string | number)[];
}

export const invalid = (why: string) =>
  new StoreError('invalid', 'device', `device filter: ${why}`);

export function isDeviceField(field: unknown): field is DeviceField {
  return typeof field === 'string' && Object.hasOwn(COLUMN, field);
}

export function checkValue(field: DeviceField, value: unknown): string | number {
  const numeric = NUMERIC.has(field);
  if (numeric ? typeof value !== 'number' || !Number.isFinite(value) : typeof value !== 'string') {
    throw invalid(`${field} compares with a ${numeric ? 'number' : 'string'}`);
  }
  return value as string | number;
}

/** An engine's SQL for a filter: a condition always true, a field condition, a parameter condition. */
export interface ConditionSql {
  always: string;
  field(c: Extract<DeviceCondition, { kind: 'field' }>, args: (string | number)[]): string;
  parameter(
    c: Extract<DeviceCondition, { kind: 'parameter' }>,
    args: (string | number)[],
    isIndexed: (path: string) => boolean,
  ): string;
}

/**
 * `probe`: each condition tested on one device at a time (a primary-key lookup), for a scan that already has
 * its devices in hand; by default tags and marked parameters are looked up through their indexes instead.
 */
export function filterWhere(
  engine: ConditionSql,
  filter: readonly DeviceCondition[] | undefined,
  isIndexed: (path: string) => boolean,
  probe = false,
): Where {
  if (filter === undefined || filter.length === 0) return { sql: engine.always, args: [] };
  if (!Array.isArray(filter) || filter.length > MAX_CONDITIONS) {
    throw invalid(`a filter is a list of at most ${MAX_CONDITIONS} conditions`);
  }
  const args: (string | number)[] = [];
  const parts = filter.map((c: DeviceCondition) => {
    switch (c?.kind) {
      case 'field':
        return engine.field(c, args);
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
        return engine.parameter(c, args, probe ? () => false : isIndexed);
      default:
        throw invalid(`unknown condition kind ${excerpt(String((c as { kind?: unknown })?.kind))}`);
    }
  });
  return { sql: parts.map((p) => `(${p})`).join(' AND '), args };
}
