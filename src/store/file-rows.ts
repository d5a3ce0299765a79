/** The files and device_uploads tables' rows, their mapping to records, and the checks on what is written to them. */
import { randomBytes } from 'node:crypto';
import { StoreError } from './errors.ts';
import type { FileFilter } from './files.ts';
import {
  type FileInput,
  type FileRecord,
  type FileUpdate,
  isFileType,
  SHA256_HEX,
  type UploadRecord,
} from './files.ts';
import { page } from './paging.ts';
import { DEFAULT_PAGE, MAX_PAGE } from './store.ts';

export interface FileRow {
  id: string;
  name: string;
  file_type: string;
  target_oui: string | null;
  target_product_class: string | null;
  target_software_version: string | null;
  size: number;
  sha256: string;
  blob_id: string;
  created_at: number;
  created_by: string | null;
}

export interface UploadRow {
  id: string;
  device_id: string;
  file_type: string;
  name: string;
  size: number;
  sha256: string;
  blob_id: string;
  received_at: number;
}

const MAX_TEXT = 256;

/** A blob id is opaque here, but short and printable: it is the blob store's to validate. */
const BLOB_ID = /^[\x21-\x7e]{1,128}$/;

export const GRANT_USED = () =>
  new StoreError('conflict', 'file', 'this upload URL has been used already (one upload per URL)');

export function newId(): string {
  return randomBytes(16).toString('hex');
}

export function fileText(value: unknown, what: string): string {
  if (
    typeof value !== 'string' ||
    value === '' ||
    value.length > MAX_TEXT ||
    !value.isWellFormed()
  ) {
    throw new StoreError('invalid', 'file', `${what} is 1-${MAX_TEXT} characters of text`);
  }
  return value;
}

export function optionalText(value: unknown, what: string): string | null {
  return value == null ? null : fileText(value, what);
}

export function checkBlob(input: { size: unknown; sha256: unknown; blobId: unknown }): void {
  if (typeof input.size !== 'number' || !Number.isSafeInteger(input.size) || input.size < 0) {
    throw new StoreError('invalid', 'file', 'a size is a non-negative whole number of bytes');
  }
  if (typeof input.sha256 !== 'string' || !SHA256_HEX.test(input.sha256)) {
    throw new StoreError('invalid', 'file', 'a SHA-256 is 64 lower-case hex characters');
  }
  if (typeof input.blobId !== 'string' || !BLOB_ID.test(input.blobId)) {
    throw new StoreError('invalid', 'file', 'a blob id is 1-128 printable ASCII characters');
  }
}

export function grantId(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !BLOB_ID.test(value)) {
    throw new StoreError('invalid', 'file', 'a grant id is 1-128 printable ASCII characters');
  }
  return value;
}

export function fileType(value: unknown): string {
  if (!isFileType(value)) {
    throw new StoreError('invalid', 'file', 'a FileType is "<n> <name>" or "X <vendor> <name>"');
  }
  return value;
}

export function fileOf(r: FileRow): FileRecord {
  return {
    id: r.id,
    name: r.name,
    fileType: r.file_type,
    target: {
      oui: r.target_oui,
      productClass: r.target_product_class,
      softwareVersion: r.target_software_version,
    },
    size: r.size,
    sha256: r.sha256,
    blobId: r.blob_id,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

export function uploadOf(r: UploadRow): UploadRecord {
  return {
    id: r.id,
    deviceId: r.device_id,
    fileType: r.file_type,
    name: r.name,
    size: r.size,
    sha256: r.sha256,
    blobId: r.blob_id,
    receivedAt: r.received_at,
  };
}

export const UPLOAD_SELECT = `SELECT u.id, d.id AS device_id, u.file_type, u.name, u.size, u.sha256, u.blob_id,
  u.received_at FROM device_uploads u JOIN devices d ON d.key = u.device_key`;

/** A new file's fields, checked (its blob too). */
export function checkFileInput(input: FileInput): {
  name: string;
  type: string;
  oui: string | null;
  productClass: string | null;
  softwareVersion: string | null;
  createdBy: string | null;
} {
  if (typeof input !== 'object' || input === null) {
    throw new StoreError('invalid', 'file', 'a file is an object');
  }
  const name = fileText(input.name, 'a file name');
  const type = fileType(input.fileType);
  checkBlob(input);
  const target = input.target ?? {};
  const oui = optionalText(target.oui, 'a target OUI');
  const productClass = optionalText(target.productClass, 'a target ProductClass');
  const softwareVersion = optionalText(target.softwareVersion, 'a target software version');
  const createdBy = optionalText(input.createdBy, 'createdBy');
  return { name, type, oui, productClass, softwareVersion, createdBy };
}

/** A file's change, checked: its new name (if any) and the columns it sets. */
export function fileUpdateColumns(change: FileUpdate): {
  name: string | undefined;
  columns: [string, string | null][];
} {
  if (typeof change !== 'object' || change === null) {
    throw new StoreError('invalid', 'file', 'a change is an object');
  }
  const name = change.name === undefined ? undefined : fileText(change.name, 'a file name');
  const target = change.target ?? {};
  const columns: [string, string | null][] = [];
  if (name !== undefined) columns.push(['name', name]);
  for (const [column, value, what] of [
    ['target_oui', target.oui, 'a target OUI'],
    ['target_product_class', target.productClass, 'a target ProductClass'],
    ['target_software_version', target.softwareVersion, 'a target software version'],
  ] as const) {
    if (value !== undefined) columns.push([column, optionalText(value, what)]);
  }
  return { name, columns };
}

/** A listing of files: its SELECT, newest first, and the values it binds (the page last). */
export function fileListQuery(filter: FileFilter): { sql: string; args: unknown[] } {
  const limit = page(filter.limit, DEFAULT_PAGE, MAX_PAGE, 'limit');
  const offset = page(filter.offset, 0, Number.MAX_SAFE_INTEGER, 'offset');
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.fileType !== undefined) {
    where.push('file_type = ?');
    args.push(String(filter.fileType));
  }
  for (const [column, value] of [
    ['target_oui', filter.oui],
    ['target_product_class', filter.productClass],
    ['target_software_version', filter.softwareVersion],
  ] as const) {
    if (value === undefined) continue;
    where.push(`(${column} IS NULL OR ${column} = ?)`);
    args.push(String(value));
  }
  const sql = `SELECT * FROM files ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
    ORDER BY key DESC LIMIT ? OFFSET ?`;
  return { sql, args: [...args, limit, offset] };
}
