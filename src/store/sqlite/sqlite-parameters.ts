import { patternMatcher } from '../../cwmp/path.ts';
import {
  DEVICE_INFO_COLUMNS,
  type DiffContext,
  diffRow,
  type ParameterRow,
  prunedPaths,
  removal,
  toRecord,
  validateUpdate,
} from '../parameter-diff.ts';
import {
  checkChildrenQuery,
  checkPrune,
  PARAMETER_COLUMNS,
  parameterRowOfValues,
  parameterValuesOf,
  secretContext,
  validatePattern,
} from '../parameter-rows.ts';
import type {
  ParameterChange,
  ParameterChild,
  ParameterListOptions,
  ParameterRecord,
  ParameterStore,
  ParameterUpdate,
  UpsertOptions,
} from '../parameters.ts';
import { Secret } from '../secret.ts';
import { MAX_PAGE } from '../store.ts';
import { compareCodePoints, prefixUpperBound, subtreeRange } from '../text-range.ts';
import { childOf, firstChildBound } from '../tree-children.ts';
import type { Context } from './context.ts';

/** Devices whose rows one transaction of a (un)marking rewrites: tens of ms of work between yields. */
const REFLAG_BATCH = 1_000;
/** Paths read in one statement (SQLite allows 32,766 variables). */
const MAX_BATCH_READ = 256;
/** The `Context.table` name of the operator's marked patterns. */
const INDEXED_TABLE = 'indexed_parameters';

export class SqliteParameters implements ParameterStore {
  readonly #ctx: Context;
  /** The matcher the SQL function `corral_indexed` uses (set just before each statement that calls it). */
  #udfMatcher: (path: string) => boolean = () => false;

  constructor(ctx: Context) {
    this.#ctx = ctx;
    ctx.db.function('corral_indexed', { deterministic: false }, (path: unknown) =>
      typeof path === 'string' && this.#udfMatcher(path) ? 1 : 0,
    );
  }

  async get(deviceId: string, path: string): Promise<ParameterRecord | null> {
    const ctx = this.#ctx;
    return ctx.read(() => {
      const row = this.#row(ctx.requireKey(deviceId), path);
      return row === undefined ? null : toRecord(row);
    });
  }

  async list(deviceId: string, options: ParameterListOptions = {}): Promise<ParameterRecord[]> {
    const ctx = this.#ctx;
    return ctx.read(() => {
      const key = ctx.requireKey(deviceId);
      const prefixes = [
        ...(options.prefix === undefined ? [] : [options.prefix]),
        ...(options.paths ?? []),
      ];
      const all =
        options.prefix === undefined && options.paths === undefined && options.rows === undefined;
      return this.rowsOf(key, all ? undefined : prefixes, options.rows).map(toRecord);
    });
  }

  async children(
    deviceId: string,
    objectPath: string,
    limit = MAX_PAGE,
  ): Promise<ParameterChild[]> {
    checkChildrenQuery(objectPath, limit);
    const ctx = this.#ctx;
    return ctx.read(() => {
      const key = ctx.requireKey(deviceId);
      const end = prefixUpperBound(objectPath);
      const seek = ctx.stmt(
        end === undefined
          ? `SELECT ${PARAMETER_COLUMNS} FROM parameters WHERE device_key = ? AND path >= ? ORDER BY path LIMIT 1`
          : `SELECT ${PARAMETER_COLUMNS} FROM parameters WHERE device_key = ? AND path >= ? AND path < ? ORDER BY path LIMIT 1`,
        true,
      );
      const children: ParameterChild[] = [];
      let bound: string | undefined = firstChildBound(objectPath);
      while (bound !== undefined && children.length < limit) {
        const values = (end === undefined ? seek.get(key, bound) : seek.get(key, bound, end)) as
          | unknown[]
          | undefined;
        if (values === undefined) break;
        const row = parameterRowOfValues(values);
        const child = childOf(objectPath, row.path);
        children.push({
          path: child.childPath,
          record: child.ownRow ? toRecord(row) : null,
        });
        bound = child.next;
      }
      return children;
    });
  }

  async upsert(
    deviceId: string,
    updates: readonly ParameterUpdate[],
    options: UpsertOptions = {},
  ): Promise<ParameterChange[]> {
    const ctx = this.#ctx;
    return ctx.write(() => this.upsertRows(ctx.requireKey(deviceId), deviceId, updates, options));
  }

  async deleteSubtree(deviceId: string, path: string): Promise<ParameterChange[]> {
    const ctx = this.#ctx;
    return ctx.write(() => this.deleteRows(ctx.requireKey(deviceId), path));
  }

  async reveal(deviceId: string, path: string): Promise<Secret | null> {
    const ctx = this.#ctx;
    const row = ctx.read(() => this.#row(ctx.requireKey(deviceId), path));
    if (row?.sealed == null) return null;
    return new Secret(ctx.box.open(row.sealed, secretContext(deviceId, path)));
  }

  async markIndexed(pattern: string): Promise<void> {
    validatePattern(pattern);
    const ctx = this.#ctx;
    // Not ready: writes from now on flag matching rows, filters keep off the index until the backfill ends.
    await ctx.write(() => {
      ctx
        .stmt(
          'INSERT INTO indexed_parameters (pattern, created_at, ready) VALUES (?, ?, 0) ON CONFLICT DO NOTHING',
        )
        .run(pattern, ctx.now());
      ctx.forgetTable(INDEXED_TABLE);
    });
    await this.#reflag(
      'UPDATE parameters SET indexed = 1',
      'indexed = 0 AND sealed IS NULL AND corral_indexed(path) = 1',
    );
    await ctx.write(() => {
      ctx.stmt('UPDATE indexed_parameters SET ready = 1 WHERE pattern = ?').run(pattern);
      ctx.forgetTable(INDEXED_TABLE);
    });
  }

  async unmarkIndexed(pattern: string): Promise<void> {
    const ctx = this.#ctx;
    // Gone from the matchers at once, so filters stop using the index before any flag is cleared.
    await ctx.write(() => {
      ctx.stmt('DELETE FROM indexed_parameters WHERE pattern = ?').run(pattern);
      ctx.forgetTable(INDEXED_TABLE);
    });
    await this.#reflag(
      'UPDATE parameters SET indexed = 0',
      'indexed = 1 AND corral_indexed(path) = 0',
    );
  }

  /** Runs `update … WHERE <where>` over the whole fleet, a batch of devices per transaction, yielding between. */
  async #reflag(update: string, where: string): Promise<void> {
    const ctx = this.#ctx;
    const last = ctx.read(
      () => (ctx.stmt('SELECT max(key) AS k FROM devices').get() as { k: number | null }).k ?? 0,
    );
    for (let from = 0; from < last; from += REFLAG_BATCH) {
      await ctx.write(() => {
        this.#udfMatcher = this.#indexedMatcher();
        ctx
          .stmt(`${update} WHERE device_key > ? AND device_key <= ? AND ${where}`)
          .run(from, from + REFLAG_BATCH);
        ctx.parameterRows.clear(); // rows' `indexed` changed under it
      });
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  async listIndexed(): Promise<string[]> {
    return this.#patterns();
  }

  /** Whether a path is operator-marked and fully flagged (filters use the value index only then). */
  isIndexed(path: string): boolean {
    return this.#ctx.read(() => this.#indexedMatcher(true)(path));
  }

  // ---- used inside other repositories' transactions ----

  /** `newDevice`: the device was created in this transaction, so it has no rows to read first. */
  upsertRows(
    key: number,
    deviceId: string,
    updates: readonly ParameterUpdate[],
    options: UpsertOptions,
    newDevice = false,
  ): ParameterChange[] {
    const ctx = this.#ctx;
    for (const u of updates) validateUpdate(u);
    const at = ctx.timeOr(options.at, 'at');
    const diff: DiffContext = {
      at,
      readTimeResolutionMs: ctx.settings.readTimeResolutionMs,
      indexed: this.#indexedMatcher(),
      seal: (path, plain) => ctx.box.seal(plain, secretContext(deviceId, path)),
      open: (path, sealed) => ctx.box.open(sealed, secretContext(deviceId, path)),
    };
    const write = ctx.stmt(
      `INSERT INTO parameters (device_key, ${PARAMETER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (device_key, path) DO UPDATE SET value = excluded.value, type = excluded.type,
         sealed = excluded.sealed, writable = excluded.writable, notification = excluded.notification,
         access_list = excluded.access_list, value_at = excluded.value_at,
         attributes_at = excluded.attributes_at, indexed = excluded.indexed`,
    );
    const changes: ParameterChange[] = [];
    const stored = newDevice
      ? new Map<string, ParameterRow>()
      : this.#rows(
          key,
          updates.map((u) => u.path),
        );
    for (const u of updates) {
      const d = diffRow(stored.get(u.path) ?? null, u, diff);
      if (!d.write) continue;
      write.run(key, ...parameterValuesOf(d.row));
      stored.set(u.path, d.row); // the same path twice in one batch meets its first write
      ctx.parameterRows.set(key, u.path, d.row);
      if (d.change !== null) changes.push(d.change);
    }
    if (options.prune !== undefined) {
      const { prefix, nextLevel } = checkPrune(options.prune);
      const stored = this.rowsOf(key, [prefix]).map((r) => r.path);
      const batch = new Set(updates.map((u) => u.path));
      for (const path of prunedPaths(stored, prefix, batch, nextLevel)) {
        changes.push(...this.deleteRows(key, path));
      }
    }
    this.#syncDeviceColumns(key, changes);
    return changes;
  }

  deleteRows(key: number, path: string): ParameterChange[] {
    const ctx = this.#ctx;
    const { lower, upper } = subtreeRange(path);
    const where =
      upper === undefined
        ? 'device_key = ? AND path >= ?'
        : 'device_key = ? AND path >= ? AND path < ?';
    const args = upper === undefined ? [key, lower] : [key, lower, upper];
    const gone = (
      ctx
        .stmt(`SELECT ${PARAMETER_COLUMNS} FROM parameters WHERE ${where} ORDER BY path`, true)
        .all(...args) as unknown[][]
    ).map(parameterRowOfValues);
    ctx.stmt(`DELETE FROM parameters WHERE ${where}`).run(...args);
    for (const row of gone) ctx.parameterRows.set(key, row.path, null);
    return gone.map(removal);
  }

  /** The device's rows, all or those under any of `prefixes` and those of `exact` paths, in code-point order. */
  rowsOf(key: number, prefixes?: readonly string[], exact: readonly string[] = []): ParameterRow[] {
    const ctx = this.#ctx;
    if (prefixes === undefined) {
      return (
        ctx
          .stmt(
            `SELECT ${PARAMETER_COLUMNS} FROM parameters WHERE device_key = ? ORDER BY path`,
            true,
          )
          .all(key) as unknown[][]
      ).map(parameterRowOfValues);
    }
    // Leaves are exact paths, read together in one statement; each object is a range of its own.
    const seen = this.#rows(key, [...prefixes.filter((p) => !p.endsWith('.')), ...exact]);
    for (const p of prefixes) {
      if (!p.endsWith('.')) continue;
      const { lower, upper } = subtreeRange(p);
      const rows =
        upper === undefined
          ? ctx
              .stmt(
                `SELECT ${PARAMETER_COLUMNS} FROM parameters WHERE device_key = ? AND path >= ?`,
                true,
              )
              .all(key, lower)
          : ctx
              .stmt(
                `SELECT ${PARAMETER_COLUMNS} FROM parameters WHERE device_key = ? AND path >= ? AND path < ?`,
                true,
              )
              .all(key, lower, upper);
      for (const values of rows as unknown[][]) {
        const row = parameterRowOfValues(values);
        seen.set(row.path, row);
      }
    }
    return [...seen.values()].sort((a, b) => compareCodePoints(a.path, b.path));
  }

  forgetAll(key: number): void {
    this.#ctx.stmt('DELETE FROM parameters WHERE device_key = ?').run(key);
    this.#ctx.parameterRows.forgetDevice(key);
  }

  #row(key: number, path: string): ParameterRow | undefined {
    return this.#rows(key, [path]).get(path);
  }

  /**
   * The stored rows of these paths, by path: those the cache knows from it, the others in one statement a batch
   * (an Inform's parameters), with the placeholders padded to a power of two so that a handful of statements
   * serve every batch size.
   */
  #rows(key: number, paths: readonly string[]): Map<string, ParameterRow> {
    const cache = this.#ctx.parameterRows;
    const found = new Map<string, ParameterRow>();
    const unknown: string[] = [];
    for (const path of paths) {
      const row = cache.get(key, path);
      if (row === undefined) unknown.push(path);
      else if (row !== null) found.set(path, row);
    }
    for (let from = 0; from < unknown.length; from += MAX_BATCH_READ) {
      const chunk = unknown.slice(from, from + MAX_BATCH_READ);
      let size = 1;
      while (size < chunk.length) size *= 2;
      const args = [...chunk];
      while (args.length < size) args.push(chunk[0]!);
      const rows = this.#ctx
        .stmt(
          `SELECT ${PARAMETER_COLUMNS} FROM parameters WHERE device_key = ? AND path IN (${'?, '.repeat(size - 1)}?)`,
          true,
        )
        .all(key, ...args) as unknown[][];
      for (const values of rows) {
        const row = parameterRowOfValues(values);
        found.set(row.path, row);
      }
      for (const path of chunk) cache.set(key, path, found.get(path) ?? null);
    }
    return found;
  }

  #patterns(readyOnly = false): string[] {
    const rows = this.#ctx.table(INDEXED_TABLE, () =>
      this.#ctx.stmt('SELECT pattern, ready FROM indexed_parameters ORDER BY pattern').all(),
    ) as { pattern: string; ready: number }[];
    return rows.filter((r) => !readyOnly || r.ready === 1).map((r) => r.pattern);
  }

  /**
   * A tiny table, remembered by the store between writes (another process's marks are seen as its next
   * transaction starts). Writes flag rows of every marked pattern; filters trust the index only for `readyOnly`
   * ones.
   */
  #indexedMatcher(readyOnly = false): (path: string) => boolean {
    const patterns = this.#patterns(readyOnly);
    if (patterns.length === 0) return () => false;
    const matchers = patterns.map(patternMatcher);
    return (path) => matchers.some((m) => m(path));
  }

  /** The device row's copies of its versions, in one UPDATE (each column a SET names rewrites its index entry). */
  #syncDeviceColumns(key: number, changes: readonly ParameterChange[]): void {
    const set = new Map<string, string | null>();
    for (const c of changes) {
      const field = DEVICE_INFO_COLUMNS.get(c.path);
      if (field === undefined || c.after === null || !c.aspects.includes('value')) continue;
      set.set(field === 'softwareVersion' ? 'software_version' : 'hardware_version', c.after.value);
    }
    if (set.size === 0) return;
    const columns = [...set.keys()].map((column) => `${column} = ?`).join(', ');
    this.#ctx.stmt(`UPDATE devices SET ${columns} WHERE key = ?`).run(...set.values(), key);
  }
}
