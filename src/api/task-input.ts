import { randomBytes } from 'node:crypto';
import { isSecretParameter } from '../acs/secret-parameters.ts';
import type { FileRecord } from '../store/files.ts';
import type { ParameterRecord } from '../store/parameters.ts';
import { Secret } from '../store/secret.ts';
import { type DuOperation, type TaskArgs, validateTaskArgs } from '../store/task-args.ts';
import { ApiError } from './errors.ts';
import type { TaskInput } from './schemas/task-input.ts';

/** A CommandKey for a task that names none: 20 characters (TR-069 allows 32), unguessable, recognisable. */
export function generateCommandKey(): string {
  return `api-${randomBytes(12).toString('base64url')}`;
}

/** What the conversion needs to know about the device's cached model (the stored row of a path). */
export type ParameterLookup = (path: string) => Promise<ParameterRecord | null>;

const secret = (value: string | undefined) => new Secret(value ?? '');

/** Finds a stored file by id (a Download by fileId must name one that exists). */
export type FileLookup = (id: string) => Promise<FileRecord | null>;

type TransferInput = {
  commandKey?: string;
  fileType?: string;
  url?: string;
  fileId?: string;
  username?: string;
  password?: string;
};

/**
 * The arguments every transfer task starts with: a CommandKey (generated when absent), the server's URL and
 * credentials. A Download names a `url` and its `fileType`, or a stored file by `fileId` (URL and size are
 * filled in when the RPC is sent); an Upload without a `url` goes to the ACS's own file server.
 */
async function transferArgs(
  input: TransferInput,
  direction: 'download' | 'upload',
  files: FileLookup | undefined,
) {
  const common = {
    commandKey: input.commandKey ?? generateCommandKey(),
    username: input.username ?? '',
    password: secret(input.password),
  };
  if (input.fileId !== undefined) {
    if (input.url !== undefined)
      throw new ApiError('invalid', 'give a url or a fileId, not both', 'url');
    const file = files === undefined ? null : await files(input.fileId);
    if (file === null) throw new ApiError('invalid', 'no file has this id', 'fileId');
    return { ...common, fileType: input.fileType ?? file.fileType, url: '', fileId: file.id };
  }
  if (input.fileType === undefined)
    throw new ApiError('invalid', 'fileType is required', 'fileType');
  if (input.url !== undefined) return { ...common, fileType: input.fileType, url: input.url };
  if (direction === 'upload') return { ...common, fileType: input.fileType, url: '', toAcs: true };
  throw new ApiError('invalid', 'a download needs a url or a fileId', 'url');
}

/**
 * The store's TaskArgs for a validated API body: passwords become Secrets, defaults are filled in, and the
 * result is checked once more by the store's own validator (a mismatch is a bug here, reported as invalid).
 */
export async function toTaskArgs(
  input: TaskInput,
  lookup: ParameterLookup,
  files?: FileLookup,
): Promise<TaskArgs> {
  const args = await convert(input, lookup, files);
  try {
    validateTaskArgs(args);
  } catch (error) {
    throw new ApiError('invalid', (error as Error).message, 'type');
  }
  return args;
}

async function convert(
  input: TaskInput,
  lookup: ParameterLookup,
  files: FileLookup | undefined,
): Promise<TaskArgs> {
  const commandKey = (given: string | undefined) => given ?? generateCommandKey();
  switch (input.type) {
    case 'getParameterValues':
    case 'getParameterAttributes':
      return { type: input.type, parameterNames: [...input.parameterNames] };
    case 'setParameterValues': {
      const parameters = [];
      for (const p of input.parameters) {
        const stored = p.type === undefined || p.secret !== true ? await lookup(p.name) : null;
        const type = (p.type ?? stored?.type ?? 'string').replace(/^xsd:/, '');
        const isSecret = p.secret === true || stored?.secret === true || isSecretParameter(p.name);
        parameters.push({ name: p.name, value: isSecret ? new Secret(p.value) : p.value, type });
      }
      return { type: 'setParameterValues', parameters, parameterKey: input.parameterKey ?? '' };
    }
    case 'getParameterNames':
      return {
        type: 'getParameterNames',
        parameterPath: input.parameterPath,
        nextLevel: input.nextLevel ?? false,
      };
    case 'setParameterAttributes':
      return {
        type: 'setParameterAttributes',
        parameters: input.parameters.map((p) => ({
          name: p.name,
          notificationChange: p.notificationChange ?? p.notification !== undefined,
          notification: p.notification ?? 0,
          accessListChange: p.accessListChange ?? p.accessList !== undefined,
          accessList: [...(p.accessList ?? [])],
        })),
      };
    case 'addObject':
    case 'deleteObject':
      return {
        type: input.type,
        objectName: input.objectName,
        parameterKey: input.parameterKey ?? '',
      };
    case 'reboot':
      return { type: 'reboot', commandKey: commandKey(input.commandKey) };
    case 'factoryReset':
    case 'getQueuedTransfers':
    case 'getAllQueuedTransfers':
    case 'getRPCMethods':
      return { type: input.type };
    case 'download':
      return {
        type: 'download',
        ...(await transferArgs(input, 'download', files)),
        fileSize: input.fileSize ?? 0,
        targetFileName: input.targetFileName ?? '',
        delaySeconds: input.delaySeconds ?? 0,
        successUrl: input.successUrl ?? '',
        failureUrl: input.failureUrl ?? '',
      };
    case 'upload':
      return {
        type: 'upload',
        ...(await transferArgs(input, 'upload', files)),
        delaySeconds: input.delaySeconds ?? 0,
      };
    case 'scheduleInform':
      return {
        type: 'scheduleInform',
        delaySeconds: input.delaySeconds,
        commandKey: commandKey(input.commandKey),
      };
    case 'scheduleDownload':
      return {
        type: 'scheduleDownload',
        ...(await transferArgs(input, 'download', files)),
        fileSize: input.fileSize ?? 0,
        targetFileName: input.targetFileName ?? '',
        timeWindows: input.timeWindows.map((w) => ({
          windowStart: w.windowStart,
          windowEnd: w.windowEnd,
          windowMode: w.windowMode,
          userMessage: w.userMessage ?? '',
          maxRetries: w.maxRetries ?? -1,
        })),
      };
    case 'cancelTransfer':
      return { type: 'cancelTransfer', commandKey: input.commandKey };
    case 'changeDUState':
      return {
        type: 'changeDUState',
        commandKey: commandKey(input.commandKey),
        operations: input.operations.map(duOperation),
      };
    case 'getOptions':
      return { type: 'getOptions', optionName: input.optionName };
    case 'setVouchers':
      return { type: 'setVouchers', voucherList: [...input.voucherList] };
    case 'refresh':
      return { type: 'refresh', path: input.path };
  }
}

type DuInput = Extract<TaskInput, { type: 'changeDUState' }>['operations'][number];

function duOperation(op: DuInput): DuOperation {
  // Copy only what is given: the store refuses a field set to undefined it does not expect.
  const { password, ...rest } = op as DuInput & { password?: string };
  const out = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return (password === undefined ? out : { ...out, password: new Secret(password) }) as DuOperation;
}
