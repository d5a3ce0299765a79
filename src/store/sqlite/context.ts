import type { Database, Statement } from 'better-sqlite3';
import { excerpt, notFound, StoreError } from '../errors.ts';
import type { SecretBox } from '../secret-box.ts';
import { checkTime, type Settings } from '../settings.ts';
import { GroupCommit } from './group-commit.ts';

const STATEMENT_CACHE_LIMIT = 512;
/** A decimal number as CWMP writes int, unsignedInt, long and decimal values. */
const NUMBER = /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/** What every SQLite repository shares: the connection, a statement cache, the clock, the secret box. */
export class Context {
  readonly db: Database;
  readonly box: SecretBox;
  readonly settings: Settings;
  readonly #clock: () => number;
  readonly #statements = new Map<string, Statement>();
  readonly #group: GroupCommit;
  #closed = false;

  constructor(
    db: Database,
    box: SecretBox,
    settings: Settings,
    clock: () => number,
    groupCommitMs: number,
  ) {
    this.db = db;
    this.box = box;
    this.settings = settings;
    this.#clock = clock;
    db.function('corral_number', { deterministic: true }, (v: unknown) =>
      typeof v === 'string' && NUMBER.test(v) ? Number(v) : null,
    );
    this.#group = new GroupCommit(db, groupCommitMs);
  }

  /** The store's clock, whole ms (the time columns are INTEGER). */
  now(): number {
    return Math.trunc(this.#clock());
  }

  /** A caller-supplied time, or now. */
  timeOr(value: number | undefined, name: string): number {
    return value === undefined ? this.now() : checkTime(value, name);
  }

  /** A prepared statement, cached by its text. */
  stmt(sql: string): Statement {
    this.#open();
    let s = this.#statements.get(sql);
    if (s === undefined) {
      if (this.#statements.size >= STATEMENT_CACHE_LIMIT) this.#statements.clear();
      s = this.db.prepare(sql);
      this.#statements.set(sql, s);
    }
    return s;
  }

  /**
   * Run `fn` as one atomic write (a savepoint of the open group commit, group-commit.ts); resolves once it is
   * committed. `fn` itself runs before this returns, so its errors are thrown at once.
   */
  write<T>(fn: () => T): Promise<T> {
    this.#open();
    return this.#group.write(fn);
  }

  /** Reads of several statements that must agree (a deferred transaction: one snapshot). */
  read<T>(fn: () => T): T {
    this.#open();
    if (this.db.inTransaction) return fn();
    return this.db.transaction(fn).deferred();
  }

  keyOf(deviceId: string): number | undefined {
    const row = this.stmt('SELECT key FROM devices WHERE id = ?').get(deviceId) as
      | { key: number }
      | undefined;
    return row?.key;
  }

  requireKey(deviceId: string): number {
    const key = typeof deviceId === 'string' ? this.keyOf(deviceId) : undefined;
    if (key === undefined) throw notFound('device', excerpt(String(deviceId)));
    return key;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#group.flush();
    this.#statements.clear();
    this.db.close();
  }

  #open(): void {
    if (this.#closed) throw new StoreError('closed', 'store', 'the store is closed');
  }
}

export function isUniqueViolation(e: unknown): boolean {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}
