import { closeSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';
import { withResolvers } from './group-commit.ts';

/**
 * Makes what SQLite wrote to its write-ahead log durable, off the event loop. The connection runs with
 * `synchronous = NORMAL`: a COMMIT writes its frames to the WAL without an fsync (checkpoints still sync). Group
 * commit (group-commit.ts) then calls `sync` and tells its callers of their writes only once the WAL is on disk:
 * the guarantee of `synchronous = FULL` (a commit acknowledged is a commit that survives a power loss), with
 * the fsync in libuv's thread pool instead of holding the one thread that serves every CPE for its duration.
 */
export class WalSync {
  readonly #path: string;
  #fd: number | null = null;
  #inFlight = 0;
  #closed = false;
  readonly #released = withResolvers<void>();

  /** `databasePath`: the database file; its WAL is beside it (`-wal`). */
  constructor(databasePath: string) {
    this.#path = `${databasePath}-wal`;
  }

  /** fdatasync the WAL as it is now; `done` once it is on disk (or with the error that kept it from it). */
  sync(done: (error: Error | null) => void): void {
    let fd: number;
    try {
      fd = this.#open();
    } catch (error) {
      queueMicrotask(() => done(error as Error));
      return;
    }
    this.#inFlight++;
    fdatasync(fd, (error) => {
      this.#inFlight--;
      if (this.#closed) this.#release();
      done(error);
    });
  }

  /** The same, before returning (the store is closing). */
  syncNow(): void {
    fdatasyncSync(this.#open());
  }

  /** Lets go of the WAL's descriptor; resolves once it is closed (the syncs still in flight done with it). */
  close(): Promise<void> {
    this.#closed = true;
    this.#release();
    return this.#released.promise;
  }

  /**
   * The WAL's descriptor, opened at the first sync (SQLite creates the file with its first write). SQLite deletes
   * the WAL only when the last connection to the database closes, and this store's is open until `close`.
   */
  #open(): number {
    if (this.#closed) throw new Error('the store is closed');
    this.#fd ??= openSync(this.#path, 'r');
    return this.#fd;
  }

  #release(): void {
    if (this.#inFlight > 0) return;
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
    this.#released.resolve();
  }
}
