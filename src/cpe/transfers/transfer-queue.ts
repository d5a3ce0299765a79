/**
 * The device's transfer queue (cwmp-spec.md §8.2-8.4): Downloads, Uploads and ScheduleDownloads the ACS asked for,
 * each not yet started (1), in progress (2) or completed (3) until its TransferComplete is delivered. At most 16
 * (what GetQueuedTransfers may list); CancelTransfer removes one that has not started.
 */
import {
  CwmpFault,
  FaultCode,
  type GetAllQueuedTransfersResponse,
  type GetQueuedTransfersResponse,
} from '../../cwmp/index.ts';
import type { Timer } from '../clock/scheduler.ts';

export const MAX_QUEUED_TRANSFERS = 16;

export interface TimeWindow {
  /** Seconds after the end of the session that received the ScheduleDownload. */
  start: number;
  end: number;
  mode: string;
  userMessage: string;
  maxRetries: number;
}

export interface QueuedTransfer {
  kind: 'download' | 'upload' | 'scheduleDownload';
  commandKey: string;
  fileType: string;
  url: string;
  username: string;
  password: string;
  fileSize: number;
  targetFileName: string;
  /** Download/Upload: seconds after the session ends. */
  delaySeconds: number;
  /** ScheduleDownload only. */
  windows?: TimeWindow[];
  state: 1 | 2 | 3;
  /** The timer that will start it. */
  timer?: Timer;
}

export class TransferQueue {
  private readonly items: QueuedTransfer[] = [];

  get size(): number {
    return this.items.length;
  }

  all(): readonly QueuedTransfer[] {
    return this.items;
  }

  /** Queues a transfer; 9004 when 16 are already queued. */
  add(transfer: QueuedTransfer): void {
    if (this.items.length >= MAX_QUEUED_TRANSFERS) {
      throw new CwmpFault(FaultCode.ResourcesExceeded, undefined, {
        cause: `${MAX_QUEUED_TRANSFERS} transfers already queued`,
      });
    }
    this.items.push(transfer);
  }

  remove(transfer: QueuedTransfer): void {
    const i = this.items.indexOf(transfer);
    if (i >= 0) this.items.splice(i, 1);
    transfer.timer?.cancel();
  }

  /**
   * CancelTransfer (A.4.1.9): removes the not-yet-started transfers with this CommandKey; no TransferComplete follows
   * for them. 9021 if none is waiting (running, done, or unknown).
   */
  cancel(commandKey: string): number {
    const waiting = this.items.filter((t) => t.commandKey === commandKey && t.state === 1);
    if (waiting.length === 0) {
      const other = this.items.find((t) => t.commandKey === commandKey);
      throw new CwmpFault(FaultCode.CancelTransferNotPermitted, undefined, {
        cause:
          other === undefined
            ? `no transfer has CommandKey "${commandKey}"`
            : `the transfer is in state ${other.state}`,
      });
    }
    for (const t of waiting) this.remove(t);
    return waiting.length;
  }

  clear(): void {
    for (const t of this.items) t.timer?.cancel();
    this.items.length = 0;
  }

  queuedTransfers(): GetQueuedTransfersResponse {
    return {
      method: 'GetQueuedTransfersResponse',
      TransferList: this.items.map((t) => ({ CommandKey: t.commandKey, State: t.state })),
    };
  }

  allQueuedTransfers(): GetAllQueuedTransfersResponse {
    return {
      method: 'GetAllQueuedTransfersResponse',
      TransferList: this.items.map((t) => ({
        CommandKey: t.commandKey,
        State: t.state,
        IsDownload: t.kind !== 'upload',
        FileType: t.fileType,
        FileSize: t.fileSize,
        TargetFileName: t.targetFileName,
      })),
    };
  }
}

/**
 * ScheduleDownload's TimeWindowList (A.4.1.8): one or two windows, each ending no earlier than it starts, in
 * ascending order without overlap. 9003 otherwise.
 */
export function checkTimeWindows(windows: readonly TimeWindow[]): void {
  const bad = (cause: string) => new CwmpFault(FaultCode.InvalidArguments, undefined, { cause });
  if (windows.length < 1 || windows.length > 2)
    throw bad('TimeWindowList needs one or two windows');
  windows.forEach((w, i) => {
    if (w.end < w.start) throw bad(`window ${i + 1} ends before it starts`);
    if (!/^[1-4] \S/.test(w.mode) && !/^X \S+ .+$/.test(w.mode))
      throw bad(`WindowMode "${w.mode}"`);
    const prev = windows[i - 1];
    if (prev !== undefined && w.start <= prev.end)
      throw bad('windows overlap or are not in ascending order');
  });
}
