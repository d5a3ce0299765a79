import type { JsonValue } from './json.ts';

/**
 * Firmware campaigns as the store keeps them: a campaign row (its definition opaque JSON that the ACS validates,
 * src/acs/campaigns/definition.ts, its state, who created and who approved it) and one outcome row per device of
 * the set it resolved when it started.
 *
 * States: draft → approved → running ⇄ paused → completed | halted | aborted. The store enforces the
 * transitions it is asked for atomically (`from` → `to`), so two operators pausing and aborting at once cannot
 * both win; which transitions are allowed when is the ACS's business.
 */
export type CampaignState =
  | 'draft'
  | 'approved'
  | 'running'
  | 'paused'
  | 'completed'
  | 'halted'
  | 'aborted';

export const CAMPAIGN_STATES: readonly CampaignState[] = [
  'draft',
  'approved',
  'running',
  'paused',
  'completed',
  'halted',
  'aborted',
];

/** No way out of these. */
export const FINAL_CAMPAIGN_STATES: ReadonlySet<CampaignState> = new Set<CampaignState>([
  'completed',
  'halted',
  'aborted',
]);

/**
 * - `pending`: in the set, not started.
 * - `in-progress`: its task is queued or under way (`taskId`, `startedAt`).
 * - `succeeded`: it came back running the campaign's SoftwareVersion.
 * - `failed`: `reason` says why (a CPE fault, a TransferComplete fault, a timeout, the wrong version).
 * - `skipped`: never to be started (`reason`: already on the version, not a target of the file).
 * - `cancelled`: the campaign was aborted or halted before the device was sent anything, or the device
 *   confirmed the CancelTransfer of a ScheduleDownload it was holding (`cancelTaskId`).
 */
export type CampaignDeviceState =
  | 'pending'
  | 'in-progress'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'cancelled';

export const CAMPAIGN_DEVICE_STATES: readonly CampaignDeviceState[] = [
  'pending',
  'in-progress',
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
];

/** A device's row in these states will not change again. */
export const FINISHED_DEVICE_STATES: ReadonlySet<CampaignDeviceState> =
  new Set<CampaignDeviceState>(['succeeded', 'failed', 'skipped', 'cancelled']);

export interface CampaignRecord {
  id: number;
  name: string;
  definition: JsonValue;
  state: CampaignState;
  /** Why it halted or was aborted (or any last transition's note); null otherwise. */
  stateReason: string | null;
  createdAt: number;
  /** The actor that created it (`api-key:<id>`, `admin-key`). */
  createdBy: string;
  approvedAt: number | null;
  approvedBy: string | null;
  startedAt: number | null;
  /** When it reached completed, halted or aborted. */
  finishedAt: number | null;
  updatedAt: number;
}

export interface CampaignInput {
  name: string;
  definition: JsonValue;
  createdBy: string;
}

export type CampaignTransfer = 'download' | 'scheduleDownload';

export interface CampaignDeviceRecord {
  deviceId: string;
  /** Order in the campaign (the order devices are started in). */
  position: number;
  /** The stage it belongs to (0 = the first); null for a skipped device. */
  stage: number | null;
  state: CampaignDeviceState;
  /** The task the campaign queued for it (the latest, after a fallback). */
  taskId: number | null;
  transfer: CampaignTransfer | null;
  /**
   * The CancelTransfer queued when the campaign stopped while the device held its ScheduleDownload; null when
   * none was. Once it is done the device is `cancelled`; if it faulted (9021: already started) the device is
   * judged as before.
   */
  cancelTaskId: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  /** A short stable code: `timeout`, `cpe-fault`, `transfer-fault`, `wrong-version`, `already-on-version`… */
  reason: string | null;
  /** The particulars: a fault code and message, the version reported. */
  detail: JsonValue | null;
}

export interface CampaignDeviceInput {
  deviceId: string;
  stage: number | null;
  state: 'pending' | 'skipped';
  reason?: string | null;
  detail?: JsonValue | null;
}

/** Fields to change on a device's row; null clears. */
export interface CampaignDevicePatch {
  state?: CampaignDeviceState;
  taskId?: number | null;
  transfer?: CampaignTransfer | null;
  cancelTaskId?: number | null;
  startedAt?: number | null;
  finishedAt?: number | null;
  reason?: string | null;
  detail?: JsonValue | null;
}

/** What the row and its campaign must be for an update to apply (else conflict). */
export interface CampaignDeviceExpectation {
  states: readonly CampaignDeviceState[];
  campaignStates?: readonly CampaignState[];
  /** The row has no `cancelTaskId` yet (so two stops cannot both queue a CancelTransfer). */
  noCancelTask?: boolean;
}

export type CampaignDeviceCounts = Record<CampaignDeviceState, number>;

export interface CampaignProgress {
  total: number;
  counts: CampaignDeviceCounts;
  /** Per stage, in order (skipped devices belong to none). */
  stages: { stage: number; total: number; counts: CampaignDeviceCounts }[];
}

export interface CampaignFilter {
  states?: readonly CampaignState[];
  /** Default 100, at most 10,000; newest first. */
  limit?: number;
  offset?: number;
}

export interface CampaignDeviceFilter {
  states?: readonly CampaignDeviceState[];
  stage?: number;
  /** Default 100, at most 10,000; by position. */
  limit?: number;
  offset?: number;
}

export interface CampaignStore {
  /** A new draft. Rejects with invalid for a bad name, definition or creator. */
  create(input: CampaignInput): Promise<CampaignRecord>;
  get(id: number): Promise<CampaignRecord | null>;
  list(filter?: CampaignFilter): Promise<CampaignRecord[]>;
  /**
   * draft → approved, by `approvedBy`. Conflict unless it is a draft, or when `approvedBy` is the creator
   * (four eyes: nobody approves their own campaign).
   */
  approve(id: number, approvedBy: string): Promise<CampaignRecord>;
  /**
   * approved → running, with its device set, in one transaction: one row per device (devices deleted since
   * they were resolved are left out). Conflict unless approved.
   */
  start(id: number, devices: readonly CampaignDeviceInput[]): Promise<CampaignRecord>;
  /**
   * Move from one of `from` to `to` (with `reason` as its stateReason); a final state sets `finishedAt`.
   * Conflict when the campaign is not in one of `from`.
   */
  transition(
    id: number,
    from: readonly CampaignState[],
    to: CampaignState,
    reason?: string | null,
  ): Promise<CampaignRecord>;
  /** Rejects with not-found for an unknown campaign. */
  devices(id: number, filter?: CampaignDeviceFilter): Promise<CampaignDeviceRecord[]>;
  /** One device's row, or null when the device is not in the campaign. */
  device(id: number, deviceId: string): Promise<CampaignDeviceRecord | null>;
  /** Change one device's row, if it and its campaign are as expected (else conflict). */
  updateDevice(
    id: number,
    deviceId: string,
    expect: CampaignDeviceExpectation,
    patch: CampaignDevicePatch,
  ): Promise<CampaignDeviceRecord>;
  /** Every row in `from` → cancelled with `reason` and a finish time. Returns how many. */
  cancelDevices(id: number, from: readonly CampaignDeviceState[], reason: string): Promise<number>;
  /** Counts per state, overall and per stage. Rejects with not-found for an unknown campaign. */
  progress(id: number): Promise<CampaignProgress>;
}
