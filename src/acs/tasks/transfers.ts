import { commandKeyFor, type TaskHandler, type TaskStep } from './handler.ts';
import { done, singleRpc } from './single-rpc.ts';
import type { TaskSpec } from './task-spec.ts';

type Spec<T extends TaskSpec['type']> = Extract<TaskSpec, { type: T }>;

/** Download/Upload answer Status 0 (done, with real times) or 1 (under way: TransferComplete tells the end). */
function transferStep(
  commandKey: string,
  response: { Status: number; StartTime: string; CompleteTime: string },
): TaskStep {
  const result = {
    commandKey,
    status: response.Status,
    startTime: response.StartTime,
    completeTime: response.CompleteTime,
  };
  if (response.Status === 0) return { kind: 'done', result, updates: [] };
  return { kind: 'awaiting-completion', commandKey, result, updates: [] };
}

export const download: TaskHandler<Spec<'download'>> = singleRpc(
  ({ transfer }, context) => ({
    method: 'Download',
    CommandKey: commandKeyFor(transfer.commandKey, context),
    FileType: transfer.fileType,
    URL: transfer.url,
    Username: transfer.username ?? '',
    Password: transfer.password ?? '',
    FileSize: transfer.fileSize ?? 0,
    TargetFileName: transfer.targetFileName ?? '',
    DelaySeconds: transfer.delaySeconds ?? 0,
    SuccessURL: transfer.successUrl ?? '',
    FailureURL: transfer.failureUrl ?? '',
  }),
  ({ transfer }, response, context) =>
    transferStep(commandKeyFor(transfer.commandKey, context), response),
);

export const upload: TaskHandler<Spec<'upload'>> = singleRpc(
  (spec, context) => ({
    method: 'Upload',
    CommandKey: commandKeyFor(spec.commandKey, context),
    FileType: spec.fileType,
    URL: spec.url,
    Username: spec.username ?? '',
    Password: spec.password ?? '',
    DelaySeconds: spec.delaySeconds ?? 0,
  }),
  (spec, response, context) => transferStep(commandKeyFor(spec.commandKey, context), response),
);

/** Always completes later, within the time windows, with a TransferComplete. */
export const scheduleDownload: TaskHandler<Spec<'scheduleDownload'>> = singleRpc(
  ({ transfer, timeWindows }, context) => ({
    method: 'ScheduleDownload',
    CommandKey: commandKeyFor(transfer.commandKey, context),
    FileType: transfer.fileType,
    URL: transfer.url,
    Username: transfer.username ?? '',
    Password: transfer.password ?? '',
    FileSize: transfer.fileSize ?? 0,
    TargetFileName: transfer.targetFileName ?? '',
    TimeWindowList: timeWindows.map((w) => ({
      WindowStart: w.windowStart,
      WindowEnd: w.windowEnd,
      WindowMode: w.windowMode,
      UserMessage: w.userMessage ?? '',
      MaxRetries: w.maxRetries ?? 0,
    })),
  }),
  ({ transfer }, _response, context) => {
    const commandKey = commandKeyFor(transfer.commandKey, context);
    return { kind: 'awaiting-completion', commandKey, result: { commandKey }, updates: [] };
  },
);

export const cancelTransfer: TaskHandler<Spec<'cancelTransfer'>> = singleRpc(
  (spec) => ({ method: 'CancelTransfer', CommandKey: spec.commandKey }),
  (spec) => done({ commandKey: spec.commandKey }),
);

export const getQueuedTransfers: TaskHandler<Spec<'getQueuedTransfers'>> = singleRpc(
  () => ({ method: 'GetQueuedTransfers' }),
  (_spec, response) => done({ transfers: response.TransferList }),
);

export const getAllQueuedTransfers: TaskHandler<Spec<'getAllQueuedTransfers'>> = singleRpc(
  () => ({ method: 'GetAllQueuedTransfers' }),
  (_spec, response) => done({ transfers: response.TransferList }),
);
