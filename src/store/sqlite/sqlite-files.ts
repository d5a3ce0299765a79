import { randomBytes } from 'node:crypto';
import { StoreError } from '../errors.ts';
import {
  type FileFilter,
  type FileInput,
  type FileRecord,
  type FileStore,
  type FileUpdate,
  isFileType,
  SHA256_HEX,
  type UploadInput,
  type UploadRecord,
} from '../files.ts';
import { page } from '../paging.ts';
import { DEFAULT_PAGE, MAX_PAGE } from '../store.ts';
import { type Context, isUniqueViolation } from './context.ts';

interface FileRow {
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

interface UploadRow {
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

const GRANT_USED = () =>
  new StoreError('conflict', 'file', 'this upload URL has been used already (one upload per URL)');

function newId(): string {
  return randomBytes(16).toString('hex');
}

function text(value: unknown, what: string): string {
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

function optionalText(value: unknown, what: string): string | null {
  return value == null ? null : text(value, what);
}

function checkBlob(input: { size: unknown; sha256: unknown; blobId: unknown }): void {
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

/** A name is unique among files (an operator picks a file by it; two alike would hide which one a task uses). */
function nameTaken(ctx: Context, name: string, except: string | null): StoreError | null {
  const row = ctx.stmt('SELECT id FROM files WHERE name = ?').get(name) as
    | { id: string }
    | undefined;
  if (row === undefined || row.id === except) return null;
  return new StoreError('conflict', 'file', `a file with this name exists already: ${row.id}`);
}

function grantId(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !BLOB_ID.test(value)) {
    throw new StoreError('invalid', 'file', 'a grant id is 1-128 printable ASCII characters');
  }
  return value;
}

function fileType(value: unknown): string {
  if (!isFileType(value)) {
    throw new StoreError('invalid', 'file', 'a FileType is "<n> <name>" or "X <vendor> <name>"');
  }
  return value;
}

function fileOf(r: FileRow): FileRecord {
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

function uploadOf(r: UploadRow): UploadRecord {
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

const UPLOAD_SELECT = `SELECT u.id, d.id AS device_id, u.file_type, u.name, u.size, u.sha256, u.blob_id,
  u.received_at FROM device_uploads u JOIN devices d ON d.key = u.device_key`;

export class SqliteFiles implements FileStore {
  readonly #ctx: Context;

  constructor(ctx: Context) {
    this.#ctx = ctx;
  }

  async create(input: FileInput): Promise<FileRecord> {
    const ctx = this.#ctx;
    if (typeof input !== 'object' || input === null) {
      throw new StoreError('invalid', 'file', 'a file is an object');
    }
    const name = text(input.name, 'a file name');
    const type = fileType(input.fileType);
    checkBlob(input);
    const target = input.target ?? {};
    const oui = optionalText(target.oui, 'a target OUI');
    const productClass = optionalText(target.productClass, 'a target ProductClass');
    const softwareVersion = optionalText(target.softwareVersion, 'a target software version');
    const createdBy = optionalText(input.createdBy, 'createdBy');
    const id = newId();
    return ctx.write(() => {
      const taken = nameTaken(ctx, name, null);
      if (taken !== null) throw taken;
      try {
        ctx
          .stmt(
            `INSERT INTO files (id, name, file_type, target_oui, target_product_class,
               target_software_version, size, sha256, blob_id, created_at, created_by)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            id,
            name,
            type,
            oui,
            productClass,
            softwareVersion,
            input.size,
            input.sha256,
            input.blobId,
            ctx.now(),
            createdBy,
          );
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw new StoreError('conflict', 'file', 'that blob already belongs to a file');
        }
        throw e;
      }
      return fileOf(ctx.stmt('SELECT * FROM files WHERE id = ?').get(id) as FileRow);
    });
  }

  async get(id: string): Promise<FileRecord | null> {
    const row = this.#ctx.stmt('SELECT * FROM files WHERE id = ?').get(String(id)) as
      | FileRow
      | undefined;
    return row === undefined ? null : fileOf(row);
  }

  async list(filter: FileFilter = {}): Promise<FileRecord[]> {
    const ctx = this.#ctx;
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
    return (ctx.stmt(sql).all(...args, limit, offset) as FileRow[]).map(fileOf);
  }

  async update(id: string, change: FileUpdate): Promise<FileRecord | null> {
    const ctx = this.#ctx;
    if (typeof change !== 'object' || change === null) {
      throw new StoreError('invalid', 'file', 'a change is an object');
    }
    const name = change.name === undefined ? undefined : text(change.name, 'a file name');
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
    return ctx.write(() => {
      const taken = name === undefined ? null : nameTaken(ctx, name, String(id));
      if (taken !== null) throw taken;
      if (columns.length > 0) {
        ctx
          .stmt(`UPDATE files SET ${columns.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`)
          .run(...columns.map(([, v]) => v), String(id));
      }
      const row = ctx.stmt('SELECT * FROM files WHERE id = ?').get(String(id)) as
        | FileRow
        | undefined;
      return row === undefined ? null : fileOf(row);
    });
  }

  async delete(id: string): Promise<FileRecord | null> {
    const ctx = this.#ctx;
    return ctx.write(() => {
      const row = ctx.stmt('SELECT * FROM files WHERE id = ?').get(String(id)) as
        | FileRow
        | undefined;
      if (row === undefined) return null;
      ctx.stmt('DELETE FROM files WHERE id = ?').run(row.id);
      return fileOf(row);
    });
  }

  async recordUpload(deviceId: string, input: UploadInput): Promise<UploadRecord> {
    const ctx = this.#ctx;
    if (typeof input !== 'object' || input === null) {
      throw new StoreError('invalid', 'file', 'an upload is an object');
    }
    const type = fileType(input.fileType);
    const name = text(input.name, 'an upload name');
    checkBlob(input);
    const grant = grantId(input.grantId);
    const id = newId();
    return ctx.write(() => {
      const key = ctx.requireKey(deviceId);
      const at = ctx.timeOr(input.at, 'at');
      if (grant !== null && this.#grantUsed(grant)) throw GRANT_USED();
      try {
        ctx
          .stmt(
            `INSERT INTO device_uploads (id, device_key, file_type, name, size, sha256, blob_id, received_at,
               grant_id)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(id, key, type, name, input.size, input.sha256, input.blobId, at, grant);
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw new StoreError('conflict', 'file', 'that blob already belongs to an upload');
        }
        throw e;
      }
      return uploadOf(ctx.stmt(`${UPLOAD_SELECT} WHERE u.id = ?`).get(id) as UploadRow);
    });
  }

  async uploadGrantUsed(grantId: string): Promise<boolean> {
    return this.#grantUsed(String(grantId));
  }

  #grantUsed(grant: string): boolean {
    return (
      this.#ctx.stmt('SELECT 1 FROM device_uploads WHERE grant_id = ?').get(grant) !== undefined
    );
  }

  async getUpload(id: string): Promise<UploadRecord | null> {
    const row = this.#ctx.stmt(`${UPLOAD_SELECT} WHERE u.id = ?`).get(String(id)) as
      | UploadRow
      | undefined;
    return row === undefined ? null : uploadOf(row);
  }

  async uploads(
    deviceId: string,
    options: { limit?: number; offset?: number } = {},
  ): Promise<UploadRecord[]> {
    const ctx = this.#ctx;
    const limit = page(options.limit, DEFAULT_PAGE, MAX_PAGE, 'limit');
    const offset = page(options.offset, 0, Number.MAX_SAFE_INTEGER, 'offset');
    return ctx.read(() => {
      const key = ctx.requireKey(deviceId);
      return (
        ctx
          .stmt(`${UPLOAD_SELECT} WHERE u.device_key = ? ORDER BY u.key DESC LIMIT ? OFFSET ?`)
          .all(key, limit, offset) as UploadRow[]
      ).map(uploadOf);
    });
  }

  async deleteUpload(id: string): Promise<UploadRecord | null> {
    const ctx = this.#ctx;
    return ctx.write(() => {
      const row = ctx.stmt(`${UPLOAD_SELECT} WHERE u.id = ?`).get(String(id)) as
        | UploadRow
        | undefined;
      if (row === undefined) return null;
      ctx.stmt('DELETE FROM device_uploads WHERE id = ?').run(row.id);
      return uploadOf(row);
    });
  }
}
