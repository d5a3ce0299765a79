import type { DeviceCondition } from '../../store/devices.ts';
import type { JsonValue } from '../../store/json.ts';

/**
 * A firmware campaign's definition (issue #5 §5): which file, which devices, in what stages, when, how many at
 * once, what counts as success, and when to stop. The store keeps it as opaque JSON; this is the one judge of
 * it, for an API body and for a stored row alike. Defaults are filled in at creation and stored, so a campaign
 * keeps its meaning if a default changes later.
 */

/** A stage: `devices` more devices (a canary of N), or up to `percent` of the eligible set (cumulative). */
export type CampaignStage = { devices: number } | { percent: number };

/** A time of day, `HH:MM` in the campaign's UTC offset; `end` before `start` spans midnight. */
export interface MaintenanceWindow {
  start: string;
  end: string;
}

export interface StopRules {
  /** Halt when more than this many devices have failed. */
  maxFailures?: number;
  /** Halt when failed / (succeeded + failed) exceeds this (0..1). */
  maxFailureRatio?: number;
}

/**
 * `auto`: ScheduleDownload with a TimeWindowList matching the maintenance window, and Download for a device that
 * answers it with 9000 (method not supported) — or Download at once when there is no window to match.
 */
export type TransferMode = 'auto' | 'download' | 'scheduleDownload';

export interface CampaignDefinition {
  /** A stored file of FileType `1 Firmware Upgrade Image`. */
  fileId: string;
  /** The success criterion: the SoftwareVersion the device must come back with. */
  softwareVersion: string;
  /** The device set, resolved when the campaign starts: the store's device filter (AND of conditions). */
  devices: { filter: DeviceCondition[] };
  stages: CampaignStage[];
  /** None: any time. */
  maintenanceWindows: MaintenanceWindow[];
  utcOffsetMinutes: number;
  /** Devices in progress at once. */
  concurrency: number;
  /** From a device's task creation to it running the new version. */
  timeoutSeconds: number;
  stopRules: StopRules;
  transfer: TransferMode;
  /** Ask each device started for a session at once (else it gets its task at its next Inform). */
  connectionRequest: boolean;
}

export const CAMPAIGN_LIMITS = {
  maxStages: 16,
  maxWindows: 8,
  maxConditions: 64,
  maxConcurrency: 10_000,
  minTimeoutSeconds: 60,
  maxTimeoutSeconds: 30 * 86_400,
  maxVersionLength: 64,
} as const;

export const CAMPAIGN_DEFAULTS = {
  stages: [{ percent: 100 }] as CampaignStage[],
  concurrency: 10,
  timeoutSeconds: 3600,
  /** Without rules of its own, a campaign halts once more than a tenth of its finished devices failed. */
  stopRules: { maxFailureRatio: 0.1 } as StopRules,
  transfer: 'auto' as TransferMode,
  connectionRequest: true,
};

const FILE_ID = /^[0-9a-f]{32}$/;
const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;
const KEYS = [
  'fileId',
  'softwareVersion',
  'devices',
  'stages',
  'maintenanceWindows',
  'utcOffsetMinutes',
  'concurrency',
  'timeoutSeconds',
  'stopRules',
  'transfer',
  'connectionRequest',
];

export type DefinitionResult =
  | { ok: true; value: CampaignDefinition }
  | { ok: false; error: { field: string; reason: string } };

class Invalid extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field} ${reason}`);
  }
}

function fail(field: string, reason: string): never {
  throw new Invalid(field, reason);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function onlyKeys(record: Record<string, unknown>, keys: readonly string[], at: string): void {
  for (const key of Object.keys(record)) {
    if (!keys.includes(key)) fail(at === '' ? key : `${at}.${key}`, 'is not a known field');
  }
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    fail(field, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** Minutes after midnight of an `HH:MM`. */
export function minutesOf(time: string): number {
  const m = TIME_OF_DAY.exec(time);
  if (m === null) throw new RangeError(`not a time of day: ${time}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function stage(value: unknown, field: string): CampaignStage {
  if (!isRecord(value)) fail(field, 'must be {"devices": n} or {"percent": p}');
  const keys = Object.keys(value);
  if (keys.length !== 1 || (keys[0] !== 'devices' && keys[0] !== 'percent')) {
    fail(field, 'must be {"devices": n} or {"percent": p}');
  }
  if ('devices' in value) return { devices: integer(value.devices, `${field}.devices`, 1, 1e6) };
  const percent = value.percent;
  if (typeof percent !== 'number' || !(percent > 0 && percent <= 100)) {
    fail(`${field}.percent`, 'must be a number above 0, at most 100');
  }
  return { percent };
}

function window(value: unknown, field: string): MaintenanceWindow {
  if (!isRecord(value)) fail(field, 'must be {"start": "HH:MM", "end": "HH:MM"}');
  onlyKeys(value, ['start', 'end'], field);
  for (const key of ['start', 'end'] as const) {
    if (typeof value[key] !== 'string' || !TIME_OF_DAY.test(value[key])) {
      fail(`${field}.${key}`, 'must be a time of day HH:MM (00:00-23:59)');
    }
  }
  const w = { start: value.start as string, end: value.end as string };
  if (w.start === w.end) fail(field, 'must not be empty (start equals end)');
  return w;
}

function stopRules(value: unknown): StopRules {
  if (!isRecord(value)) fail('stopRules', 'must be an object');
  onlyKeys(value, ['maxFailures', 'maxFailureRatio'], 'stopRules');
  const rules: StopRules = {};
  if (value.maxFailures !== undefined) {
    rules.maxFailures = integer(value.maxFailures, 'stopRules.maxFailures', 0, 1e9);
  }
  if (value.maxFailureRatio !== undefined) {
    const r = value.maxFailureRatio;
    if (typeof r !== 'number' || !(r >= 0 && r <= 1)) {
      fail('stopRules.maxFailureRatio', 'must be a number from 0 to 1');
    }
    rules.maxFailureRatio = r;
  }
  return rules;
}

/**
 * Validates untrusted input (an API body without its name, a stored row) into a definition with every default
 * filled in, or says which field is wrong. Device conditions are checked for shape only: the store judges them
 * (and the API, with its device-list schema, before this).
 */
export function validateCampaignDefinition(input: unknown): DefinitionResult {
  try {
    if (!isRecord(input)) fail('(root)', 'must be an object');
    onlyKeys(input, KEYS, '');
    const { fileId, softwareVersion } = input;
    if (typeof fileId !== 'string' || !FILE_ID.test(fileId)) {
      fail('fileId', 'must be a file id (32 hex characters)');
    }
    if (
      typeof softwareVersion !== 'string' ||
      softwareVersion === '' ||
      softwareVersion.length > CAMPAIGN_LIMITS.maxVersionLength ||
      !softwareVersion.isWellFormed()
    ) {
      fail('softwareVersion', `must be 1-${CAMPAIGN_LIMITS.maxVersionLength} characters`);
    }
    const devices = input.devices;
    if (!isRecord(devices)) fail('devices', 'must be {"filter": [conditions]}');
    onlyKeys(devices, ['filter'], 'devices');
    const filter = devices.filter;
    if (
      !Array.isArray(filter) ||
      filter.length > CAMPAIGN_LIMITS.maxConditions ||
      !filter.every(isRecord)
    ) {
      fail(
        'devices.filter',
        `must be an array of at most ${CAMPAIGN_LIMITS.maxConditions} conditions`,
      );
    }
    const stages = input.stages ?? CAMPAIGN_DEFAULTS.stages;
    if (!Array.isArray(stages) || stages.length < 1 || stages.length > CAMPAIGN_LIMITS.maxStages) {
      fail('stages', `must be 1-${CAMPAIGN_LIMITS.maxStages} stages`);
    }
    const windows = input.maintenanceWindows ?? [];
    if (!Array.isArray(windows) || windows.length > CAMPAIGN_LIMITS.maxWindows) {
      fail('maintenanceWindows', `must be at most ${CAMPAIGN_LIMITS.maxWindows} windows`);
    }
    const transfer = input.transfer ?? CAMPAIGN_DEFAULTS.transfer;
    if (transfer !== 'auto' && transfer !== 'download' && transfer !== 'scheduleDownload') {
      fail('transfer', 'must be auto, download or scheduleDownload');
    }
    const connectionRequest = input.connectionRequest ?? CAMPAIGN_DEFAULTS.connectionRequest;
    if (typeof connectionRequest !== 'boolean') fail('connectionRequest', 'must be a boolean');
    return {
      ok: true,
      value: {
        fileId,
        softwareVersion,
        devices: { filter: filter as DeviceCondition[] },
        stages: stages.map((s, i) => stage(s, `stages[${i}]`)),
        maintenanceWindows: windows.map((w, i) => window(w, `maintenanceWindows[${i}]`)),
        utcOffsetMinutes: integer(input.utcOffsetMinutes ?? 0, 'utcOffsetMinutes', -720, 840),
        concurrency: integer(
          input.concurrency ?? CAMPAIGN_DEFAULTS.concurrency,
          'concurrency',
          1,
          CAMPAIGN_LIMITS.maxConcurrency,
        ),
        timeoutSeconds: integer(
          input.timeoutSeconds ?? CAMPAIGN_DEFAULTS.timeoutSeconds,
          'timeoutSeconds',
          CAMPAIGN_LIMITS.minTimeoutSeconds,
          CAMPAIGN_LIMITS.maxTimeoutSeconds,
        ),
        stopRules: stopRules(input.stopRules ?? CAMPAIGN_DEFAULTS.stopRules),
        transfer,
        connectionRequest,
      },
    };
  } catch (err) {
    if (err instanceof Invalid)
      return { ok: false, error: { field: err.field, reason: err.reason } };
    throw err;
  }
}

/** The definition as the store keeps it. */
export function definitionJson(definition: CampaignDefinition): JsonValue {
  return JSON.parse(JSON.stringify(definition)) as JsonValue;
}
