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
  type ParameterTableRow,
  parameterRowOf,
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

/** Devices whose rows one transaction of a (un)marking rewrites. */
const REFLAG_BATCH = 1_000;

export class PgParameters implements ParameterStore {
  readonly #ctx: Context;
  constructor(ctx: Context) {
    this.#ctx = ctx;
  }

  async get(deviceId: string, path: string): Promise<ParameterRecord | null> {
    const ctx = this.#ctx;
    return ctx.read(async () => {
      const row = await this.#row(await ctx.requireKey(deviceId), path);
      return row === undefined ? null : toRecord(row);
    });
  }

  async list(deviceId: string, options: ParameterListOptions = {}): Promise<ParameterRecord[]> {
    const ctx = this.#ctx;
    return ctx.read(async () => {
      const key = await ctx.requireKey(deviceId);
      const prefixes = [
        ...(options.prefix === undefined ? [] : [options.prefix]),
        ...(options.paths ?? []),
      ];
      const all =
        options.prefix === undefined && options.paths === undefined && options.rows === undefined;
      return (await this.rowsOf(key, all ? undefined : prefixes, options.rows)).map(toRecord);
    });
  }

  async children(
    deviceId: string,
    objectPath: string,
    limit = MAX_PAGE,
  ): Promise<ParameterChild[]> {
    checkChildrenQuery(objectPath, limit);
    const ctx = this.#ctx;
    return ctx.read(async () => {
      const key = await ctx.requireKey(deviceId);
      const end = prefixUpperBound(objectPath);
      const seek = ctx.stmt(
        end === undefined
          ? `SELECT ${PARAMETER_COLUMNS} FROM parameters WHERE device_key = ? AND path >= ? ORDER BY path LIMIT 1`
          : `SELECT ${PARAMETER_COLUMNS} FROM parameters WHERE device_key = ? AND path >= ? AND path < ? ORDER BY path LIMIT 1`,
      );
      const children: ParameterChild[] = [];
      let bound: string | undefined = firstChildBound(objectPath);
      while (bound !== undefined && children.length < limit) {
        const row = (
          end === undefined ? await seek.get(key, bound) : await seek.get(key, bound, end)
        ) as ParameterTableRow | undefined;
        if (row === undefined) break;
        const child = childOf(objectPath, row.path);
        children.push({
          path: child.childPath,
          record: child.ownRow ? toRecord(parameterRowOf(row)) : null,
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
    return ctx.writeDevice(async () =>
      this.upsertRows(await ctx.requireKey(deviceId), deviceId, updates, options),
    );
  }

  async deleteSubtree(deviceId: string, path: string): Promise<ParameterChange[]> {
    const ctx = this.#ctx;
    return ctx.writeDevice(async () => this.deleteRows(await ctx.requireKey(deviceId), path));
  }

  async reveal(deviceId: string, path: string): Promise<Secret | null> {
    const ctx = this.#ctx;
    const row = await ctx.read(async () => this.#row(await ctx.requireKey(deviceId), path));
    if (row?.sealed == null) return null;
    return new Secret(ctx.box.open(row.sealed, secretContext(deviceId, path)));
  }

  async markIndexed(pattern: string): Promise<void> {
    validatePattern(pattern);
    const ctx = this.#ctx;
    // Not ready: writes from now on flag matching rows, filters keep off the index until the backfill ends.
    await ctx.write(async () => {
      await ctx.run(
        'INSERT INTO indexed_parameters (pattern, created_at, ready) VALUES (?, ?, 0) ON CONFLICT DO NOTHING',
        pattern,
        ctx.now(),
      );
    });
    await this.#reflag(0, 1, 'AND sealed IS NULL');
    await ctx.write(async () => {
      await ctx.run('UPDATE indexed_parameters SET ready = 1 WHERE pattern = ?', pattern);
    });
  }

  async unmarkIndexed(pattern: string): Promise<void> {
    const ctx = this.#ctx;
    // Gone from the matchers at once, so filters stop using the index before any flag is cleared.
    await ctx.write(async () => {
      await ctx.run('DELETE FROM indexed_parameters WHERE pattern = ?', pattern);
    });
    await this.#reflag(1, 0, '');
  }

  /**
   * Sets `indexed` from `from` to `to` on the rows the current patterns say should change, over the whole
   * fleet, a batch of devices per transaction. The patterns are matched here (SQLite calls a JS function
   * from SQL; PostgreSQL cannot), on the paths of the rows still flagged `from`.
   */
  async #reflag(from: 0 | 1, to: 0 | 1, extra: string): Promise<void> {
    const ctx = this.#ctx;
    const last = (await ctx.get<{ k: number | null }>('SELECT max(key) AS k FROM devices'))?.k ?? 0;
    for (let low = 0; low < last; low += REFLAG_BATCH) {
      await ctx.write(async () => {
        const matches = await this.#indexedMatcher();
        const rows = await ctx.all<{ device_key: number; path: string }>(
          `SELECT device_key, path FROM parameters
           WHERE device_key > ? AND device_key <= ? AND indexed = ? ${extra}`,
          low,
          low + REFLAG_BATCH,
          from,
        );
        const change = rows.filter((r) => matches(r.path) === (to === 1));
        if (change.length === 0) return;
        await ctx.run(
          `UPDATE parameters p SET indexed = ? FROM unnest(?::bigint[], ?::text[]) AS c(device_key, path)
           WHERE p.device_key = c.device_key AND p.path = c.path AND p.indexed = ?`,
          to,
          change.map((r) => String(r.device_key)),
          change.map((r) => r.path),
          from,
        );
      });
    }
  }

  async listIndexed(): Promise<string[]> {
    return this.#patterns();
  }

  /** Whether a path is operator-marked and fully flagged (filters use the value index only then). */
  async indexedPaths(): Promise<(path: string) => boolean> {
    return this.#indexedMatcher(true);
  }

  // ---- used inside other repositories' transactions ----

  async upsertRows(
    key: number,
    deviceId: string,
    updates: readonly ParameterUpdate[],
    options: UpsertOptions,
  ): Promise<ParameterChange[]> {
    const ctx = this.#ctx;
    for (const u of updates) validateUpdate(u);
    const at = ctx.timeOr(options.at, 'at');
    const diff: DiffContext = {
      at,
      readTimeResolutionMs: ctx.settings.readTimeResolutionMs,
      indexed: await this.#indexedMatcher(),
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
    // The rows the updates touch, read in one statement: an Inform's parameters cost one round trip, not one each.
    const existing = await this.#rows(
      key,
      updates.map((u) => u.path),
    );
    for (const u of updates) {
      const d = diffRow(existing.get(u.path) ?? null, u, diff);
      if (!d.write) continue;
      await write.run(key, ...parameterValuesOf(d.row));
      existing.set(u.path, d.row); // a path given twice meets its first update, as the store sees it
      if (d.change !== null) changes.push(d.change);
    }
    if (options.prune !== undefined) {
      const { prefix, nextLevel } = checkPrune(options.prune);
      const stored = (await this.rowsOf(key, [prefix])).map((r) => r.path);
      const batch = new Set(updates.map((u) => u.path));
      for (const path of prunedPaths(stored, prefix, batch, nextLevel)) {
        changes.push(...(await this.deleteRows(key, path)));
      }
    }
    await this.#syncDeviceColumns(key, changes);
    return changes;
  }

  async deleteRows(key: number, path: string): Promise<ParameterChange[]> {
    const ctx = this.#ctx;
    const { lower, upper } = subtreeRange(path);
    const where =
      upper === undefined
        ? 'device_key = ? AND path >= ?'
        : 'device_key = ? AND path >= ? AND path < ?';
    const args = upper === undefined ? [key, lower] : [key, lower, upper];
    const gone = (
      (await ctx
        .stmt(`SELECT ${PARAMETER_COLUMNS} FROM parameters WHERE ${where} ORDER BY path`)
        .all(...args)) as ParameterTableRow[]
    ).map(parameterRowOf);
    await ctx.stmt(`DELETE FROM parameters WHERE ${where}`).run(...args);
    return gone.map(removal);
  }

  /** The device's rows, all or those under any of `prefixes` and those of `exact` paths, in code-point order. */
  async rowsOf(
    key: number,
    prefixes?: readonly string[],
    exact: readonly string[] = [],
  ): Promise<ParameterRow[]> {
    const ctx = this.#ctx;
    if (prefixes === undefined) {
      return (
        (await ctx
          .stmt(`SELECT ${PARAMETER_COLUMNS} FROM parameters WHERE device_key = ? ORDER BY path`)
          .all(key)) as ParameterTableRow[]
      ).map(parameterRowOf);
    }
    const seen = await this.#rows(key, exact);
    for (const p of prefixes) {
      const { lower, upper } = subtreeRange(p);
      const rows =
        upper === undefined
          ? await ctx
              .stmt(
                `SELECT ${PARAMETER_COLUMNS} FROM parameters WHERE device_key = ? AND path >= ?`,
              )
              .all(key, lower)
          : await ctx
              .stmt(
                `SELECT ${PARAMETER_COLUMNS} FROM parameters WHERE device_key = ? AND path >= ? AND path < ?`,
              )
              .all(key, lower, upper);
      for (const r of rows as ParameterTableRow[]) seen.set(r.path, parameterRowOf(r));
    }
    return [...seen.values()].sort((a, b) => compareCodePoints(a.path, b.path));
  }

  async forgetAll(key: number): Promise<void> {
    await this.#ctx.stmt('DELETE FROM parameters WHERE device_key = ?').run(key);
  }

  async #rows(key: number, paths: readonly string[]): Promise<Map<string, ParameterRow>> {
    const rows = new Map<string, ParameterRow>();
    if (paths.length === 0) return rows;
    const found = (await this.#ctx
      .stmt(
        `SELECT ${PARAMETER_COLUMNS} FROM parameters WHERE device_key = ? AND path = ANY(?::text[])`,
      )
      .all(key, [...new Set(paths)])) as ParameterTableRow[];
    for (const r of found) {
      const row = parameterRowOf(r);
      rows.set(row.path, row);
    }
    return rows;
  }

  async #row(key: number, path: string): Promise<ParameterRow | undefined> {
    const r = (await await this.#ctx
      .stmt(`SELECT ${PARAMETER_COLUMNS} FROM parameters WHERE device_key = ? AND path = ?`)
      .get(key, path)) as ParameterTableRow | undefined;
    return r === undefined ? undefined : parameterRowOf(r);
  }

  async #patterns(readyOnly = false): Promise<string[]> {
    const rows = (await await this.#ctx
      .stmt(
        `SELECT pattern FROM indexed_parameters${readyOnly ? ' WHERE ready = 1' : ''} ORDER BY pattern`,
      )
      .all()) as {
      pattern: string;
    }[];
    return rows.map((r) => r.pattern);
  }

  /**
   * Read afresh each time (a tiny table), so another process's marks are seen at once. Writes flag rows of
   * every marked pattern; filters trust the index only for `readyOnly` ones.
   */
  async #indexedMatcher(readyOnly = false): Promise<(path: string) => boolean> {
    const matchers = (await this.#patterns(readyOnly)).map(patternMatcher);
    return (path) => matchers.some((m) => m(path));
  }

  async #syncDeviceColumns(key: number, changes: readonly ParameterChange[]): Promise<void> {
    for (const c of changes) {
      const field = DEVICE_INFO_COLUMNS.get(c.path);
      if (field === undefined || c.after === null || !c.aspects.includes('value')) continue;
      const column = field === 'softwareVersion' ? 'software_version' : 'hardware_version';
      await this.#ctx
        .stmt(`UPDATE devices SET ${column} = ? WHERE key = ?`)
        .run(c.after.value, key);
    }
  }
}
