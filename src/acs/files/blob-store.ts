import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * The bytes of served files and device uploads, behind an interface (the store keeps their metadata). A blob
 * is named by an id the blob store makes (32 random hex characters); nothing a user or device sends ever
 * becomes part of a file-system name, and every id is checked against that shape before it touches the
 * disk, so `../` and friends cannot reach outside the blob directory.
 */
export const BLOB_ID = /^[0-9a-f]{32}$/;

export function isBlobId(value: unknown): value is string {
  return typeof value === 'string' && BLOB_ID.test(value);
}

export interface BlobLimits {
  /** The most bytes accepted; one more and the write fails with 'too-large'. */
  maxBytes: number;
}

export interface StoredBlob {
  id: string;
  size: number;
  /** Lower-case hex, computed while streaming. */
  sha256: string;
}

/** Inclusive byte range, as HTTP Range has it. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface BlobRead {
  /** The blob's whole size (not the range's). */
  size: number;
  stream: Readable;
}

export type BlobErrorReason = 'too-large' | 'invalid-range' | 'aborted';

export class BlobError extends Error {
  override readonly name = 'BlobError';
  constructor(
    readonly reason: BlobErrorReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface BlobStore {
  /** Store the bytes of `source`; nothing is kept if it fails (too large, aborted, I/O). */
  put(source: AsyncIterable<Uint8Array>, limits: BlobLimits): Promise<StoredBlob>;
  /** The blob's bytes (or a range of them); null for an unknown or malformed id. */
  get(id: string, range?: ByteRange): Promise<BlobRead | null>;
  /** Its size, or null. */
  size(id: string): Promise<number | null>;
  /** True if something was deleted. */
  delete(id: string): Promise<boolean>;
}

const TEMP_PREFIX = '.tmp-';

/**
 * Blobs as files under `<dataDir>/files/` (directory 0700, files 0600). A write goes to a temporary file in
 * the same directory, is fsynced, then renamed into place: a reader sees the whole blob or none, and a crash
 * mid-write leaves only a temporary file, which the next start removes.
 */
export class FsBlobStore implements BlobStore {
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  static async open(dataDir: string): Promise<FsBlobStore> {
    const dir = join(dataDir, 'files');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    for (const name of await readdir(dir)) {
      if (name.startsWith(TEMP_PREFIX)) await unlink(join(dir, name)).catch(() => undefined);
    }
    return new FsBlobStore(dir);
  }

  async put(source: AsyncIterable<Uint8Array>, limits: BlobLimits): Promise<StoredBlob> {
    const max = limits.maxBytes;
    if (!Number.isSafeInteger(max) || max < 0) throw new RangeError('maxBytes is a whole number');
    const id = randomBytes(16).toString('hex');
    const temp = join(this.dir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
    const file = await open(temp, 'wx', 0o600);
    const hash = createHash('sha256');
    let size = 0;
    let closed = false;
    try {
      for await (const chunk of source) {
        size += chunk.byteLength;
        if (size > max) throw new BlobError('too-large', `more than ${max} bytes`);
        hash.update(chunk);
        await file.write(chunk);
      }
      await file.sync();
      await file.close();
      closed = true;
      await rename(temp, this.#path(id));
      return { id, size, sha256: hash.digest('hex') };
    } catch (e) {
      if (!closed) await file.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      if (e instanceof BlobError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ABORT_ERR') {
        throw new BlobError('aborted', 'the sender went away before the end', { cause: e });
      }
      throw e;
    }
  }

  async get(id: string, range?: ByteRange): Promise<BlobRead | null> {
    if (!isBlobId(id)) return null;
    let file: Awaited<ReturnType<typeof open>>;
    try {
      file = await open(this.#path(id), 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    try {
      const { size } = await file.stat();
      if (
        range !== undefined &&
        !(
          Number.isSafeInteger(range.start) &&
          Number.isSafeInteger(range.end) &&
          range.start >= 0 &&
          range.start <= range.end &&
          range.end < size
        )
      ) {
        throw new BlobError('invalid-range', `range outside 0-${size - 1}`);
      }
      // Reading from the descriptor opened above: a concurrent delete or replace cannot swap the bytes.
      const stream = file.createReadStream(
        range === undefined ? {} : { start: range.start, end: range.end },
      );
      return { size, stream };
    } catch (e) {
      await file.close().catch(() => undefined);
      throw e;
    }
  }

  async size(id: string): Promise<number | null> {
    if (!isBlobId(id)) return null;
    try {
      return (await stat(this.#path(id))).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async delete(id: string): Promise<boolean> {
    if (!isBlobId(id)) return false;
    try {
      await unlink(this.#path(id));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  }

  #path(id: string): string {
    return join(this.dir, id);
  }
}
