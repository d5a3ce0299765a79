/** The campaign tables' rows, their mapping to records, and the checks on what is written to them. */
import {
  CAMPAIGN_DEVICE_STATES,
  type CampaignDeviceCounts,
  type CampaignDeviceInput,
  type CampaignDevicePatch,
  type CampaignDeviceRecord,
  type CampaignDeviceState,
  type CampaignProgress,
  type CampaignRecord,
  type CampaignState,
  type CampaignTransfer,
} from './campaigns.ts';
import { StoreError } from './errors.ts';
import type { JsonValue } from './json.ts';
import { parseJson } from './json.ts';
import { checkTime } from './settings.ts';

export interface CampaignRow {
  id: number;
  name: string;
  definition: string;
  state: CampaignState;
  state_reason: string | null;
  created_at: number;
  created_by: string;
  approved_at: number | null;
  approved_by: string | null;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
}

export interface DeviceRow {
  device_id: string;
  position: number;
  stage: number | null;
  state: CampaignDeviceState;
  task_id: number | null;
  transfer: CampaignTransfer | null;
  cancel_task_id: number | null;
  started_at: number | null;
  finished_at: number | null;
  reason: string | null;
  detail: string | null;
}

export const MAX_NAME = 128;
export const MAX_ACTOR = 256;
export const MAX_REASON = 1024;
/** A definition is a few hundred bytes; this only stops abuse. */
export const MAX_DEFINITION_BYTES = 64 * 1024;
export const MAX_DETAIL_BYTES = 4096;
export const CONTROL = /[\u0000-\u001f\u007f]/;

export function invalid(message: string): StoreError {
  return new StoreError('invalid', 'campaign', message);
}

export function text(value: unknown, what: string, max: number): string {
  if (
    typeof value !== 'string' ||
    value === '' ||
    value.length > max ||
    !value.isWellFormed() ||
    CONTROL.test(value)
  ) {
    throw invalid(`${what} is 1-${max} characters of text without control characters`);
  }
  return value;
}

export function jsonText(value: unknown, what: string, max: number): string {
  let out: string | undefined;
  try {
    out = JSON.stringify(value);
  } catch {
    out = undefined;
  }
  if (out === undefined || !out.isWellFormed()) throw invalid(`${what} is a JSON value`);
  if (Buffer.byteLength(out) > max) throw invalid(`${what} is at most ${max} bytes of JSON`);
  return out;
}

export function campaignId(id: unknown): number {
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
    throw invalid('a campaign id is a positive whole number');
  }
  return id;
}

export function states<T extends string>(
  values: readonly unknown[],
  known: readonly T[],
  what: string,
) {
  if (!Array.isArray(values) || values.some((v) => !known.includes(v as T))) {
    throw invalid(`unknown ${what} state`);
  }
  return values as T[];
}

export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

export function campaignOf(r: CampaignRow): CampaignRecord {
  return {
    id: r.id,
    name: r.name,
    definition: JSON.parse(r.definition) as JsonValue,
    state: r.state,
    stateReason: r.state_reason,
    createdAt: r.created_at,
    createdBy: r.created_by,
    approvedAt: r.approved_at,
    approvedBy: r.approved_by,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    updatedAt: r.updated_at,
  };
}

export function deviceOf(r: DeviceRow): CampaignDeviceRecord {
  return {
    deviceId: r.device_id,
    position: r.position,
    stage: r.stage,
    state: r.state,
    taskId: r.task_id,
    transfer: r.transfer,
    cancelTaskId: r.cancel_task_id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    reason: r.reason,
    detail: parseJson<JsonValue>(r.detail),
  };
}

export function emptyCounts(): CampaignDeviceCounts {
  return Object.fromEntries(CAMPAIGN_DEVICE_STATES.map((s) => [s, 0])) as CampaignDeviceCounts;
}

export const DEVICE_SELECT = `SELECT d.id AS device_id, c.position, c.stage, c.state, c.task_id, c.transfer,
  c.cancel_task_id, c.started_at, c.finished_at, c.reason, c.detail
  FROM campaign_devices c JOIN devices d ON d.key = c.device_key`;

/** A campaign device patch checked, as the columns it sets and their values (in a fixed order). */
export function devicePatchColumns(patch: CampaignDevicePatch): [string, unknown][] {
  const columns: [string, unknown][] = [];
  const set = (column: string, value: unknown) => {
    columns.push([column, value]);
  };
  if (patch.state !== undefined) {
    set('state', states([patch.state], CAMPAIGN_DEVICE_STATES, 'a device')[0]);
  }
  for (const [field, column] of [
    ['taskId', 'task_id'],
    ['cancelTaskId', 'cancel_task_id'],
  ] as const) {
    const value = patch[field];
    if (value === undefined) continue;
    if (value !== null && (!Number.isSafeInteger(value) || value < 1)) {
      throw invalid('a task id is a positive whole number');
    }
    set(column, value);
  }
  if (patch.transfer !== undefined) {
    if (patch.transfer !== null && !['download', 'scheduleDownload'].includes(patch.transfer)) {
      throw invalid('a transfer is download or scheduleDownload');
    }
    set('transfer', patch.transfer);
  }
  if (patch.startedAt !== undefined) {
    set('started_at', patch.startedAt === null ? null : checkTime(patch.startedAt, 'startedAt'));
  }
  if (patch.finishedAt !== undefined) {
    set(
      'finished_at',
      patch.finishedAt === null ? null : checkTime(patch.finishedAt, 'finishedAt'),
    );
  }
  if (patch.reason !== undefined) {
    set('reason', patch.reason === null ? null : text(patch.reason, 'a reason', MAX_REASON));
  }
  if (patch.detail !== undefined) {
    set(
      'detail',
      patch.detail === null ? null : jsonText(patch.detail, 'a detail', MAX_DETAIL_BYTES),
    );
  }
  return columns;
}

/** The devices a campaign starts with, checked. */
export function startDevices(devices: readonly CampaignDeviceInput[]): {
  deviceId: string;
  stage: number | null;
  state: 'pending' | 'skipped';
  reason: string | null;
  detail: string | null;
}[] {
  return devices.map((d) => {
    if (typeof d?.deviceId !== 'string') throw invalid('a device id is text');
    if (d.state !== 'pending' && d.state !== 'skipped')
      throw invalid('a device starts pending or skipped');
    if (d.stage !== null && (!Number.isSafeInteger(d.stage) || d.stage < 0)) {
      throw invalid('a stage is a whole number from 0');
    }
    return {
      deviceId: d.deviceId,
      stage: d.stage,
      state: d.state,
      reason: d.reason == null ? null : text(d.reason, 'a reason', MAX_REASON),
      detail: d.detail == null ? null : jsonText(d.detail, 'a detail', MAX_DETAIL_BYTES),
    };
  });
}

/** A campaign's progress from its device counts by (stage, state), in stage order. */
export function progressOf(
  rows: readonly { stage: number | null; state: CampaignDeviceState; n: number }[],
): CampaignProgress {
  const out: CampaignProgress = { total: 0, counts: emptyCounts(), stages: [] };
  const stages = new Map<number, CampaignProgress['stages'][number]>();
  for (const r of rows) {
    out.total += r.n;
    out.counts[r.state] += r.n;
    if (r.stage === null) continue;
    let stage = stages.get(r.stage);
    if (stage === undefined) {
      stage = { stage: r.stage, total: 0, counts: emptyCounts() };
      stages.set(r.stage, stage);
      out.stages.push(stage);
    }
    stage.total += r.n;
    stage.counts[r.state] += r.n;
  }
  return out;
}
