import type { Database, Statement, Transaction } from 'better-sqlite3';
import { excerpt, notFound, StoreError } from '../errors.ts';
import type { SecretBox } from '../secret-box.ts';
import { checkTime, type Settings } from '../settings.ts';
import { GroupCommit } from './group-commit.ts';
import { ParameterRowCache } from './parameter-cache.ts';
import type { CommitSync } from './wal-sync.ts';

const STATEMENT_CACHE_LIMIT = 512;
/** What sets a raw statement's cache key apart from the same text's (no SQL starts with it). */
const RAW = 'raw:';
/** Device ids whose keys are remembered: a few MB, enough for every device of a busy minute. */
const KEY_CACHE_LIMIT = 50_000;
/** Parameter rows remembered: about 23 MB, a few thousand devices' sessions' worth (parameter-cache.ts). */
const ROW_CACHE_LIMIT = 100_000;
/** A decimal number as CWMP writes int, unsignedInt, long and decimal values. */
const NUMBER = /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/** What a device's row says that an Inform may change, remembered beside its key. */
export interface CachedDevice {
  key: number;
  remoteAddress: string | null;
  manufacturer: string;
}

/**
 * What every SQLite repository shares: the connection, a statement cache, the clock, the secret box, and what
 * the store remembers between calls: device ids' keys, parameter rows (parameter-cache.ts), small tables read
 * at every session (the operator's marked parameters, the presets) and the devices found with no task to claim. What is remembered is only ever what this
 * connection last read or wrote: it is forgotten whenever another connection (another process) has committed
 * since (`PRAGMA data_version`, checked as each transaction starts) and whenever a write of ours is rolled back.
 */
export class Context {
  readonly db: Database;
  readonly box: SecretBox;
  readonly settings: Settings;
  readonly #clock: () => number;
  readonly #statements = new Map<string, Statement>();
  readonly #group: GroupCommit;
  readonly #dataVersion: Statement;
  #seenVersion: unknown;
  /**
   * One transaction function for every read, given the read to run: better-sqlite3 builds a transaction's four
   * variants afresh at each `db.transaction`, about half of an idle session's task check (7 of 14 µs).
   */
  readonly #readTransaction: Transaction<(fn: () => unknown) => unknown>;
  readonly #devices = new Map<string, CachedDevice>();
  readonly #tables = new Map<string, unknown>();
  /** Parameter rows: sqlite-parameters.ts reads through it and keeps it true on every write. */
  readonly parameterRows = new ParameterRowCache(ROW_CACHE_LIMIT);
  /**
   * Keys of devices this connection found with no pending or running task. Temporary triggers on `tasks` (this
   * connection's alone) forget a device as any task of its is inserted or changes state, whoever wrote it here.
   */
  readonly #idle = new Set<number>();
  #closed = false;

  constructor(
    db: Database,
    box: SecretBox,
    settings: Settings,
    clock: () => number,
    groupCommit: {
      intervalMs: number;
      /** Told of every commit (the WAL's checkpointer, checkpointer.ts). */
      committed?: () => void;
      /** Syncs the commits when SQLite does not (wal-sync.ts). */
      sync?: CommitSync | null;
    },
  ) {
    this.db = db;
    this.box = box;
    this.settings = settings;
    this.#clock = clock;
    db.function('corral_number', { deterministic: true }, (v: unknown) =>
      typeof v === 'string' && NUMBER.test(v) ? Number(v) : null,
    );
    this.#dataVersion = db.prepare('PRAGMA data_version').pluck();
    db.function('corral_task_written', (key: unknown) => {
      if (typeof key === 'number') this.#idle.delete(key);
      return null;
    });
    db.exec(`
      CREATE TEMP TRIGGER IF NOT EXISTS corral_task_inserted AFTER INSERT ON main.tasks
        BEGIN SELECT corral_task_written(NEW.device_key); END;
      CREATE TEMP TRIGGER IF NOT EXISTS corral_task_state AFTER UPDATE OF state ON main.tasks
        BEGIN SELECT corral_task_written(NEW.device_key); END;`);
    this.#readTransaction = db.transaction((fn: () => unknown) => {
      this.#checkForeignWrites();
      return fn();
    });
    this.#group = new GroupCommit(
      db,
      groupCommit.intervalMs,
      {
        begun: () => this.#checkForeignWrites(),
        rolledBack: () => this.forget(),
        committed: groupCommit.committed ?? (() => {}),
      },
      groupCommit.sync ?? null,
    );
  }

  /** The store's clock, whole ms (the time columns are INTEGER). */
  now(): number {
    return Math.trunc(this.#clock());
  }

  /** A caller-supplied time, or now. */
  timeOr(value: number | undefined, name: string): number {
    return value === undefined ? this.now() : checkTime(value, name);
  }

  /**
   * A prepared statement, cached by its text. `raw`: a query whose rows come as arrays of their columns' values,
   * in the SELECT's order: the driver builds no object per row (a third of a 64-row read's time).
   */
  stmt(sql: string, raw = false): Statement {
    this.#open();
    const key = raw ? `${RAW}${sql}` : sql;
    let s = this.#statements.get(key);
    if (s === undefined) {
      if (this.#statements.size >= STATEMENT_CACHE_LIMIT) this.#statements.clear();
      s = this.db.prepare(sql);
      if (raw) s.raw(true);
      this.#statements.set(key, s);
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
    return this.#readTransaction.deferred(fn) as T;
  }

  keyOf(deviceId: string): number | undefined {
    return this.device(deviceId)?.key;
  }

  /** The device's key and Inform-facing columns, remembered once read. */
  device(deviceId: string): CachedDevice | undefined {
    const known = this.#devices.get(deviceId);
    if (known !== undefined) return known;
    const row = this.stmt('SELECT key, remote_address, manufacturer FROM devices WHERE id = ?').get(
      deviceId,
    ) as { key: number; remote_address: string | null; manufacturer: string } | undefined;
    if (row === undefined) return undefined;
    return this.rememberDevice(deviceId, {
      key: row.key,
      remoteAddress: row.remote_address,
      manufacturer: row.manufacturer,
    });
  }

  /** Remembers what this connection has just read or written of a device's row. */
  rememberDevice(deviceId: string, device: CachedDevice): CachedDevice {
    if (this.#devices.size >= KEY_CACHE_LIMIT && !this.#devices.has(deviceId))
      this.#devices.clear();
    this.#devices.set(deviceId, device);
    return device;
  }

  forgetDevice(deviceId: string): void {
    this.#devices.delete(deviceId);
  }

  /** A small table's contents as `load` reads them, remembered until `forgetTable(name)` or a foreign write. */
  table<T>(name: string, load: () => T): T {
    if (this.#tables.has(name)) return this.#tables.get(name) as T;
    const value = load();
    this.#tables.set(name, value);
    return value;
  }

  forgetTable(name: string): void {
    this.#tables.delete(name);
  }

  /**
   * Whether the device was found idle (no pending or running task) and nothing has made it busy since: no task of
   * its written on this connection, no commit by another. No statement but `PRAGMA data_version` outside a
   * transaction: an idle device's claim took 4.3-4.6 µs this way, 9.9-10.8 µs with its read.
   */
  knownIdle(deviceId: string): boolean {
    this.#open();
    if (!this.db.inTransaction) this.#checkForeignWrites();
    const key = this.#devices.get(deviceId)?.key;
    return key !== undefined && this.#idle.has(key);
  }

  /** Remembers a device just found idle (in the transaction that found it). */
  rememberIdle(key: number): void {
    if (this.#idle.size >= KEY_CACHE_LIMIT) this.#idle.clear();
    this.#idle.add(key);
  }

  /** Forgets everything remembered (a rollback may have undone what it came from). */
  forget(): void {
    this.#idle.clear();
    this.#devices.clear();
    this.#tables.clear();
    this.parameterRows.clear();
  }

  requireKey(deviceId: string): number {
    const key = typeof deviceId === 'string' ? this.keyOf(deviceId) : undefined;
    if (key === undefined) throw notFound('device', excerpt(String(deviceId)));
    return key;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#group.close();
    this.#statements.clear();
    this.db.close();
  }

  /** Called as each transaction starts: another connection's commit makes all we remember suspect. */
  #checkForeignWrites(): void {
    const version = this.#dataVersion.get();
    if (version !== this.#seenVersion) {
      this.#seenVersion = version;
      this.forget();
    }
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
