/**
 * Parameter dumps in JSON. Three shapes are read, told apart by their form:
 *
 * 1. An array of rows (Corral's own export):
 *      [{ "name": "Device.DeviceInfo.SerialNumber", "value": "CR0001", "type": "xsd:string", "writable": false,
 *         "notification": 0, "accessList": [] },
 *       { "name": "Device.IP.Interface.", "writable": true }]
 *    An object is a name ending in '.' (or `"object": true`). `type` may carry the `xsd:` prefix or not; `value`
 *    may be a string, number or boolean. Only `name` is required.
 * 2. An object map, name → row without the name:
 *      { "Device.DeviceInfo.SerialNumber": { "value": "CR0001", "type": "string", "writable": false } }
 * 3. genieacs-sim's JSON device model, name → [writable, value, type]:
 *      { "Device.": [false], "Device.DeviceInfo.SerialNumber": [false, "CR0001", "xsd:string"] }
 */
import { DataModelLoadError } from '../load-error.ts';
import { type DumpRow, localTypeName } from './dump-row.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function shapeError(message: string, item: string): never {
  throw new DataModelLoadError('json-shape', `${item}: ${message}`, { item });
}

function scalarText(v: Json | undefined, item: string, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return shapeError(`${field} must be a string, number or boolean`, item);
}

function booleanField(v: Json | undefined, item: string, field: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 1) return true;
  if (v === 'false' || v === 0) return false;
  return shapeError(`${field} must be true or false`, item);
}

function rowFrom(name: string, fields: { [key: string]: Json }, source: string): DumpRow {
  const object = booleanField(fields.object, name, 'object') ?? name.endsWith('.');
  const row: DumpRow = { path: name, object, source };
  const writable = booleanField(fields.writable, name, 'writable');
  if (writable !== undefined) row.writable = writable;
  if (!object) {
    const value = scalarText(fields.value, name, 'value');
    if (value !== undefined) row.value = value;
    const type = scalarText(fields.type, name, 'type');
    if (type !== undefined && type !== '') row.type = localTypeName(type);
  }
  const n = fields.notification;
  if (n !== undefined && n !== null) {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 6) {
      shapeError('notification must be an integer 0..6', name);
    }
    row.notification = n;
  }
  const acl = fields.accessList;
  if (acl !== undefined && acl !== null) {
    if (!Array.isArray(acl) || acl.some((x) => typeof x !== 'string')) {
      shapeError('accessList must be an array of strings', name);
    }
    row.accessList = acl as string[];
  }
  return row;
}

/** The rows of a JSON dump given as text or as an already parsed value. Throws DataModelLoadError. */
export function readJsonDump(input: string | unknown): DumpRow[] {
  let data: Json;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input) as Json;
    } catch (e) {
      throw new DataModelLoadError('json-syntax', `not JSON: ${(e as Error).message}`, {}, e);
    }
  } else {
    data = input as Json;
  }
  if (Array.isArray(data)) {
    return data.map((entry, k) => {
      const where = `entry ${k + 1}`;
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
        shapeError('each entry must be an object', where);
      }
      const name = entry.name ?? entry.path;
      if (typeof name !== 'string' || name === '') shapeError('each entry needs a "name"', where);
      return rowFrom(name, entry, where);
    });
  }
  if (data === null || typeof data !== 'object') {
    throw new DataModelLoadError(
      'json-shape',
      'a JSON dump is an array of rows or an object keyed by name',
    );
  }
  return Object.entries(data).map(([name, v]) => {
    if (Array.isArray(v)) {
      // genieacs-sim: [writable, value, type]
      const [writable, value, type] = v;
      return rowFrom(
        name,
        { writable: writable ?? null, value: value ?? null, type: type ?? null },
        name,
      );
    }
    if (v === null || typeof v !== 'object') {
      shapeError('the value must be a row object or a [writable, value, type] array', name);
    }
    return rowFrom(name, v, name);
  });
}
