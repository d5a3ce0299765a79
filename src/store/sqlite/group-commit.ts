import type { Database, Statement } from 'better-sqlite3';
import type { WalSync } from './wal-sync.ts';

/**
 * Group commit: the writes of many store calls share one transaction and so one fsync, and each call's promise
 * resolves only once that transaction is committed — a caller (and so a CPE) is never told of a write that a
 * power loss could undo, yet the cost of `synchronous = FULL` (an fsync, ~0.3 ms here) is paid once per group
 * instead of once per call.
 *
 * A call's own work runs at once, inside a savepoint of the open group: a call that throws undoes only its own
 * writes and rejects at once; the others carry on. The group commits on the next turn of the event loop, but
 * never sooner than `intervalMs` (or four times the last commit's duration, when the disk is slow) after the
 * previous commit: a lone write after a quiet spell commits at once, and under load commits come every
 * `intervalMs` with everything written meanwhile. If the COMMIT itself fails
 * (a full disk), the whole group is rolled back and every call in it rejects with that error.
 *
 * With a `WalSync` (wal-sync.ts), the COMMIT writes the WAL without an fsync and the group's callers are told
 * once the WAL's fdatasync, in the thread pool, is done; meanwhile the event loop serves other CPEs and the next
 * group gathers, committed when that sync is over (one fsync in flight at a time, as many writes as came
 * meanwhile behind the next). Without one, the COMMIT syncs (or not) as the connection's `synchronous` says.
 *
 * While a group is open, reads on this connection see its writes (one connection, one transaction): an API read
 * may see a write a few milliseconds before it is durable. SQLite's write lock is held for at most `intervalMs`
 * plus the group's own work; other processes wait on the busy timeout as before.
 */
/** The longest a write waits for its commit when the disk is slow. */
const MAX_GAP_MS = 20;

/** What the store hears of its transactions, to keep what it remembers true (context.ts). */
export interface TransactionHooks {
  /** A write transaction has just begun. */
  begun(): void;
  /** Writes were undone: a call's own, or a whole group's whose COMMIT failed. */
  rolledBack(): void;
}

const NO_HOOKS: TransactionHooks = { begun: () => {}, rolledBack: () => {} };

export class GroupCommit {
  readonly #db: Database;
  readonly #intervalMs: number;
  readonly #begin: Statement;
  readonly #commit: Statement;
  readonly #rollback: Statement;
  readonly #savepoint: (fn: () => unknown) => unknown;
  readonly #hooks: TransactionHooks;
  readonly #wal: WalSync | null;
  #waiting: Waiter[] = [];
  /** Callers of the group whose WAL sync is in flight; null: none is. */
  #syncing: Waiter[] | null = null;
  #timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  #lastCommit = 0;
  #commitMs = 0;

  /** `intervalMs` 0: every call is its own transaction, committed before the call returns (no grouping). */
  constructor(
    db: Database,
    intervalMs: number,
    hooks: TransactionHooks = NO_HOOKS,
    wal: WalSync | null = null,
  ) {
    this.#db = db;
    this.#intervalMs = intervalMs;
    this.#hooks = hooks;
    this.#wal = wal;
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.#rollback = db.prepare('ROLLBACK');
    const tx = db.transaction((fn: () => unknown) => fn());
    // Inside the open group better-sqlite3 makes this a savepoint; outside, its own IMMEDIATE transaction.
    this.#savepoint = (fn) => tx.immediate(fn);
  }

  /** Runs `fn` in the open group (opening one if needed); resolves with its value once committed. */
  write<T>(fn: () => T): Promise<T> {
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
      const wal = this.#wal;
      if (wal === null || !opened) return Promise.resolve(value);
      return new Promise((resolve, reject) =>
        wal.sync((error) => (error === null ? resolve(value) : reject(error))),
      );
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
    const { promise, resolve, reject } = withResolvers<void>();
    this.#waiting.push({ resolve, reject });
    this.#schedule();
    return promise.then(() => value);
  }

  /** Commits the open group now and makes it durable before returning (the store is closing). */
  flush(): void {
    this.#commitGroup(true);
  }

  /** Commits the open group; `now`: and syncs it (and any group whose sync is in flight) before returning. */
  #commitGroup(now: boolean): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer as NodeJS.Timeout);
      clearImmediate(this.#timer as NodeJS.Immediate);
      this.#timer = undefined;
    }
    // One sync in flight at a time: this group goes on gathering writes until it is done (see #synced).
    if (this.#syncing !== null && !now) return;
    const waiting = this.#waiting;
    this.#waiting = [];
    if (this.#db.inTransaction && !this.#commitOpen(waiting)) return;
    const wal = this.#wal;
    if (wal === null) {
      settle(waiting, null);
    } else if (now) {
      const syncing = this.#syncing ?? [];
      this.#syncing = null; // the sync in flight, when it ends, finds its callers already told
      let error: unknown = null;
      try {
        if (syncing.length + waiting.length > 0) wal.syncNow();
      } catch (e) {
        error = e;
      }
      settle([...syncing, ...waiting], error);
    } else if (waiting.length > 0) {
      this.#syncing = waiting;
      const started = performance.now();
      wal.sync((error) => {
        // The sync is part of what a commit costs: the gap to the next one follows it (#schedule).
        this.#commitMs += performance.now() - started;
        this.#synced(waiting, error);
      });
    }
  }

  /** COMMIT; false when it failed: the group is rolled back and its callers have the error. */
  #commitOpen(waiting: readonly Waiter[]): boolean {
    const started = performance.now();
    try {
      this.#commit.run();
      return true;
    } catch (e) {
      try {
        if (this.#db.inTransaction) this.#rollback.run();
      } catch {
        // The connection is past saving (an I/O error): every call from now on fails with its own error.
      }
      this.#hooks.rolledBack();
      settle(waiting, e);
      return false;
    } finally {
      const end = performance.now();
      this.#commitMs = end - started;
      this.#lastCommit = end;
    }
  }

  /** A group's WAL sync is over: its callers hear of their writes, and the group gathered meanwhile is due. */
  #synced(waiting: Waiter[], error: Error | null): void {
    if (this.#syncing !== waiting) return;
    this.#syncing = null;
    settle(waiting, error);
    if (this.#waiting.length > 0) this.#schedule();
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    // Commits (fsyncs) take at most a fifth of the time, however slow the disk is at the moment.
    const gap = Math.max(this.#intervalMs, Math.min(MAX_GAP_MS, 4 * this.#commitMs));
    const wait = this.#lastCommit + gap - performance.now();
    const commit = () => this.#commitGroup(false);
    this.#timer = wait >= 1 ? setTimeout(commit, wait) : setImmediate(commit);
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

function settle(waiting: readonly Waiter[], error: unknown): void {
  for (const w of waiting) {
    if (error === null) w.resolve();
    else w.reject(error);
  }
}

/** `Promise.withResolvers` (Node 22 and later). */
export function withResolvers<T>(): {
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
