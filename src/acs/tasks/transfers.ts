import type { TaskArgs } from '../../store/task-args.ts';
import type { TaskHandler, TaskStep } from './handler.ts';
import { done, singleRpc } from './single-rpc.ts';

type Args<T extends TaskArgs['type']> = Extract<TaskArgs, { type: T }>;

/** The arguments every transfer RPC starts with. */
function transferArguments(args: Args<'download' | 'upload' | 'scheduleDownload'>) {
  return {
    CommandKey: args.commandKey,
    FileType: args.fileType,
    URL: args.url,
    Username: args.username,
    Password: args.password.reveal(),
  };
}

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
  if (response.Status === 0) return { kind: 'done', result };
  return { kind: 'awaiting-completion', commandKey, result };
}

export const download: TaskHandler<Args<'download'>> = singleRpc(
  (args) => ({
    method: 'Download',
    ...transferArguments(args),
    FileSize: args.fileSize,
    TargetFileName: args.targetFileName,
    DelaySeconds: args.delaySeconds,
    SuccessURL: args.successUrl,
    FailureURL: args.failureUrl,
  }),
  (args, response) => transferStep(args.commandKey, response),
);

export const upload: TaskHandler<Args<'upload'>> = singleRpc(
  (args) => ({
    method: 'Upload',
    ...transferArguments(args),
    DelaySeconds: args.delaySeconds,
  }),
  (args, response) => transferStep(args.commandKey, response),
);

/** Always completes later, within the time windows, with a TransferComplete. */
export const scheduleDownload: TaskHandler<Args<'scheduleDownload'>> = singleRpc(
  (args) => ({
    method: 'ScheduleDownload',
    ...transferArguments(args),
    FileSize: args.fileSize,
    TargetFileName: args.targetFileName,
    TimeWindowList: args.timeWindows.map((w) => ({
      WindowStart: w.windowStart,
      WindowEnd: w.windowEnd,
      WindowMode: w.windowMode,
      UserMessage: w.userMessage,
      MaxRetries: w.maxRetries,
    })),
  }),
  (args) => ({
    kind: 'awaiting-completion',
    commandKey: args.commandKey,
    result: { commandKey: args.commandKey },
  }),
);

export const cancelTransfer: TaskHandler<Args<'cancelTransfer'>> = singleRpc(
  (args) => ({ method: 'CancelTransfer', CommandKey: args.commandKey }),
  (args) => done({ commandKey: args.commandKey }),
);

export const getQueuedTransfers: TaskHandler<Args<'getQueuedTransfers'>> = singleRpc(
  () => ({ method: 'GetQueuedTransfers' }),
  (_args, response) => done({ transfers: response.TransferList }),
);

export const getAllQueuedTransfers: TaskHandler<Args<'getAllQueuedTransfers'>> = singleRpc(
  () => ({ method: 'GetAllQueuedTransfers' }),
  (_args, response) => done({ transfers: response.TransferList }),
);
