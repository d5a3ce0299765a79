import { Secret } from '../../../store/secret.ts';
import type { TaskArgs } from '../../../store/task-args.ts';
import type { TaskState } from '../../../store/tasks.ts';
import type { DiffEntry } from './plan.ts';
import type { On } from './plan-work.ts';
import type { Preset } from './preset.ts';

/** A Download of a firmware file this device has had (from the task history), for the planner. */
export interface SoftwareTransfer {
  fileId: string;
  state: TaskState;
  /** When it finished, or was last updated if it has not. */
  at: number;
}

/**
 * A device that took the image and still reports another version is not sent it again for this long: the image
 * may carry another version than the preset says, and re-flashing a fleet every session is worse than waiting.
 */
export const SOFTWARE_RETRY_MS = 6 * 3_600_000;

const UNDER_WAY: ReadonlySet<TaskState> = new Set<TaskState>(['pending', 'running', 'awaiting']);

/**
 * The software version the matching presets want (the last in apply order that says one wins) against the one
 * the device reports: a Download of the preset's file when they differ and none is under way or was tried
 * within SOFTWARE_RETRY_MS. `ordered`: the matching presets in apply order.
 */
export function planSoftware(
  ordered: readonly Preset[],
  device: { softwareVersion: string | null },
  transfers: readonly SoftwareTransfer[],
  now: number,
  on: On,
  diff: DiffEntry[],
): void {
  const wanted = ordered.filter((p) => p.software !== undefined).at(-1);
  if (wanted?.software === undefined || device.softwareVersion === wanted.software.version) return;
  const { version, fileId } = wanted.software;
  const mine = transfers.filter((t) => t.fileId === fileId);
  const base = {
    kind: 'software' as const,
    current: device.softwareVersion,
    desired: version,
    fileId,
    preset: wanted.name,
    channel: wanted.channel,
  };
  if (mine.some((t) => UNDER_WAY.has(t.state))) {
    diff.push({ ...base, status: 'under-way' });
    return;
  }
  const last = Math.max(-Infinity, ...mine.map((t) => t.at));
  if (now - last < SOFTWARE_RETRY_MS) {
    diff.push({ ...base, status: 'tried', retryAt: last + SOFTWARE_RETRY_MS });
    return;
  }
  on(wanted.channel).download = fileId;
  diff.push({ ...base, status: 'download' });
}

/** The Download a preset sends: the file server fills URL, FileSize and FileType when it goes out. */
export function softwareDownloadArgs(fileId: string): Extract<TaskArgs, { type: 'download' }> {
  return {
    type: 'download',
    // One CommandKey per image: its TransferComplete finds the task; only one is ever under way per device.
    commandKey: `preset-sw-${fileId.slice(0, 16)}`,
    fileType: '',
    url: '',
    username: '',
    password: new Secret(''),
    fileId,
    fileSize: 0,
    targetFileName: '',
    delaySeconds: 0,
    successUrl: '',
    failureUrl: '',
  };
}
