import { isDeviceField } from '../device-filter.ts';
import { encodeDeviceId } from '../device-id.ts';
import {
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
import { excerpt, StoreError } from '../errors.ts';
import type { JsonValue } from '../json.ts';
import { json, parseJson } from '../json.ts';
import { page } from '../paging.ts';
import { toRecord } from '../parameter-diff.ts';
import { DEFAULT_PAGE, MAX_PAGE } from '../store.ts';
import type { Context } from './context.ts';
import { orderOf, whereOf } from './device-query.ts';
import type { PgParameters } from './pg-parameters.ts';

/** Devices a filtered page is first looked for among, along the sort's index (list()). */
const SORT_WINDOW = 20_000;

export class PgDevices implements DeviceStore {
  readonly #ctx: Context;
  readonly #parameters: PgParameters;

  constructor(ctx: Context, parameters: PgParameters) {
    this.#ctx = ctx;
    this.#parameters = parameters;
  }

  async recordInform(input: InformInput): Promise<InformOutcome> {
    const ctx = this.#ctx;
    validateIdentity(input.device);
    const id = encodeDeviceId(input.device);
    const at = ctx.timeOr(input.at, 'at');
    const { remote, events, bootstrap, boot } = informOf(input);
    return ctx.writeDevice(async () => {
      let key = await ctx.keyOf(id);
      let created = false;
      if (key === undefined) {
        // Another node's first Inform of the same device may be inserting it too: whoever comes second waits
        // for the first to commit, inserts nothing, and goes on with the row as a known device's.
        const r = await ctx.get<{ key: number }>(
          `INSERT INTO devices (id, manufacturer, oui, product_class, serial_number, remote_address,
             first_inform_at, last_inform_at, last_boot_at, last_bootstrap_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT DO NOTHING
           RETURNING key`,
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
        if (r !== undefined) {
          key = r.key;
          created = true;
        } else {
          key = await ctx.requireKey(id);
        }
      }
      if (!created) {
        // One UPDATE of the columns that change (the row is rewritten as a whole in PostgreSQL either way).
        await ctx.run(
          `UPDATE devices SET last_inform_at = ?,
             remote_address = coalesce(?, remote_address),
             last_boot_at = CASE WHEN ? THEN ?::bigint ELSE last_boot_at END,
             last_bootstrap_at = CASE WHEN ? THEN ?::bigint ELSE last_bootstrap_at END,
             provisioning = CASE WHEN ? THEN NULL ELSE provisioning END,
             manufacturer = ?
           WHERE key = ?`,
          at,
          remote,
          boot,
          at,
          bootstrap,
          at,
          bootstrap,
          input.device.manufacturer,
          key,
        );
        if (bootstrap) await this.#parameters.forgetAll(key);
      }
      await this.#recordEvents(key, events, at);
      const changes = await this.#parameters.upsertRows(key, id, input.parameters ?? [], { at });
      return { device: (await this.#device(key))!, created, bootstrap, changes };
    });
  }

  async get(id: string): Promise<DeviceRecord | null> {
    const ctx = this.#ctx;
    return ctx.read(async () => {
      const key = await ctx.keyOf(id);
      return key === undefined ? null : (await this.#device(key))!;
    });
  }

  async list(query: DeviceListQuery = {}): Promise<DeviceView[]> {
    const ctx = this.#ctx;
    const isIndexed = await this.#parameters.indexedPaths();
    const where = whereOf(query.filter, isIndexed);
    const sortField = query.sort?.field ?? 'id';
    if (!isDeviceField(sortField)) throw new StoreError('invalid', 'device', 'unknown sort field');
    const direction = query.sort?.direction === 'desc' ? 'DESC' : 'ASC';
    const limit = page(query.limit, DEFAULT_PAGE, MAX_PAGE, 'limit');
    const offset = page(query.offset, 0, Number.MAX_SAFE_INTEGER, 'offset');
    const projection = query.projection ?? {};
    const fields = projection.fields ?? DEVICE_FIELDS;
    for (const f of fields) {
      if (!isDeviceField(f))
        throw new StoreError('invalid', 'device', `unknown field ${excerpt(String(f))}`);
    }
    const withTags = projection.tags ?? true;
    return ctx.read(async () => {
      const order = orderOf(sortField, direction);
      // First along the sort's index, testing the filter on the first SORT_WINDOW devices only: a filter most
      // devices pass fills its page there at once, where the filter's own index would sort every match (a
      // product class at 1M devices: 200,000 rows). A page not filled there comes from the filter's index.
      let rows: DeviceRow[] = [];
      // A marked parameter's value is an index seek already, and usually a few devices: no window for it.
      const seek = (query.filter ?? []).some((c) => c?.kind === 'parameter' && isIndexed(c.path));
      if (where.sql !== 'TRUE' && !seek && offset + limit <= SORT_WINDOW) {
        const probe = whereOf(query.filter, () => false, true);
        rows = (await ctx
          .stmt(
            `SELECT * FROM (${SELECT_DEVICE} ORDER BY ${order} LIMIT ${SORT_WINDOW}) d WHERE ${probe.sql}
             ORDER BY ${order} LIMIT ? OFFSET ?`,
          )
          .all(...probe.args, limit, offset)) as DeviceRow[];
      }
      if (rows.length < limit) {
        rows = (await ctx
          .stmt(`${SELECT_DEVICE} WHERE ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`)
          .all(...where.args, limit, offset)) as DeviceRow[];
      }
      const views: DeviceView[] = [];
      for (const row of rows) {
        const full = deviceRecordOf(row, withTags ? await this.#tags(row.key) : []);
        const view: DeviceView = { id: row.id };
        const target = view as Record<string, unknown>;
        for (const f of fields) target[f] = full[f];
        if (withTags) view.tags = full.tags;
        if (projection.parameters !== undefined && projection.parameters.length > 0) {
          view.parameters = (await this.#parameters.rowsOf(row.key, projection.parameters)).map(
            toRecord,
          );
        }
        views.push(view);
      }
      return views;
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
      const row = (await await this.#ctx
        .stmt('SELECT count(*) AS n FROM device_tags WHERE tag = ?')
        .get(only.tag)) as { n: number };
      return row.n;
    }
    const where = whereOf(filter, await this.#parameters.indexedPaths());
    const row = (await await this.#ctx
      .stmt(`SELECT count(*) AS n FROM devices d WHERE ${where.sql}`)
      .get(...where.args)) as { n: number };
    return row.n;
  }

  async delete(id: string): Promise<void> {
    const ctx = this.#ctx;
    await ctx.writeDevice(async () => {
      const key = await ctx.requireKey(id);
      await ctx.stmt('DELETE FROM devices WHERE key = ?').run(key);
      await ctx
        .stmt('DELETE FROM cpe_credentials WHERE md5(device_id) = md5(?) AND device_id = ?')
        .run(id, id);
      await ctx
        .stmt(
          'DELETE FROM connection_request_credentials WHERE md5(device_id) = md5(?) AND device_id = ?',
        )
        .run(id, id);
    });
  }

  async events(id: string, options: { limit?: number } = {}): Promise<DeviceEvent[]> {
    const ctx = this.#ctx;
    const limit = page(options.limit, MAX_PAGE, MAX_PAGE, 'limit');
    return ctx.read(async () => {
      const rows = (await ctx
        .stmt(
          'SELECT at, code, command_key FROM device_events WHERE device_key = ? ORDER BY id DESC LIMIT ?',
        )
        .all(await ctx.requireKey(id), limit)) as {
        at: number;
        code: string;
        command_key: string;
      }[];
      return rows.map((r) => ({ at: r.at, code: r.code, commandKey: r.command_key }));
    });
  }

  async addTags(id: string, tags: readonly string[]): Promise<string[]> {
    const ctx = this.#ctx;
    const valid = validTags(tags);
    return ctx.writeDevice(async () => {
      const key = await ctx.requireKey(id);
      const add = await ctx.stmt(
        'INSERT INTO device_tags (device_key, tag) VALUES (?, ?) ON CONFLICT DO NOTHING',
      );
      for (const t of valid) await add.run(key, t);
      return await this.#tags(key);
    });
  }

  async removeTags(id: string, tags: readonly string[]): Promise<string[]> {
    const ctx = this.#ctx;
    const valid = validTags(tags);
    return ctx.writeDevice(async () => {
      const key = await ctx.requireKey(id);
      const remove = await ctx.stmt('DELETE FROM device_tags WHERE device_key = ? AND tag = ?');
      for (const t of valid) await remove.run(key, t);
      return await this.#tags(key);
    });
  }

  async listTags(): Promise<{ tag: string; devices: number }[]> {
    return (await await this.#ctx
      .stmt('SELECT tag, count(*) AS devices FROM device_tags GROUP BY tag ORDER BY tag')
      .all()) as { tag: string; devices: number }[];
  }

  async getProvisioningState(id: string): Promise<JsonValue | null> {
    const ctx = this.#ctx;
    return ctx.read(async () => {
      const row = (await ctx
        .stmt('SELECT provisioning FROM devices WHERE key = ?')
        .get(await ctx.requireKey(id))) as {
        provisioning: string | null;
      };
      return parseJson<JsonValue>(row.provisioning);
    });
  }

  async setProvisioningState(id: string, state: JsonValue | null): Promise<void> {
    const ctx = this.#ctx;
    const encoded = state === null ? null : json(state);
    await ctx.writeDevice(async () => {
      await ctx
        .stmt('UPDATE devices SET provisioning = ? WHERE key = ?')
        .run(encoded, await ctx.requireKey(id));
    });
  }

  async #recordEvents(
    key: number,
    events: readonly { code: string; commandKey: string }[],
    at: number,
  ): Promise<void> {
    const ctx = this.#ctx;
    const limit = ctx.settings.eventHistoryLimit;
    if (events.length === 0) return;
    const insert = await ctx.stmt(
      'INSERT INTO device_events (device_key, at, code, command_key) VALUES (?, ?, ?, ?)',
    );
    for (const e of events.slice(-Math.max(limit, 1)))
      await insert.run(key, at, e.code, e.commandKey);
    await ctx
      .stmt(
        `DELETE FROM device_events WHERE device_key = ? AND id <= (
           SELECT id FROM device_events WHERE device_key = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
      )
      .run(key, key, limit);
  }

  async #device(key: number): Promise<DeviceRecord | undefined> {
    const row = (await this.#ctx.stmt(`${SELECT_DEVICE} WHERE d.key = ?`).get(key)) as
      | DeviceRow
      | undefined;
    return row === undefined ? undefined : deviceRecordOf(row, await this.#tags(key));
  }

  async #tags(key: number): Promise<string[]> {
    const rows = (await await this.#ctx
      .stmt('SELECT tag FROM device_tags WHERE device_key = ? ORDER BY tag')
      .all(key)) as { tag: string }[];
    return rows.map((r) => r.tag);
  }
}
