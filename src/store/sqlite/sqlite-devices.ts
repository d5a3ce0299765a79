import { COLUMN, isDeviceField, NULLABLE } from '../device-filter.ts';
import { encodeDeviceId } from '../device-id.ts';
import {
  DEVICE_COLUMNS,
  type DeviceRow,
  deviceRecordOf,
  informOf,
  SELECT_DEVICE,
  validateIdentity,
  validTags,
} from '../device-rows.ts';
import {
  DEVICE_FIELDS,
  type DeviceCondition,
  type DeviceEvent,
  type DeviceListQuery,
  type DeviceRecord,
  type DeviceStore,
  type DeviceView,
  type InformInput,
  type InformOutcome,
} from '../devices.ts';
import { excerpt, notFound, StoreError } from '../errors.ts';
import type { JsonValue } from '../json.ts';
import { json, parseJson } from '../json.ts';
import { page } from '../paging.ts';
import { toRecord } from '../parameter-diff.ts';
import { DEFAULT_PAGE, MAX_PAGE } from '../store.ts';
import type { Context } from './context.ts';
import { whereOf } from './device-query.ts';
import type { SqliteParameters } from './sqlite-parameters.ts';

/** A device row's tags, in code-point order, as a JSON array (beside its columns: one statement for both). */
const TAGS = `(SELECT json_group_array(tag ORDER BY tag) FROM device_tags WHERE device_key = devices.key) AS tags`;

/** Devices a filtered page is first looked for among, along the sort's index (list()). */
const SORT_WINDOW = 20_000;

export class SqliteDevices implements DeviceStore {
  readonly #ctx: Context;
  readonly #parameters: SqliteParameters;

  constructor(ctx: Context, parameters: SqliteParameters) {
    this.#ctx = ctx;
    this.#parameters = parameters;
  }

  async recordInform(input: InformInput): Promise<InformOutcome> {
    const ctx = this.#ctx;
    validateIdentity(input.device);
    const id = encodeDeviceId(input.device);
    const at = ctx.timeOr(input.at, 'at');
    const { remote, events, bootstrap, boot } = informOf(input);
    return ctx.write(() => {
      const known = ctx.device(id);
      if (known === undefined) {
        const r = ctx
          .stmt(
            `INSERT INTO devices (id, manufacturer, oui, product_class, serial_number, remote_address,
               first_inform_at, last_inform_at, last_boot_at, last_bootstrap_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            id,
            input.device.manufacturer,
            input.device.oui,
            input.device.productClass,
            input.device.serialNumber,
            remote,
            at,
            at,
            boot ? at : null,
            bootstrap ? at : null,
          );
        const key = Number(r.lastInsertRowid);
        ctx.rememberDevice(id, {
          key,
          remoteAddress: remote,
          manufacturer: input.device.manufacturer,
        });
        this.#recordEvents(key, events, at);
        const changes = this.#parameters.upsertRows(key, id, input.parameters ?? [], { at }, true);
        return { device: this.#device(key)!, created: true, bootstrap, changes };
      }
      const { key } = known;
      if (bootstrap) this.#parameters.forgetAll(key);
      this.#recordEvents(key, events, at);
      const changes = this.#parameters.upsertRows(key, id, input.parameters ?? [], { at });
      // One UPDATE naming only the columns that change: SQLite rewrites the index entries of every column a SET
      // names, changed or not, and a periodic Inform changes only its time (and maybe its address).
      const sets = ['last_inform_at = ?'];
      const args: unknown[] = [at];
      if (remote !== null && remote !== known.remoteAddress) {
        sets.push('remote_address = ?');
        args.push(remote);
      }
      if (input.device.manufacturer !== known.manufacturer) {
        sets.push('manufacturer = ?');
        args.push(input.device.manufacturer);
      }
      if (boot) {
        sets.push('last_boot_at = ?');
        args.push(at);
      }
      if (bootstrap) {
        sets.push('last_bootstrap_at = ?', 'provisioning = NULL');
        args.push(at);
      }
      const row = ctx
        .stmt(
          `UPDATE devices SET ${sets.join(', ')} WHERE key = ? RETURNING ${DEVICE_COLUMNS}, ${TAGS}`,
        )
        .get(...args, key) as (DeviceRow & { tags: string }) | undefined;
      if (row === undefined) throw notFound('device', excerpt(id));
      ctx.rememberDevice(id, {
        key,
        remoteAddress: row.remote_address,
        manufacturer: row.manufacturer,
      });
      return {
        device: deviceRecordOf(row, JSON.parse(row.tags)),
        created: false,
        bootstrap,
        changes,
      };
    });
  }

  async get(id: string): Promise<DeviceRecord | null> {
    const ctx = this.#ctx;
    return ctx.read(() => {
      const key = ctx.keyOf(id);
      return key === undefined ? null : this.#device(key)!;
    });
  }

  async list(query: DeviceListQuery = {}): Promise<DeviceView[]> {
    const ctx = this.#ctx;
    const where = whereOf(query.filter, (p) => this.#parameters.isIndexed(p));
    const sortField = query.sort?.field ?? 'id';
    if (!isDeviceField(sortField)) throw new StoreError('invalid', 'device', 'unknown sort field');
    const direction = query.sort?.direction === 'desc' ? 'DESC' : 'ASC';
    const nulls = NULLABLE.has(sortField) ? ' NULLS LAST' : '';
    const limit = page(query.limit, DEFAULT_PAGE, MAX_PAGE, 'limit');
    const offset = page(query.offset, 0, Number.MAX_SAFE_INTEGER, 'offset');
    const projection = query.projection ?? {};
    const fields = projection.fields ?? DEVICE_FIELDS;
    for (const f of fields) {
      if (!isDeviceField(f))
        throw new StoreError('invalid', 'device', `unknown field ${excerpt(String(f))}`);
    }
    const withTags = projection.tags ?? true;
    return ctx.read(() => {
      const order = `${COLUMN[sortField]} ${direction}${nulls}, d.key ${direction}`;
      // First along the sort's index, testing the filter on the first SORT_WINDOW devices only: a filter most
      // devices pass fills its page there at once, where the filter's own index would sort every match (a
      // product class at 1M devices: 200,000 rows). A page not filled there comes from the filter's index.
      let rows: DeviceRow[] = [];
      // A marked parameter's value is an index seek already, and usually a few devices: no window for it.
      const seek = (query.filter ?? []).some(
        (c) => c?.kind === 'parameter' && this.#parameters.isIndexed(c.path),
      );
      if (where.sql !== '1' && !seek && offset + limit <= SORT_WINDOW) {
        const probe = whereOf(query.filter, () => false, true);
        rows = ctx
          .stmt(
            `SELECT * FROM (${SELECT_DEVICE} ORDER BY ${order} LIMIT ${SORT_WINDOW}) d WHERE ${probe.sql}
             ORDER BY ${order} LIMIT ? OFFSET ?`,
          )
          .all(...probe.args, limit, offset) as DeviceRow[];
      }
      if (rows.length < limit) {
        rows = ctx
          .stmt(`${SELECT_DEVICE} WHERE ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`)
          .all(...where.args, limit, offset) as DeviceRow[];
      }
      return rows.map((row) => {
        const full = deviceRecordOf(row, withTags ? this.#tags(row.key) : []);
        const view: DeviceView = { id: row.id };
        const target = view as Record<string, unknown>;
        for (const f of fields) target[f] = full[f];
        if (withTags) view.tags = full.tags;
        if (projection.parameters !== undefined && projection.parameters.length > 0) {
          view.parameters = this.#parameters.rowsOf(row.key, projection.parameters).map(toRecord);
        }
        return view;
      });
    });
  }

  async count(filter?: readonly DeviceCondition[]): Promise<number> {
    const [only] = filter ?? [];
    if (
      filter?.length === 1 &&
      only?.kind === 'tag' &&
      only.op === 'has' &&
      typeof only.tag === 'string'
    ) {
      // Every tag row is a device's (the foreign key): the tag's index alone counts them, without a device lookup each.
      const row = this.#ctx
        .stmt('SELECT count(*) AS n FROM device_tags WHERE tag = ?')
        .get(only.tag) as { n: number };
      return row.n;
    }
    const where = whereOf(filter, (p) => this.#parameters.isIndexed(p));
    const row = this.#ctx
      .stmt(`SELECT count(*) AS n FROM devices d WHERE ${where.sql}`)
      .get(...where.args) as { n: number };
    return row.n;
  }

  async delete(id: string): Promise<void> {
    const ctx = this.#ctx;
    await ctx.write(() => {
      const key = ctx.requireKey(id);
      ctx.stmt('DELETE FROM devices WHERE key = ?').run(key);
      ctx.forgetDevice(id);
      ctx.parameterRows.forgetDevice(key); // its rows went with it (ON DELETE CASCADE)
      ctx.stmt('DELETE FROM cpe_credentials WHERE device_id = ?').run(id);
      ctx.stmt('DELETE FROM connection_request_credentials WHERE device_id = ?').run(id);
    });
  }

  async events(id: string, options: { limit?: number } = {}): Promise<DeviceEvent[]> {
    const ctx = this.#ctx;
    const limit = page(options.limit, MAX_PAGE, MAX_PAGE, 'limit');
    return ctx.read(() => {
      const rows = ctx
        .stmt(
          'SELECT at, code, command_key FROM device_events WHERE device_key = ? ORDER BY id DESC LIMIT ?',
        )
        .all(ctx.requireKey(id), limit) as { at: number; code: string; command_key: string }[];
      return rows.map((r) => ({ at: r.at, code: r.code, commandKey: r.command_key }));
    });
  }

  async addTags(id: string, tags: readonly string[]): Promise<string[]> {
    const ctx = this.#ctx;
    const valid = validTags(tags);
    return ctx.write(() => {
      const key = ctx.requireKey(id);
      const add = ctx.stmt(
        'INSERT INTO device_tags (device_key, tag) VALUES (?, ?) ON CONFLICT DO NOTHING',
      );
      for (const t of valid) add.run(key, t);
      return this.#tags(key);
    });
  }

  async removeTags(id: string, tags: readonly string[]): Promise<string[]> {
    const ctx = this.#ctx;
    const valid = validTags(tags);
    return ctx.write(() => {
      const key = ctx.requireKey(id);
      const remove = ctx.stmt('DELETE FROM device_tags WHERE device_key = ? AND tag = ?');
      for (const t of valid) remove.run(key, t);
      return this.#tags(key);
    });
  }

  async listTags(): Promise<{ tag: string; devices: number }[]> {
    return this.#ctx
      .stmt('SELECT tag, count(*) AS devices FROM device_tags GROUP BY tag ORDER BY tag')
      .all() as { tag: string; devices: number }[];
  }

  async getProvisioningState(id: string): Promise<JsonValue | null> {
    const ctx = this.#ctx;
    return ctx.read(() => {
      const row = ctx
        .stmt('SELECT provisioning FROM devices WHERE key = ?')
        .get(ctx.requireKey(id)) as {
        provisioning: string | null;
      };
      return parseJson<JsonValue>(row.provisioning);
    });
  }

  async setProvisioningState(id: string, state: JsonValue | null): Promise<void> {
    const ctx = this.#ctx;
    const encoded = state === null ? null : json(state);
    await ctx.write(() => {
      ctx
        .stmt('UPDATE devices SET provisioning = ? WHERE key = ?')
        .run(encoded, ctx.requireKey(id));
    });
  }

  #recordEvents(
    key: number,
    events: readonly { code: string; commandKey: string }[],
    at: number,
  ): void {
    const ctx = this.#ctx;
    const limit = ctx.settings.eventHistoryLimit;
    if (events.length === 0) return;
    const insert = ctx.stmt(
      'INSERT INTO device_events (device_key, at, code, command_key) VALUES (?, ?, ?, ?)',
    );
    for (const e of events.slice(-Math.max(limit, 1))) insert.run(key, at, e.code, e.commandKey);
    ctx
      .stmt(
        `DELETE FROM device_events WHERE device_key = ? AND id <= (
           SELECT id FROM device_events WHERE device_key = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
      )
      .run(key, key, limit);
  }

  #device(key: number): DeviceRecord | undefined {
    const row = this.#ctx
      .stmt(`SELECT ${DEVICE_COLUMNS}, ${TAGS} FROM devices WHERE key = ?`)
      .get(key) as (DeviceRow & { tags: string }) | undefined;
    return row === undefined ? undefined : deviceRecordOf(row, JSON.parse(row.tags));
  }

  #tags(key: number): string[] {
    const rows = this.#ctx
      .stmt('SELECT tag FROM device_tags WHERE device_key = ? ORDER BY tag')
      .all(key) as { tag: string }[];
    return rows.map((r) => r.tag);
  }
}
