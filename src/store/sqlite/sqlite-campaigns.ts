import {
  type CampaignRow,
  campaignId,
  campaignOf,
  DEVICE_SELECT,
  type DeviceRow,
  deviceOf,
  devicePatchColumns,
  invalid,
  jsonText,
  MAX_ACTOR,
  MAX_DEFINITION_BYTES,
  MAX_NAME,
  MAX_REASON,
  placeholders,
  progressOf,
  startDevices,
  states,
  text,
} from '../campaign-rows.ts';
import {
  CAMPAIGN_DEVICE_STATES,
  CAMPAIGN_STATES,
  type CampaignDeviceExpectation,
  type CampaignDeviceFilter,
  type CampaignDeviceInput,
  type CampaignDevicePatch,
  type CampaignDeviceRecord,
  type CampaignDeviceState,
  type CampaignFilter,
  type CampaignInput,
  type CampaignProgress,
  type CampaignRecord,
  type CampaignState,
  type CampaignStore,
  FINAL_CAMPAIGN_STATES,
} from '../campaigns.ts';
import { excerpt, notFound, StoreError } from '../errors.ts';
import { page } from '../paging.ts';
import { DEFAULT_PAGE, MAX_PAGE } from '../store.ts';
import type { Context } from './context.ts';

/**
 * Campaigns in one table, their devices in another keyed (campaign, device key): a campaign's rows are read
 * together, in `position` order, and refer to the device by its integer key, never its (long, device-controlled)
 * text id (store.ts). Deleting a device deletes its outcome rows, as every per-device row.
 */
export class SqliteCampaigns implements CampaignStore {
  readonly #ctx: Context;

  constructor(ctx: Context) {
    this.#ctx = ctx;
  }

  async create(input: CampaignInput): Promise<CampaignRecord> {
    const ctx = this.#ctx;
    const name = text(input?.name, 'a campaign name', MAX_NAME);
    const definition = jsonText(input.definition, 'a definition', MAX_DEFINITION_BYTES);
    const createdBy = text(input.createdBy, 'createdBy', MAX_ACTOR);
    return ctx.write(() => {
      const now = ctx.now();
      const { lastInsertRowid } = ctx
        .stmt(
          `INSERT INTO campaigns (name, definition, state, created_at, created_by, updated_at)
           VALUES (?, ?, 'draft', ?, ?, ?)`,
        )
        .run(name, definition, now, createdBy, now);
      return this.#require(Number(lastInsertRowid));
    });
  }

  async get(id: number): Promise<CampaignRecord | null> {
    const row = this.#ctx.stmt('SELECT * FROM campaigns WHERE id = ?').get(campaignId(id)) as
      | CampaignRow
      | undefined;
    return row === undefined ? null : campaignOf(row);
  }

  async list(filter: CampaignFilter = {}): Promise<CampaignRecord[]> {
    const limit = page(filter.limit, DEFAULT_PAGE, MAX_PAGE, 'limit');
    const offset = page(filter.offset, 0, Number.MAX_SAFE_INTEGER, 'offset');
    const wanted = filter.states === undefined ? [] : states(filter.states, CAMPAIGN_STATES, 'a');
    const where = wanted.length > 0 ? `WHERE state IN (${placeholders(wanted.length)})` : '';
    const rows = this.#ctx
      .stmt(`SELECT * FROM campaigns ${where} ORDER BY id DESC LIMIT ? OFFSET ?`)
      .all(...wanted, limit, offset) as CampaignRow[];
    return rows.map(campaignOf);
  }

  async approve(id: number, approvedBy: string): Promise<CampaignRecord> {
    const ctx = this.#ctx;
    const by = text(approvedBy, 'approvedBy', MAX_ACTOR);
    return ctx.write(() => {
      const campaign = this.#require(campaignId(id));
      if (campaign.state !== 'draft') throw this.#wrongState(campaign, ['draft']);
      if (campaign.createdBy === by) {
        throw new StoreError('conflict', 'campaign', 'a campaign is approved by someone else');
      }
      const now = ctx.now();
      ctx
        .stmt(
          `UPDATE campaigns SET state = 'approved', approved_at = ?, approved_by = ?, updated_at = ?
           WHERE id = ?`,
        )
        .run(now, by, now, campaign.id);
      return this.#require(campaign.id);
    });
  }

  async start(id: number, devices: readonly CampaignDeviceInput[]): Promise<CampaignRecord> {
    const ctx = this.#ctx;
    const rows = startDevices(devices);
    return ctx.write(() => {
      const campaign = this.#require(campaignId(id));
      if (campaign.state !== 'approved') throw this.#wrongState(campaign, ['approved']);
      const now = ctx.now();
      const insert = ctx.stmt(
        `INSERT INTO campaign_devices (campaign_id, device_key, position, stage, state, reason, detail,
           finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      );
      let position = 0;
      for (const r of rows) {
        const key = ctx.keyOf(r.deviceId);
        if (key === undefined) continue; // deleted since the set was resolved
        const finishedAt = r.state === 'skipped' ? now : null;
        const { changes } = insert.run(
          campaign.id,
          key,
          position,
          r.stage,
          r.state,
          r.reason,
          r.detail,
          finishedAt,
        );
        position += changes;
      }
      ctx
        .stmt(`UPDATE campaigns SET state = 'running', started_at = ?, updated_at = ? WHERE id = ?`)
        .run(now, now, campaign.id);
      return this.#require(campaign.id);
    });
  }

  async transition(
    id: number,
    from: readonly CampaignState[],
    to: CampaignState,
    reason: string | null = null,
  ): Promise<CampaignRecord> {
    const ctx = this.#ctx;
    const allowed = states(from, CAMPAIGN_STATES, 'a campaign');
    const [target] = states([to], CAMPAIGN_STATES, 'a campaign');
    const note = reason === null ? null : text(reason, 'a reason', MAX_REASON);
    return ctx.write(() => {
      const campaign = this.#require(campaignId(id));
      if (!allowed.includes(campaign.state)) throw this.#wrongState(campaign, allowed);
      const now = ctx.now();
      const finishedAt = FINAL_CAMPAIGN_STATES.has(target!) ? now : null;
      ctx
        .stmt(
          `UPDATE campaigns SET state = ?, state_reason = ?, updated_at = ?,
             finished_at = coalesce(?, finished_at) WHERE id = ?`,
        )
        .run(target, note, now, finishedAt, campaign.id);
      return this.#require(campaign.id);
    });
  }

  async devices(id: number, filter: CampaignDeviceFilter = {}): Promise<CampaignDeviceRecord[]> {
    const ctx = this.#ctx;
    const limit = page(filter.limit, DEFAULT_PAGE, MAX_PAGE, 'limit');
    const offset = page(filter.offset, 0, Number.MAX_SAFE_INTEGER, 'offset');
    const wanted =
      filter.states === undefined ? [] : states(filter.states, CAMPAIGN_DEVICE_STATES, 'a device');
    const where = ['c.campaign_id = ?'];
    const params: unknown[] = [campaignId(id)];
    if (wanted.length > 0) {
      where.push(`c.state IN (${placeholders(wanted.length)})`);
      params.push(...wanted);
    }
    if (filter.stage !== undefined) {
      if (!Number.isSafeInteger(filter.stage) || filter.stage < 0) {
        throw invalid('a stage is a whole number from 0');
      }
      where.push('c.stage = ?');
      params.push(filter.stage);
    }
    return ctx.read(() => {
      this.#require(campaignId(id));
      const rows = ctx
        .stmt(`${DEVICE_SELECT} WHERE ${where.join(' AND ')} ORDER BY c.position LIMIT ? OFFSET ?`)
        .all(...params, limit, offset) as DeviceRow[];
      return rows.map(deviceOf);
    });
  }

  async device(id: number, deviceId: string): Promise<CampaignDeviceRecord | null> {
    const ctx = this.#ctx;
    const key = typeof deviceId === 'string' ? ctx.keyOf(deviceId) : undefined;
    if (key === undefined) return null;
    const row = ctx
      .stmt(`${DEVICE_SELECT} WHERE c.campaign_id = ? AND c.device_key = ?`)
      .get(campaignId(id), key) as DeviceRow | undefined;
    return row === undefined ? null : deviceOf(row);
  }

  async updateDevice(
    id: number,
    deviceId: string,
    expect: CampaignDeviceExpectation,
    patch: CampaignDevicePatch,
  ): Promise<CampaignDeviceRecord> {
    const ctx = this.#ctx;
    const columns = devicePatchColumns(patch);
    const sets = columns.map(([column]) => `${column} = ?`);
    const values = columns.map(([, value]) => value);
    const rowStates = states(expect.states, CAMPAIGN_DEVICE_STATES, 'a device');
    const campaignStates =
      expect.campaignStates === undefined
        ? undefined
        : states(expect.campaignStates, CAMPAIGN_STATES, 'a campaign');
    return ctx.write(() => {
      const campaign = this.#require(campaignId(id));
      if (campaignStates !== undefined && !campaignStates.includes(campaign.state)) {
        throw this.#wrongState(campaign, campaignStates);
      }
      const key = ctx.keyOf(String(deviceId));
      const current =
        key === undefined
          ? undefined
          : (ctx
              .stmt(
                'SELECT state, cancel_task_id FROM campaign_devices WHERE campaign_id = ? AND device_key = ?',
              )
              .get(campaign.id, key) as
              | { state: CampaignDeviceState; cancel_task_id: number | null }
              | undefined);
      if (key === undefined || current === undefined) {
        throw notFound(
          'campaign',
          `device ${excerpt(String(deviceId))} of campaign ${campaign.id}`,
        );
      }
      if (!rowStates.includes(current.state)) {
        throw new StoreError(
          'conflict',
          'campaign',
          `the device is ${current.state}, not ${rowStates.join(' or ')}`,
        );
      }
      if (expect.noCancelTask === true && current.cancel_task_id !== null) {
        throw new StoreError('conflict', 'campaign', 'a CancelTransfer is already queued');
      }
      if (sets.length > 0) {
        ctx
          .stmt(
            `UPDATE campaign_devices SET ${sets.join(', ')} WHERE campaign_id = ? AND device_key = ?`,
          )
          .run(...values, campaign.id, key);
      }
      ctx.stmt('UPDATE campaigns SET updated_at = ? WHERE id = ?').run(ctx.now(), campaign.id);
      const row = ctx
        .stmt(`${DEVICE_SELECT} WHERE c.campaign_id = ? AND c.device_key = ?`)
        .get(campaign.id, key) as DeviceRow;
      return deviceOf(row);
    });
  }

  async cancelDevices(
    id: number,
    from: readonly CampaignDeviceState[],
    reason: string,
  ): Promise<number> {
    const ctx = this.#ctx;
    const rowStates = states(from, CAMPAIGN_DEVICE_STATES, 'a device');
    const note = text(reason, 'a reason', MAX_REASON);
    if (rowStates.length === 0) return 0;
    return ctx.write(() => {
      const campaign = this.#require(campaignId(id));
      const now = ctx.now();
      const { changes } = ctx
        .stmt(
          `UPDATE campaign_devices SET state = 'cancelled', reason = ?, finished_at = ?
           WHERE campaign_id = ? AND state IN (${placeholders(rowStates.length)})`,
        )
        .run(note, now, campaign.id, ...rowStates);
      if (changes > 0) {
        ctx.stmt('UPDATE campaigns SET updated_at = ? WHERE id = ?').run(now, campaign.id);
      }
      return changes;
    });
  }

  async progress(id: number): Promise<CampaignProgress> {
    const ctx = this.#ctx;
    return ctx.read(() => {
      const campaign = this.#require(campaignId(id));
      const rows = ctx
        .stmt(
          `SELECT stage, state, count(*) AS n FROM campaign_devices WHERE campaign_id = ?
           GROUP BY stage, state ORDER BY stage`,
        )
        .all(campaign.id) as { stage: number | null; state: CampaignDeviceState; n: number }[];
      return progressOf(rows);
    });
  }

  #require(id: number): CampaignRecord {
    const row = this.#ctx.stmt('SELECT * FROM campaigns WHERE id = ?').get(id) as
      | CampaignRow
      | undefined;
    if (row === undefined) throw notFound('campaign', String(id));
    return campaignOf(row);
  }

  #wrongState(campaign: CampaignRecord, expected: readonly CampaignState[]): StoreError {
    return new StoreError(
      'conflict',
      'campaign',
      `campaign ${campaign.id} is ${campaign.state}, not ${expected.join(' or ')}`,
    );
  }
}
