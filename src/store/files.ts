/**
 * Files the ACS serves to devices (firmware images, configuration files, other Download targets) and files
 * devices upload to it (configuration backups, logs). The store keeps only metadata; the bytes live in a
 * blob store (src/acs/files/blob-store.ts) under an opaque `blobId` the caller got from it. The store never
 * derives a file-system name from anything here.
 *
 * File ids are 32 random hex characters (they appear in download URLs, which are signed anyway). Uploads are
 * per device (keyed by the device's integer key, as every per-device row, and deleted with the device; the
 * caller deletes the blobs it no longer references).
 */

/** TR-069 FileType: `<n> <words>` or a vendor `X <OUI or token> <words>`, at most 64 characters (cwmp §8.1). */
export const FILE_TYPE = /^(?:[1-9]\d*|X)(?: \S+)+$/;
export const MAX_FILE_TYPE_LENGTH = 64;

export function isFileType(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_FILE_TYPE_LENGTH && FILE_TYPE.test(value);
}

/** A SHA-256 as 64 lower-case hex characters. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Which devices a file is meant for; null means any. */
export interface FileTarget {
  oui: string | null;
  productClass: string | null;
  softwareVersion: string | null;
}

export interface FileRecord {
  id: string;
  name: string;
  fileType: string;
  target: FileTarget;
  /** Bytes. */
  size: number;
  /** Lower-case hex. */
  sha256: string;
  /** Where the bytes are, in the blob store. */
  blobId: string;
  createdAt: number;
  createdBy: string | null;
}

export interface FileInput {
  name: string;
  fileType: string;
  target?: Partial<FileTarget>;
  size: number;
  sha256: string;
  blobId: string;
  createdBy?: string | null;
}

export interface FileUpdate {
  name?: string;
  target?: Partial<FileTarget>;
}

export interface FileFilter {
  fileType?: string;
  /** Files whose target admits this OUI (target OUI equal, or null). Likewise the others. */
  oui?: string;
  productClass?: string;
  softwareVersion?: string;
  /** Default 100, at most 10,000; newest first. */
  limit?: number;
  offset?: number;
}

export interface UploadRecord {
  id: string;
  deviceId: string;
  fileType: string;
  name: string;
  size: number;
  sha256: string;
  blobId: string;
  receivedAt: number;
}

export interface UploadInput {
  fileType: string;
  name: string;
  size: number;
  sha256: string;
  blobId: string;
  /** Default: now. */
  at?: number;
  /**
   * The signed upload URL it came through (opaque, unique per URL): a second upload with the same grant is
   * refused with conflict — one upload per URL.
   */
  grantId?: string;
}

export interface FileStore {
  /**
   * Rejects with invalid for a bad name, FileType, size or checksum; conflict for a blob already used, or a name
   * another file has (the message names that file's id).
   */
  create(input: FileInput): Promise<FileRecord>;
  get(id: string): Promise<FileRecord | null>;
  list(filter?: FileFilter): Promise<FileRecord[]>;
  /**
   * Change a file's metadata: its name and whom it is meant for (a field of `target` given as null means any; one
   * left out is kept; a name another file has is a conflict). The bytes, their size, checksum and FileType never change: a new image is a new file.
   * Null when there is no such file; rejects with invalid as `create` does.
   */
  update(id: string, change: FileUpdate): Promise<FileRecord | null>;
  /** The record deleted (so the caller can delete its blob), or null if there was none. */
  delete(id: string): Promise<FileRecord | null>;
  /** Rejects with not-found for an unknown device; conflict for a blob or a `grantId` already used. */
  recordUpload(deviceId: string, input: UploadInput): Promise<UploadRecord>;
  /** Whether an upload came through this grant already (checked before the body is read; recordUpload decides). */
  uploadGrantUsed(grantId: string): Promise<boolean>;
  getUpload(id: string): Promise<UploadRecord | null>;
  /** The device's uploads, newest first. Rejects with not-found for an unknown device. */
  uploads(deviceId: string, options?: { limit?: number; offset?: number }): Promise<UploadRecord[]>;
  /** The record deleted, or null. */
  deleteUpload(id: string): Promise<UploadRecord | null>;
}
