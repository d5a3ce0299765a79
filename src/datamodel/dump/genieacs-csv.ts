/**
 * Parameter dumps in the CSV format of GenieACS's device export, which genieacs-sim loads as a device model:
 *
 *   Parameter,Object,Object timestamp,Writable,Writable timestamp,Value,Value type,Value timestamp,
 *   Notification,Notification timestamp,Access list,Access list timestamp
 *
 * Objects are rows with Object `true` and no trailing '.'; Value type is `xsd:…`; Access list items are joined
 * with ", ". The older five-column form (Parameter,Object,Writable,Value,Value type) reads the same: columns are
 * found by name, timestamps are ignored. Rows outside the data model (DeviceID.*, Events.*, Tags.*) are kept here
 * and skipped by profileFromDump.
 */
import { DataModelLoadError } from '../load-error.ts';
import { csvRowsByHeader } from './csv.ts';
import type { DumpRow } from './dump-row.ts';
import { localTypeName } from './dump-row.ts';

const REQUIRED = ['Parameter', 'Object', 'Writable', 'Value', 'Value type'] as const;

function flag(text: string | undefined, column: string, line: number): boolean | undefined {
  const t = text?.trim().toLowerCase();
  if (t === undefined || t === '') return undefined;
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  throw new DataModelLoadError('csv-syntax', `${column} must be true or false, not "${text}"`, {
    line,
  });
}

/** The rows of a genieacs CSV dump. Throws DataModelLoadError. */
export function readGenieacsCsv(text: string): DumpRow[] {
  const { header, rows } = csvRowsByHeader(text);
  const lower = new Set(header.map((h) => h.toLowerCase()));
  const missing = REQUIRED.filter((c) => !lower.has(c.toLowerCase()));
  if (missing.length > 0) {
    throw new DataModelLoadError(
      'csv-header',
      `not a genieacs dump: the header lacks ${missing.join(', ')} (it has ${header.join(', ')})`,
      { line: 1 },
    );
  }
  const out: DumpRow[] = [];
  for (const r of rows) {
    const path = (r.get('Parameter') ?? '').trim();
    if (path === '') {
      throw new DataModelLoadError('csv-syntax', 'a row without a Parameter', { line: r.line });
    }
    const object = flag(r.get('Object'), 'Object', r.line) === true;
    const row: DumpRow = { path, object, source: `line ${r.line}` };
    const writable = flag(r.get('Writable'), 'Writable', r.line);
    if (writable !== undefined) row.writable = writable;
    if (!object) {
      row.value = r.get('Value') ?? '';
      const type = localTypeName(r.get('Value type') ?? '');
      if (type !== '') row.type = type;
    }
    const notification = r.get('Notification')?.trim();
    if (notification !== undefined && notification !== '') {
      const n = Number(notification);
      if (!Number.isInteger(n) || n < 0 || n > 6) {
        throw new DataModelLoadError('csv-syntax', `Notification "${notification}" is not 0..6`, {
          line: r.line,
        });
      }
      row.notification = n;
    }
    const access = r.get('Access list')?.trim();
    if (access !== undefined && access !== '') {
      row.accessList = access
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    }
    out.push(row);
  }
  return out;
}
