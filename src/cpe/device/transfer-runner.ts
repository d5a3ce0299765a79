/**
 * Carrying out queued transfers once their time comes (cwmp-spec.md §8.2-8.4): a Download DelaySeconds after its
 * session ended, an Upload likewise, a ScheduleDownload inside its time windows (retried within a window up to
 * MaxRetries; "4 Confirmation Needed" windows are skipped, there being no user to confirm; 9020 when no window
 * worked). Each outcome becomes a TransferComplete in the device's outbox, with "7 TRANSFER COMPLETE" and the
 * "M <method>" event, and a firmware or configuration file reboots the device.
 */
import {
  CwmpFault,
  FaultCode,
  FIRMWARE_FILE_TYPE,
  formatDateTime,
  type TransferComplete,
} from '../../cwmp/index.ts';
import type { Scheduler } from '../clock/scheduler.ts';
import type { DeviceModel } from '../model/device-model.ts';
import type { InformEvent } from '../session/event-queue.ts';
import type { CpeRequest } from '../session/session-runner.ts';
import type { FetchedFile } from '../transfers/file-client.ts';
import { applyDownloadedFile } from '../transfers/firmware.ts';
import type { QueuedTransfer, TransferQueue } from '../transfers/transfer-queue.ts';

/** A request of the CPE waiting for the ACS's acknowledgement, with the events that go with it until then. */
export interface OutboxEntry {
  message: CpeRequest;
  events: InformEvent[];
  transfer?: QueuedTransfer;
}

export interface TransferHost {
  readonly scheduler: Scheduler;
  readonly model: DeviceModel;
  readonly transfers: TransferQueue;
  fetch(
    url: string,
    credentials: { username?: string; password?: string; fileSize?: number },
  ): Promise<FetchedFile>;
  upload(
    url: string,
    body: Buffer,
    contentType: string,
    credentials: { username?: string; password?: string },
  ): Promise<void>;
  /** The file an Upload of this FileType sends. */
  uploadContent(fileType: string): { body: Buffer; contentType: string };
  /** A firmware download gone wrong on purpose (DeviceBehaviour.firmware). */
  readonly firmwareFault?: 'size-unchecked' | 'no-reboot' | undefined;
  /** A transfer finished: queue its TransferComplete, then reboot or open a session. */
  complete(entry: OutboxEntry, reboot: boolean): void;
}

/** Retries within a ScheduleDownload window when MaxRetries is -1 (the CPE decides). */
const DEFAULT_WINDOW_RETRIES = 3;
const WINDOW_RETRY_GAP_MS = 10_000;

/** TransferComplete may carry only 0, 9001, 9002, 9010-9012 and 9014-9020 (cwmp-spec.md §6.3). */
export function transferFaultCode(code: number, upload: boolean): number {
  if (code === 0 || code === 9001 || code === 9002 || code === 9011 || code === 9012) return code;
  if (code === 9010 || (code >= 9014 && code <= 9020))
    return upload && code !== 9015 ? FaultCode.UploadFailure : code;
  return upload ? FaultCode.UploadFailure : FaultCode.DownloadFailure;
}

const METHOD_EVENT: Record<QueuedTransfer['kind'], string> = {
  download: 'M Download',
  upload: 'M Upload',
  scheduleDownload: 'M ScheduleDownload',
};

/** Starts the transfer's timer; call when the session that queued it has ended. */
export function armTransfer(host: TransferHost, t: QueuedTransfer): void {
  if (t.kind === 'scheduleDownload') {
    armWindows(host, t);
    return;
  }
  t.timer = host.scheduler.setTimer(t.delaySeconds * 1000, () => {
    void runOnce(host, t).then(({ fault, reboot, start }) => finish(host, t, start, fault, reboot));
  });
}

async function runOnce(
  host: TransferHost,
  t: QueuedTransfer,
): Promise<{ fault: CwmpFault | undefined; reboot: boolean; start: number }> {
  t.state = 2;
  const start = host.scheduler.now();
  const credentials = { username: t.username, password: t.password };
  try {
    if (t.kind === 'upload') {
      const { body, contentType } = host.uploadContent(t.fileType);
      await host.upload(t.url, body, contentType, credentials);
      return { fault: undefined, reboot: false, start };
    }
    const firmware = t.fileType === FIRMWARE_FILE_TYPE;
    const fileSize = firmware && host.firmwareFault === 'size-unchecked' ? 0 : t.fileSize;
    const file = await host.fetch(t.url, { ...credentials, fileSize });
    const { reboot } = applyDownloadedFile(host.model, t.fileType, file, {
      targetFileName: t.targetFileName,
      url: t.url,
    });
    return {
      fault: undefined,
      reboot: reboot && !(firmware && host.firmwareFault === 'no-reboot'),
      start,
    };
  } catch (error) {
    const fault =
      error instanceof CwmpFault
        ? error
        : new CwmpFault(FaultCode.InternalError, undefined, { cause: error });
    return { fault, reboot: false, start };
  }
}

function finish(
  host: TransferHost,
  t: QueuedTransfer,
  start: number,
  fault: CwmpFault | undefined,
  reboot: boolean,
) {
  // Cleared meanwhile (factory reset, new ACS): nobody is waiting for this one any more.
  if (!host.transfers.all().includes(t)) return;
  t.state = 3;
  t.timer = undefined;
  const code = fault === undefined ? 0 : transferFaultCode(fault.code, t.kind === 'upload');
  const cause =
    fault?.cause === undefined
      ? ''
      : `: ${String(fault.cause instanceof Error ? fault.cause.message : fault.cause)}`;
  const message: TransferComplete = {
    method: 'TransferComplete',
    CommandKey: t.commandKey,
    FaultStruct: {
      FaultCode: code,
      FaultString:
        fault === undefined ? '' : `${new CwmpFault(code).faultString}${cause}`.slice(0, 256),
    },
    StartTime: formatDateTime(new Date(start)),
    CompleteTime: formatDateTime(new Date(host.scheduler.now())),
  };
  host.complete(
    {
      message,
      events: [
        { code: '7 TRANSFER COMPLETE', commandKey: '' },
        { code: METHOD_EVENT[t.kind], commandKey: t.commandKey },
      ],
      transfer: t,
    },
    reboot,
  );
}

function armWindows(host: TransferHost, t: QueuedTransfer): void {
  const base = host.scheduler.now();
  const windows = (t.windows ?? []).map((w) => ({
    from: base + w.start * 1000,
    to: base + w.end * 1000,
    confirm: w.mode.startsWith('4 '),
    retries: w.maxRetries < 0 ? DEFAULT_WINDOW_RETRIES : w.maxRetries,
  }));
  let lastFault: CwmpFault | undefined;
  let start = base;
  const tryWindow = (i: number): void => {
    const w = windows[i];
    if (w === undefined) {
      const cause =
        lastFault === undefined
          ? 'no window could be used'
          : `last attempt: ${lastFault.faultString}`;
      finish(
        host,
        t,
        start,
        new CwmpFault(FaultCode.DownloadTimeWindowExpired, undefined, { cause }),
        false,
      );
      return;
    }
    if (w.confirm) {
      tryWindow(i + 1);
      return;
    }
    const attempt = (left: number): void => {
      if (host.scheduler.now() > w.to) {
        tryWindow(i + 1);
        return;
      }
      void runOnce(host, t).then((outcome) => {
        start = outcome.start;
        if (outcome.fault === undefined) {
          finish(host, t, start, undefined, outcome.reboot);
          return;
        }
        lastFault = outcome.fault;
        t.state = 1;
        if (left > 0 && host.scheduler.now() + WINDOW_RETRY_GAP_MS <= w.to) {
          t.timer = host.scheduler.setTimer(WINDOW_RETRY_GAP_MS, () => attempt(left - 1));
        } else {
          tryWindow(i + 1);
        }
      });
    };
    t.timer = host.scheduler.setTimer(Math.max(0, w.from - host.scheduler.now()), () =>
      attempt(w.retries),
    );
  };
  tryWindow(0);
}
