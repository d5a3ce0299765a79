import { closeSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';
import { StoreError } from '../errors.ts';

/** What makes a group's commit durable when SQLite itself does not sync it (group-commit.ts). */
export interface CommitSync {
  /** Resolves once everything written to the WAL so far is on the disk. */
  sync(): Promise<void>;
  /** The same, before it returns (the store is closing). */
  syncNow(): void;
  close(): void;
}

/**
 * `synchronous = FULL` without the wait: the store's connection commits with `synchronous = NORMAL` (SQLite writes
 * the WAL's frames and returns) and this syncs the WAL file from libuv's thread pool, so the event loop goes on
 * serving other CPEs during the fsync; a group's callers are told only once it is done (group-commit.ts). An fsync
 * of any descriptor syncs the file's every written page, SQLite's included.
 *
 * The descriptor stays valid for the store's life: SQLite removes the WAL only when the last connection to the
 * database closes, and the store's own closes last; a checkpoint that starts the WAL over keeps the same file.
 */
export class WalSync implements CommitSync {
  readonly #fd: number;
  #closed = false;

  private constructor(fd: number) {
    this.#fd = fd;
  }

  /** The WAL of the database at `databasePath`, which must already be open in WAL mode. */
  static open(databasePath: string): WalSync {
    const walPath = `${databasePath}-wal`;
    try {
      return new WalSync(openSync(walPath, 'r+'));
    } catch (e) {
      throw new StoreError('invalid', 'store', `cannot open ${walPath}: ${(e as Error).message}`);
    }
  }

  sync(): Promise<void> {
    if (this.#closed)
      return Promise.reject(new StoreError('closed', 'store', 'the store is closed'));
    return new Promise((resolve, reject) => {
      fdatasync(this.#fd, (error) => (error === null ? resolve() : reject(error)));
    });
  }

  syncNow(): void {
    fdatasyncSync(this.#fd);
  }

  /**
   * Closes the descriptor at once, even with a sync in flight: the store syncs with `syncNow` first and no longer
   * awaits that one, so whatever it meets (this file, EBADF, another file given the number since) changes nothing.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }
}
