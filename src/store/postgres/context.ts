import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { excerpt, notFound, StoreError } from '../errors.ts';
import type { SecretBox } from '../secret-box.ts';
import { checkTime, type Settings } from '../settings.ts';
import { fromDb, toDb } from './text-escape.ts';

/** A value bound to a statement parameter: never spliced into SQL text. */
export type Value = unknown;
export type Row = Record<string, unknown>;

/** Tries of a transaction that PostgreSQL aborted as a serialization failure or a deadlock. */
const MAX_ATTEMPTS = 30;
/** Prepared statements per process (and so per connection) at most. */
const MAX_PREPARED = 256;
/** 40001 serialization_failure, 40P01 deadlock_detected: the transaction may simply run again. */
const RETRYABLE = new Set(['40001', '40P01']);

export interface Statement {
  get(...args: Value[]): Promise<unknown>;
  all(...args: Value[]): Promise<unknown[]>;
  run(...args: Value[]): Promise<{ changes: number }>;
}

const BEGIN = {
  write: 'BEGIN ISOLATION LEVEL SERIALIZABLE',
  device: 'BEGIN ISOLATION LEVEL READ COMMITTED',
  read: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  sweep: 'BEGIN ISOLATION LEVEL READ COMMITTED',
} as const;

interface Tx {
  client: pg.PoolClient;
  write: boolean;
}

/** int8 (count(*), bigint columns) and numeric (sum) as JS numbers: every stored integer is a safe one. */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 || oid === 1700
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function poolOf(config: pg.PoolConfig): pg.Pool {
  return new pg.Pool({ ...config, types: TYPES });
}

/**
 * What every PostgreSQL repository shares: the pool, the transaction of the current call (kept in an
 * AsyncLocalStorage, so helpers called inside `write` join it), the clock, the secret box.
 *
 * Writes run SERIALIZABLE, retried (bounded) on serialization failures and deadlocks: the SQLite store
 * serialises every write, and this gives the same outcomes to concurrent writers without a lock per
 * statement. Per-device writes also lock the device's row first (`keyOf` inside a write), so writers of
 * one device queue rather than abort and retry.
 */
export class PgContext {
  readonly pool: pg.Pool;
  readonly box: SecretBox;
  readonly settings: Settings;
  readonly #clock: () => number;
  readonly #tx = new AsyncLocalStorage<Tx>();
  readonly #texts = new Map<string, string>();
  /** Statement texts and their prepared statements' names: never renamed, as connections keep them. */
  readonly #named = new Map<string, string>();
  readonly #seen = new Map<string, number>();
  #closed = false;

  constructor(pool: pg.Pool, box: SecretBox, settings: Settings, clock: () => number) {
    this.pool = pool;
    this.box = box;
    this.settings = settings;
    this.#clock = clock;
  }

  /** The store's clock, whole ms (the time columns are bigint). */
  now(): number {
    return Math.trunc(this.#clock());
  }

  timeOr(value: number | undefined, name: string): number {
    return value === undefined ? this.now() : checkTime(value, name);
  }

  /** The SQLite store's statement shape (get, all, run), so both stores read alike. */
  stmt(sql: string): Statement {
    return {
      get: (...args) => this.get(sql, ...args),
      all: (...args) => this.all(sql, ...args),
      run: async (...args) => ({ changes: await this.run(sql, ...args) }),
    };
  }

  async all<T = Row>(sql: string, ...args: Value[]): Promise<T[]> {
    return (await this.query(sql, args)).rows as T[];
  }

  async get<T = Row>(sql: string, ...args: Value[]): Promise<T | undefined> {
    return (await this.query(sql, args)).rows[0] as T | undefined;
  }

  /** A statement for its effect: how many rows it changed. */
  async run(sql: string, ...args: Value[]): Promise<number> {
    return (await this.query(sql, args)).rowCount ?? 0;
  }

  async query(
    sql: string,
    args: readonly Value[],
  ): Promise<{ rows: Row[]; rowCount: number | null }> {
    this.#open();
    const text = this.#text(sql);
    const values = args.map((v) =>
      typeof v === 'string'
        ? toDb(v)
        : Array.isArray(v)
          ? v.map((s: unknown) => (typeof s === 'string' ? toDb(s) : s))
          : v,
    );
    const tx = this.#tx.getStore();
    const name = this.#nameOf(text);
    const run = (config: pg.QueryConfig) =>
      tx === undefined ? this.#pooled(this.pool.query(config)) : tx.client.query(config);
    const result = await (name === undefined
      ? run({ text, values })
      : run({ name, text, values })
    ).catch((error: unknown) => {
      if (name === undefined || !isStalePlan(error)) throw error;
      // A newer node's migration changed a table under a prepared `SELECT *`: this text runs unprepared from now
      // on. Outside a transaction at once; inside, the aborted transaction runs again (isRetryable).
      this.#named.set(text, '');
      if (tx !== undefined) throw error;
      return run({ text, values });
    });
    for (const row of result.rows as Row[]) {
      for (const k in row) {
        const v = row[k];
        if (typeof v === 'string') row[k] = fromDb(v);
      }
    }
    return result;
  }

  /** Whether the current call runs inside a write transaction. */
  get inWrite(): boolean {
    return this.#tx.getStore()?.write === true;
  }

  /** Run `fn` in one SERIALIZABLE transaction (nested calls join it), retried on serialization failures. */
  async write<T>(fn: () => Promise<T>): Promise<T> {
    return this.#transaction('write', fn);
  }

  /**
   * A write confined to one device's rows whose first statement locks the device's row (`keyOf`, `requireKey`):
   * READ COMMITTED, since that lock already queues the device's writers one after another. SERIALIZABLE here
   * also aborted writers of other devices on its predicate locks' false positives: under a periodic load half
   * the transactions rolled back and the sessions per second fell tenfold.
   */
  async writeDevice<T>(fn: () => Promise<T>): Promise<T> {
    return this.#transaction('device', fn);
  }

  /**
   * A fleet-wide sweep (expired transfers, dead claims): READ COMMITTED, its statements locking the rows
   * they change with FOR UPDATE SKIP LOCKED, so a sweep neither waits for nor aborts the devices' own
   * transactions; a row one of them holds is left to the next sweep.
   */
  async sweep<T>(fn: () => Promise<T>): Promise<T> {
    return this.#transaction('sweep', fn);
  }

  /** Reads that must agree: one REPEATABLE READ snapshot (or the enclosing transaction). */
  async read<T>(fn: () => Promise<T>): Promise<T> {
    return this.#transaction('read', fn);
  }

  async #transaction<T>(mode: keyof typeof BEGIN, fn: () => Promise<T>): Promise<T> {
    this.#open();
    if (this.#tx.getStore() !== undefined) return fn();
    for (let attempt = 1; ; attempt++) {
      const client = await this.#pooled(this.pool.connect());
      let broken: Error | undefined;
      try {
        await client.query(BEGIN[mode]);
        const result = await this.#tx.run({ client, write: mode !== 'read' }, fn);
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch((r: Error) => {
          broken = r;
        });
        if (!isRetryable(e)) throw e;
        if (attempt >= MAX_ATTEMPTS) {
          throw new StoreError(
            'conflict',
            'store',
            `the transaction conflicted with concurrent ones ${MAX_ATTEMPTS} times; try again`,
            { cause: e },
          );
        }
      } finally {
        client.release(broken);
      }
      // Jittered back-off, so the transactions that collided do not collide again in lockstep.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
    }
  }

  /**
   * The device's integer key. Inside a write its row is locked until the transaction ends (`lock`), which
   * queues the writers of one device; a statement over many devices passes false (the foreign keys keep a
   * device from going away under it).
   */
  async keyOf(deviceId: string, lock = true): Promise<number | undefined> {
    // By md5(id), the unique index (a device id may be tens of kB), then the id itself.
    const row = await this.get<{ key: number }>(
      lock && this.inWrite
        ? 'SELECT key FROM devices WHERE md5(id) = md5(?) AND id = ? FOR UPDATE'
        : 'SELECT key FROM devices WHERE md5(id) = md5(?) AND id = ?',
      deviceId,
      deviceId,
    );
    return row?.key;
  }

  async requireKey(deviceId: string): Promise<number> {
    const key = typeof deviceId === 'string' ? await this.keyOf(deviceId) : undefined;
    if (key === undefined) throw notFound('device', excerpt(String(deviceId)));
    return key;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.pool.end();
  }

  #open(): void {
    if (this.#closed) throw new StoreError('closed', 'store', 'the store is closed');
  }

  /**
   * A name for a statement run often, so that each connection parses and plans it once (a prepared statement)
   * instead of at every call: a statement gets one at its third run, up to MAX_PREPARED per process. Texts made
   * on the fly (the fleet filters' IN lists) mostly stay unnamed, and a connection never holds more than that.
   */
  #nameOf(text: string): string | undefined {
    const named = this.#named.get(text);
    if (named !== undefined) return named === '' ? undefined : named;
    if (this.#named.size >= MAX_PREPARED) return undefined;
    const seen = (this.#seen.get(text) ?? 0) + 1;
    if (seen < 3) {
      if (this.#seen.size >= 4096) this.#seen.clear();
      this.#seen.set(text, seen);
      return undefined;
    }
    this.#seen.delete(text);
    const name = `corral_${this.#named.size + 1}`;
    this.#named.set(text, name);
    return name;
  }

  /**
   * A wait for a free connection that ran out (`connectionTimeoutMillis`) said as what it is: every connection of
   * this node's pool busy. Still a database-unavailable error (its cause), so a CPE is told to come back later.
   */
  async #pooled<T>(waiting: Promise<T>): Promise<T> {
    try {
      return await waiting;
    } catch (error) {
      const { max, connectionTimeoutMillis: ms } = this.pool.options;
      if (
        /timeout exceeded when trying to connect/i.test((error as Error).message) &&
        this.pool.totalCount >= (max ?? 10)
      )
        throw new Error(
          `no database connection came free within ${ms} ms: all ${max ?? 10} of this node's pool are busy (a larger pool: ?max= in the store URL; or look for slow statements)`,
          { cause: error },
        );
      throw error;
    }
  }

  /** SQLite-style `?` placeholders as PostgreSQL's `$n` (outside quoted text), cached by statement. */
  #text(sql: string): string {
    let text = this.#texts.get(sql);
    if (text === undefined) {
      let n = 0;
      let quoted = false;
      text = '';
      for (const c of sql) {
        if (c === "'") quoted = !quoted;
        text += c === '?' && !quoted ? `$${++n}` : c;
      }
      if (this.#texts.size >= 1024) this.#texts.clear();
      this.#texts.set(sql, text);
    }
    return text;
  }
}

export function isRetryable(e: unknown): boolean {
  return RETRYABLE.has((e as { code?: unknown })?.code as string) || isStalePlan(e);
}

/** "cached plan must not change result type": a prepared statement's table changed shape. */
function isStalePlan(e: unknown): boolean {
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  return code === '0A000' && typeof message === 'string' && message.includes('cached plan');
}

export function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: unknown })?.code === '23505';
}

export type { PgContext as Context };
