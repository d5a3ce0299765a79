import type { Database, Statement } from 'better-sqlite3';
import { excerpt, notFound, StoreError } from '../errors.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../retry-policy.ts';
import type { SecretBox } from '../secret-box.ts';
import { STORE_DEFAULTS, type StoreOptions } from '../store.ts';
import { GroupCommit } from './group-commit.ts';

export interface Settings {
  eventHistoryLimit: number;
  readTimeResolutionMs: number;
  retry: RetryPolicy;
  claimLeaseMs: number;
  transferTimeoutMs: number;
  traceSessionsPerDevice: number;
  traceBytesPerDevice: number;
}

export function settingsOf(options: StoreOptions): Settings {
  const positive = (name: string, v: number | undefined, fallback: number): number => {
    const n = v ?? fallback;
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new StoreError('invalid', 'store', `${name} must be a non-negative whole number`);
    }
    return n;
  };
  const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  return {
    eventHistoryLimit: positive(
      'eventHistoryLimit',
      options.eventHistoryLimit,
      STORE_DEFAULTS.eventHistoryLimit,
    ),
    readTimeResolutionMs: positive(
      'readTimeResolutionMs',
      options.readTimeResolutionMs,
      STORE_DEFAULTS.readTimeResolutionMs,
    ),
    retry: {
      baseDelayMs: positive('retry.baseDelayMs', retry.baseDelayMs, 0),
      maxDelayMs: positive('retry.maxDelayMs', retry.maxDelayMs, 0),
      maxAttempts: Math.max(1, positive('retry.maxAttempts', retry.maxAttempts, 1)),
    },
    claimLeaseMs: positive('claimLeaseMs', options.claimLeaseMs, STORE_DEFAULTS.claimLeaseMs),
    transferTimeoutMs: positive(
      'transferTimeoutMs',
      options.transferTimeoutMs,
      STORE_DEFAULTS.transferTimeoutMs,
    ),
    traceSessionsPerDevice: Math.max(
      1,
      positive(
        'traceSessionsPerDevice',
        options.traceSessionsPerDevice,
        STORE_DEFAULTS.traceSessionsPerDevice,
      ),
    ),
    traceBytesPerDevice: Math.max(
      1024,
      positive(
        'traceBytesPerDevice',
        options.traceBytesPerDevice,
        STORE_DEFAULTS.traceBytesPerDevice,
      ),
    ),
  };
}

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

/** A time in ms since the epoch: a safe integer, else a typed 'invalid'. */
export function checkTime(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new StoreError('invalid', 'store', `${name} must be whole ms since the epoch`);
  }
  return value;
}

export function json(value: unknown): string {
  return JSON.stringify(value);
}

export function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

export function isUniqueViolation(e: unknown): boolean {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}
