import type { Database, Statement } from 'better-sqlite3';
import { StoreError } from '../errors.ts';
import type { CommitSync } from './wal-sync.ts';

/**
 * Group commit: the writes of many store calls share one transaction and so one fsync, and each call's promise
 * resolves only once that transaction is committed — a caller (and so a CPE) is never told of a write that a
 * power loss could undo, yet the cost of `synchronous = FULL` (an fsync, ~0.3 ms here) is paid once per group
 * instead of once per call.
 *
 * A call's own work runs at once, inside a savepoint of the open group: a call that throws undoes only its own
 * writes and rejects at once; the others carry on. The group commits on the next turn of the event loop, but
 * never sooner than `intervalMs` (or four times the last commit's duration, when the disk is slow) after the
 * previous commit while every turn brings more writes: a lone write after a quiet spell commits at once, under
 * load commits come every `intervalMs` with everything written meanwhile, and a turn without writes ends the wait
 * (nothing else would run meanwhile). If the COMMIT itself fails
 * (a full disk), the whole group is rolled back and every call in it rejects with that error.
 *
 * While a group is open, reads on this connection see its writes (one connection, one transaction): an API read
 * may see a write a few milliseconds before it is durable. SQLite's write lock is held for at most `intervalMs`
 * plus the group's own work; other processes wait on the busy timeout as before.
 *
 * With a `CommitSync` (wal-sync.ts) the COMMIT only writes the WAL and the fsync runs off the event loop: the
 * group's callers are told once it is done, and meanwhile the next group gathers (it commits once that fsync is
 * done). If an fsync fails, what it covered may not be on the disk whatever SQLite believes: that group's calls
 * reject with the error, and so does every write after it until the store is opened again.
 */
/** The longest a write waits for its commit when the disk is slow. */
const MAX_GAP_MS = 20;

/** What the store hears of its transactions, to keep what it remembers true (context.ts). */
export interface TransactionHooks {
  /** A write transaction has just begun. */
  begun(): void;
  /** Writes were undone: a call's own, or a whole group's whose COMMIT failed. */
  rolledBack(): void;
  /** A transaction has just been committed. */
  committed(): void;
}

const NO_HOOKS: TransactionHooks = { begun: () => {}, rolledBack: () => {}, committed: () => {} };

export class GroupCommit {
  readonly #db: Database;
  readonly #intervalMs: number;
  readonly #begin: Statement;
  readonly #commit: Statement;
  readonly #rollback: Statement;
  readonly #savepoint: (fn: () => unknown) => unknown;
  readonly #hooks: TransactionHooks;
  readonly #commitSync: CommitSync | null;
  #waiting: Waiter[] = [];
  /** The callers of the group whose fsync is in flight. */
  #syncing: Waiter[] | null = null;
  /** Why the disk cannot be trusted any more: a failed fsync. */
  #failed: unknown;
  #timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  /** The check for a turn of the event loop without writes, while the gap runs (#watchForQuiet). */
  #quietCheck: NodeJS.Immediate | undefined;
  /** Calls written so far; compared across a turn of the loop to see whether it wrote anything. */
  #writes = 0;
  #lastCommit = 0;
  /** When the last COMMIT began: its fsync's end, less this, is the commit's whole duration. */
  #commitStarted = 0;
  #commitMs = 0;

  /** `intervalMs` 0: every call is its own transaction, committed before the call returns (no grouping). */
  constructor(
    db: Database,
    intervalMs: number,
    hooks: TransactionHooks = NO_HOOKS,
    commitSync: CommitSync | null = null,
  ) {
    this.#db = db;
    this.#intervalMs = intervalMs;
    this.#hooks = hooks;
    this.#commitSync = intervalMs === 0 ? null : commitSync;
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.#rollback = db.prepare('ROLLBACK');
    const tx = db.transaction((fn: () => unknown) => fn());
    // Inside the open group better-sqlite3 makes this a savepoint; outside, its own IMMEDIATE transaction.
    this.#savepoint = (fn) => tx.immediate(fn);
  }

  /** Runs `fn` in the open group (opening one if needed); resolves with its value once committed. */
  write<T>(fn: () => T): Promise<T> {
    if (this.#failed !== undefined) throw this.#failed;
    const opened = !this.#db.inTransaction;
    if (this.#intervalMs === 0) {
      const own = opened
        ? () => {
            this.#hooks.begun();
            return fn();
          }
        : fn;
      let value: T;
      try {
        value = this.#savepoint(own) as T;
      } catch (e) {
        this.#hooks.rolledBack();
        throw e;
      }
      if (opened) this.#hooks.committed();
      return Promise.resolve(value);
    }
    if (opened) {
      this.#begin.run();
      this.#hooks.begun();
    }
    let value: T;
    try {
      value = this.#savepoint(fn) as T;
    } catch (e) {
      this.#hooks.rolledBack();
      if (opened && this.#waiting.length === 0) this.#end();
      throw e;
    }
    this.#writes++;
    const { promise, resolve, reject } = withResolvers<void>();
    this.#waiting.push({ resolve, reject });
    this.#schedule();
    return promise.then(() => value);
  }

  /** Commits the open group now, durably before it returns (the store is closing). */
  flush(): void {
    this.#unschedule();
    const inFlight = this.#syncing ?? [];
    this.#syncing = null; // the sync below covers the one in flight: its outcome is no longer awaited
    const waiting = this.#waiting;
    this.#waiting = [];
    const tell = this.#commitGroup(waiting) ? [...inFlight, ...waiting] : inFlight;
    if (tell.length === 0) return;
    try {
      this.#commitSync?.syncNow();
    } catch (e) {
      this.#fail(e, tell);
      return;
    }
    for (const w of tell) w.resolve();
  }

  /** Commits the open group durably and lets go of the CommitSync (the store is closing). */
  close(): void {
    this.flush();
    this.#commitSync?.close();
  }

  /** The timer's commit: with a CommitSync the fsync runs in the thread pool, the next group gathering meanwhile. */
  #flushGroup(): void {
    this.#unschedule();
    const waiting = this.#waiting;
    this.#waiting = [];
    if (!this.#commitGroup(waiting)) return;
    if (this.#commitSync === null) {
      for (const w of waiting) w.resolve();
      return;
    }
    this.#syncing = waiting;
    this.#commitSync.sync().then(
      () => this.#synced(waiting, undefined),
      (e: unknown) => this.#synced(waiting, e ?? new Error('fsync failed')),
    );
  }

  #synced(waiting: Waiter[], error: unknown): void {
    if (this.#syncing !== waiting) return; // flush() synced it first and told its callers
    this.#syncing = null;
    // The commit's cost is its fsync's too: it sets how far apart commits come (#schedule).
    this.#commitMs = performance.now() - this.#commitStarted;
    if (error !== undefined) {
      this.#fail(error, waiting);
      return;
    }
    for (const w of waiting) w.resolve();
    if (this.#waiting.length > 0) this.#schedule();
  }

  /** A failed fsync: its group, the open one and every write from now on fail with its error. */
  #fail(cause: unknown, waiting: Waiter[]): void {
    const error = new StoreError(
      'disk-failed',
      'store',
      `the disk failed to sync the database (${(cause as NodeJS.ErrnoException).code ?? String(cause)}): nothing more is written until the store is opened again`,
      { cause },
    );
    this.#failed = error;
    for (const w of waiting) w.reject(error);
    const open = this.#waiting;
    this.#waiting = [];
    try {
      if (this.#db.inTransaction) this.#rollback.run();
    } catch {
      // Past saving: nothing is written from now on anyway.
    }
    this.#hooks.rolledBack();
    for (const w of open) w.reject(error);
  }

  /** COMMITs the open group; false when there was none, or the COMMIT failed (its callers are rejected). */
  #commitGroup(waiting: Waiter[]): boolean {
    if (!this.#db.inTransaction) return false;
    const started = performance.now();
    this.#commitStarted = started;
    try {
      this.#commit.run();
    } catch (e) {
      try {
        if (this.#db.inTransaction) this.#rollback.run();
      } catch {
        // The connection is past saving (an I/O error): every call from now on fails with its own error.
      }
      this.#hooks.rolledBack();
      for (const w of waiting) w.reject(e);
      return false;
    } finally {
      const end = performance.now();
      this.#commitMs = end - started;
      this.#lastCommit = end;
    }
    this.#hooks.committed();
    return true;
  }

  #schedule(): void {
    // One fsync in flight at a time: the group gathering meanwhile commits when it is done (#synced).
    if (this.#timer !== undefined || this.#syncing !== null) return;
    // Commits (fsyncs) take at most a fifth of the time, however slow the disk is at the moment.
    const gap = Math.max(this.#intervalMs, Math.min(MAX_GAP_MS, 4 * this.#commitMs));
    const wait = this.#lastCommit + gap - performance.now();
    if (wait < 1) {
      this.#timer = setImmediate(() => this.#flushGroup());
      return;
    }
    this.#timer = setTimeout(() => this.#flushGroup(), wait);
    this.#watchForQuiet(-1);
  }

  /**
   * The gap spaces commits out while writes keep coming; once a whole turn of the event loop passes without a
   * write, the ACS has nothing else to do and waiting out the gap would only hold the group's callers back.
   */
  #watchForQuiet(writesBefore: number): void {
    this.#quietCheck = setImmediate(() => {
      this.#quietCheck = undefined;
      if (this.#writes === writesBefore) this.#flushGroup();
      else this.#watchForQuiet(this.#writes);
    });
  }

  /** The group commits now: its timer and its quiet check are called off. */
  #unschedule(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer as NodeJS.Timeout);
      clearImmediate(this.#timer as NodeJS.Immediate);
      this.#timer = undefined;
    }
    if (this.#quietCheck !== undefined) {
      clearImmediate(this.#quietCheck);
      this.#quietCheck = undefined;
    }
  }

  /** Ends a group that a failed first call opened and nothing else joined. */
  #end(): void {
    if (this.#db.inTransaction) this.#rollback.run();
  }
}

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
}

function withResolvers<T>(): {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
} {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
