import type { CampaignDeviceRecord } from '../../store/campaigns.ts';
import type { DeviceRecord } from '../../store/devices.ts';
import type { JsonValue } from '../../store/json.ts';
import type { TaskFault, TaskRecord } from '../../store/tasks.ts';
import type { CampaignDefinition } from './definition.ts';

/** The CWMP fault "Method not supported": a CPE without ScheduleDownload. */
export const METHOD_NOT_SUPPORTED = 9000;

/** What becomes of a device in progress. */
export type Verdict =
  /** Still under way. */
  | { kind: 'wait' }
  | { kind: 'succeeded'; detail: JsonValue }
  /** `cancelTask`: withdraw its task if it is still queued or awaiting (a timeout). */
  | { kind: 'failed'; reason: string; detail: JsonValue; cancelTask: boolean }
  /** It does not support ScheduleDownload: send a Download instead. */
  | { kind: 'fallback' }
  /** Its window closed before its task was sent: withdraw the task, start it again in the next window. */
  | { kind: 'withdraw' }
  /** The campaign stopped while the device holds its ScheduleDownload: send it a CancelTransfer. */
  | { kind: 'cancel-transfer' }
  /** The device confirmed the CancelTransfer: it will not download; its transfer task is moot. */
  | { kind: 'cancelled' };

const FAULT_REASONS: Record<TaskFault['source'], string> = {
  cpe: 'cpe-fault',
  transfer: 'transfer-fault',
  timeout: 'transfer-timeout',
  interrupted: 'interrupted',
  acs: 'acs-error',
};

export interface OutcomeContext {
  definition: CampaignDefinition;
  /** The runner's clock. */
  now: number;
  /** Is a maintenance window open now? */
  windowOpen: boolean;
  /** Was the campaign halted or aborted? */
  stopped?: boolean;
  /** The CancelTransfer queued for the device when the campaign stopped (`row.cancelTaskId`), if any. */
  cancelTask?: TaskRecord | null;
}

/**
 * The success criterion (issue #5 §5): the device comes back running the campaign's SoftwareVersion within the
 * timeout. It succeeds when its task is done and the device reports the version, or when the device has
 * rebooted since the task was queued and reports it (its TransferComplete may come later). It fails on a CPE
 * fault, a TransferComplete fault, a transfer timeout, the timeout, or a finished transfer after which the
 * device booted into another version ("wrong-version": judged only once it has booted since the task was
 * queued, since a Download answered Status 0 reboots afterwards; a reboot while the transfer is still
 * pending proves nothing, the device may simply have been power-cycled).
 *
 * Once its campaign has stopped, a device holding a ScheduleDownload (awaiting its TransferComplete) is sent a
 * CancelTransfer, once; when that is done the device is cancelled. While it is under way, or when it faulted
 * (9021: the transfer had started), the device is judged as above: it may still succeed or fail.
 */
export function judge(
  row: CampaignDeviceRecord,
  task: TaskRecord | null,
  device: DeviceRecord | null,
  { definition, now, windowOpen, stopped = false, cancelTask = null }: OutcomeContext,
): Verdict {
  const target = definition.softwareVersion;
  const reported = device?.softwareVersion ?? null;
  if (device === null) {
    return { kind: 'failed', reason: 'device-deleted', detail: null, cancelTask: false };
  }
  if (row.cancelTaskId !== null && cancelTask?.state === 'done') return { kind: 'cancelled' };
  if (task === null) {
    return reported === target
      ? { kind: 'succeeded', detail: { softwareVersion: reported } }
      : {
          kind: 'failed',
          reason: 'task-missing',
          detail: { softwareVersion: reported },
          cancelTask: false,
        };
  }
  const bootedSince = device.lastBootAt !== null && device.lastBootAt >= task.createdAt;
  if (task.state === 'failed') {
    const fault = task.fault;
    if (
      task.type === 'scheduleDownload' &&
      definition.transfer === 'auto' &&
      fault?.source === 'cpe' &&
      fault.code === METHOD_NOT_SUPPORTED
    ) {
      return { kind: 'fallback' };
    }
    return {
      kind: 'failed',
      reason: fault === null ? 'task-failed' : FAULT_REASONS[fault.source],
      detail: { code: fault?.code ?? null, message: fault?.message ?? null },
      cancelTask: false,
    };
  }
  if (task.state === 'cancelled') {
    return { kind: 'failed', reason: 'task-cancelled', detail: null, cancelTask: false };
  }
  if ((task.state === 'done' || bootedSince) && reported === target) {
    return { kind: 'succeeded', detail: { softwareVersion: reported } };
  }
  if (task.state === 'done' && bootedSince) {
    return {
      kind: 'failed',
      reason: 'wrong-version',
      detail: { expected: target, softwareVersion: reported },
      cancelTask: false,
    };
  }
  if (
    stopped &&
    row.cancelTaskId === null &&
    task.type === 'scheduleDownload' &&
    task.state === 'awaiting'
  ) {
    return { kind: 'cancel-transfer' };
  }
  const started = row.startedAt ?? now;
  if (now >= started + definition.timeoutSeconds * 1000) {
    return {
      kind: 'failed',
      reason: 'timeout',
      detail: { timeoutSeconds: definition.timeoutSeconds, softwareVersion: reported },
      cancelTask: task.state !== 'done',
    };
  }
  if (task.state === 'pending' && !windowOpen) return { kind: 'withdraw' };
  return { kind: 'wait' };
}
