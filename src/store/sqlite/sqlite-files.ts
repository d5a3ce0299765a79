import { StoreError } from '../errors.ts';
import {
  checkBlob,
  checkFileInput,
  type FileRow,
  fileListQuery,
  fileOf,
  fileText,
  fileType,
  fileUpdateColumns,
  GRANT_USED,
  grantId,
  newId,
  UPLOAD_SELECT,
  type UploadRow,
  uploadOf,
} from '../file-rows.ts';
import type {
  FileFilter,
  FileInput,
  FileRecord,
  FileStore,
  FileUpdate,
  UploadInput,
  UploadRecord,
} from '../files.ts';
import { page } from '../paging.ts';
import { DEFAULT_PAGE, MAX_PAGE } from '../store.ts';
import { type Context, isUniqueViolation } from './context.ts';

/** A name is unique among files (an operator picks a file by it; two alike would hide which one a task uses). */
function nameTaken(ctx: Context, name: string, except: string | null): StoreError | null {
  const row = ctx.stmt('SELECT id FROM files WHERE name = ?').get(name) as
    | { id: string }
    | undefined;
  if (row === undefined || row.id === except) return null;
  return new StoreError('conflict', 'file', `a file with this name exists already: ${row.id}`);
}

export class SqliteFiles implements FileStore {
  readonly #ctx: Context;

  constructor(ctx: Context) {
    this.#ctx = ctx;
  }

  async create(input: FileInput): Promise<FileRecord> {
    const ctx = this.#ctx;
    const { name, type, oui, productClass, softwareVersion, createdBy } = checkFileInput(input);
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
    const { sql, args } = fileListQuery(filter);
    return (ctx.stmt(sql).all(...args) as FileRow[]).map(fileOf);
  }

  async update(id: string, change: FileUpdate): Promise<FileRecord | null> {
    const ctx = this.#ctx;
    const { name, columns } = fileUpdateColumns(change);
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
    const name = fileText(input.name, 'an upload name');
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
