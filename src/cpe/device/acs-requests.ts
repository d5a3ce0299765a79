/**
 * The device's answer to each request of the ACS. Parameter RPCs go to answerCpeMethod; the methods whose effect
 * comes after the session (Reboot, FactoryReset, Download, Upload, ScheduleDownload, ChangeDUState) are answered
 * here and recorded in the session's effects, which the device carries out once the session is over; ScheduleInform
 * starts its timer at once (its delay counts from the call); the queue methods answer from the transfer queue.
 * Faults are thrown as CwmpFault and sent back as SOAP faults by the session runner.
 */
import {
  CwmpFault,
  type CwmpMessage,
  type DeploymentUnitOperation,
  FaultCode,
  UNKNOWN_TIME,
} from '../../cwmp/index.ts';
import { answerCpeMethod } from '../methods/index.ts';
import type { DeviceModel } from '../model/device-model.ts';
import { checkTransferUrl } from '../transfers/file-client.ts';
import { checkDownloadFileType } from '../transfers/firmware.ts';
import {
  checkTimeWindows,
  type QueuedTransfer,
  type TransferQueue,
} from '../transfers/transfer-queue.ts';

/** What the session asked of the device, carried out when it ends. */
export interface SessionEffects {
  /** CommandKeys of the Reboot calls (each becomes an "M Reboot" after the reboot). */
  reboots: string[];
  factoryReset: boolean;
  /** Transfers queued in the session: their delays and windows count from its end. */
  transfers: QueuedTransfer[];
  duChanges: { operations: DeploymentUnitOperation[]; commandKey: string }[];
}

export function noEffects(): SessionEffects {
  return { reboots: [], factoryReset: false, transfers: [], duChanges: [] };
}

export interface RequestContext {
  model: DeviceModel;
  transfers: TransferQueue;
  effects: SessionEffects;
  scheduleInform(delaySeconds: number, commandKey: string): void;
}

/** Upload's FileTypes (cwmp-spec.md §8.1). */
const UPLOAD_FILE_TYPE =
  /^(1 Vendor Configuration File|2 Vendor Log File|3 Vendor Configuration File \d+|4 Vendor Log File \d+|X \S+ .+)$/;

const invalid = (cause: string) => new CwmpFault(FaultCode.InvalidArguments, undefined, { cause });

function checkCommandKey(key: string): void {
  if (key.length > 32) throw invalid('CommandKey longer than 32 characters');
}

/** What every transfer request carries. */
interface TransferRequest {
  CommandKey: string;
  URL: string;
  FileType: string;
  Username: string;
  Password: string;
}

/** Queue an accepted transfer: it starts after the session; a TransferComplete tells its outcome. */
function queueTransfer(
  ctx: RequestContext,
  request: TransferRequest,
  rest: Pick<QueuedTransfer, 'kind' | 'fileSize' | 'targetFileName' | 'delaySeconds' | 'windows'>,
): void {
  const t: QueuedTransfer = {
    commandKey: request.CommandKey,
    fileType: request.FileType,
    url: request.URL,
    username: request.Username,
    password: request.Password,
    ...rest,
    state: 1,
  };
  ctx.transfers.add(t);
  ctx.effects.transfers.push(t);
}

export function answerAcsRequest(ctx: RequestContext, request: CwmpMessage): CwmpMessage {
  const answer = answerCpeMethod(ctx.model, request);
  if (answer !== undefined) return answer;
  const { effects, transfers } = ctx;
  switch (request.method) {
    case 'Reboot':
      checkCommandKey(request.CommandKey);
      effects.reboots.push(request.CommandKey);
      return { method: 'RebootResponse' };
    case 'FactoryReset':
      effects.factoryReset = true;
      return { method: 'FactoryResetResponse' };
    case 'ScheduleInform':
      checkCommandKey(request.CommandKey);
      if (request.DelaySeconds < 1) throw invalid('DelaySeconds must be at least 1');
      ctx.scheduleInform(request.DelaySeconds, request.CommandKey);
      return { method: 'ScheduleInformResponse' };
    case 'Download': {
      checkCommandKey(request.CommandKey);
      checkTransferUrl(request.URL);
      checkDownloadFileType(request.FileType);
      queueTransfer(ctx, request, {
        kind: 'download',
        fileSize: request.FileSize,
        targetFileName: request.TargetFileName,
        delaySeconds: request.DelaySeconds,
      });
      // Status 1: done after the session; TransferComplete tells the outcome.
      return {
        method: 'DownloadResponse',
        Status: 1,
        StartTime: UNKNOWN_TIME,
        CompleteTime: UNKNOWN_TIME,
      };
    }
    case 'Upload': {
      checkCommandKey(request.CommandKey);
      checkTransferUrl(request.URL);
      if (!UPLOAD_FILE_TYPE.test(request.FileType)) throw invalid(`FileType "${request.FileType}"`);
      queueTransfer(ctx, request, {
        kind: 'upload',
        fileSize: 0,
        targetFileName: '',
        delaySeconds: request.DelaySeconds,
      });
      return {
        method: 'UploadResponse',
        Status: 1,
        StartTime: UNKNOWN_TIME,
        CompleteTime: UNKNOWN_TIME,
      };
    }
    case 'ScheduleDownload': {
      checkCommandKey(request.CommandKey);
      checkTransferUrl(request.URL);
      checkDownloadFileType(request.FileType);
      const windows = request.TimeWindowList.map((w) => ({
        start: w.WindowStart,
        end: w.WindowEnd,
        mode: w.WindowMode,
        userMessage: w.UserMessage,
        maxRetries: w.MaxRetries,
      }));
      checkTimeWindows(windows);
      queueTransfer(ctx, request, {
        kind: 'scheduleDownload',
        fileSize: request.FileSize,
        targetFileName: request.TargetFileName,
        delaySeconds: 0,
        windows,
      });
      return { method: 'ScheduleDownloadResponse' };
    }
    case 'CancelTransfer':
      transfers.cancel(request.CommandKey);
      return { method: 'CancelTransferResponse' };
    case 'GetQueuedTransfers':
      return transfers.queuedTransfers();
    case 'GetAllQueuedTransfers':
      return transfers.allQueuedTransfers();
    case 'ChangeDUState': {
      const commandKey = request.CommandKey ?? '';
      checkCommandKey(commandKey);
      if (request.Operations.length === 0) throw invalid('ChangeDUState without operations');
      effects.duChanges.push({ operations: request.Operations, commandKey });
      return { method: 'ChangeDUStateResponse' };
    }
    default: {
      const name = request.method === 'UnknownMethod' ? request.Name : request.method;
      throw new CwmpFault(FaultCode.MethodNotSupported, undefined, { cause: name });
    }
  }
}
