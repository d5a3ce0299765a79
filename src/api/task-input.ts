import { randomBytes } from 'node:crypto';
import { isSecretParameter } from '../acs/secret-parameters.ts';
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

/** The arguments every transfer task starts with: a CommandKey (generated when absent) and the server's. */
function transferArgs(input: {
  commandKey?: string;
  fileType: string;
  url: string;
  username?: string;
  password?: string;
}) {
  return {
    commandKey: input.commandKey ?? generateCommandKey(),
    fileType: input.fileType,
    url: input.url,
    username: input.username ?? '',
    password: secret(input.password),
  };
}

/**
 * The store's TaskArgs for a validated API body: passwords become Secrets, defaults are filled in, and the
 * result is checked once more by the store's own validator (a mismatch is a bug here, reported as invalid).
 */
export async function toTaskArgs(input: TaskInput, lookup: ParameterLookup): Promise<TaskArgs> {
  const args = await convert(input, lookup);
  try {
    validateTaskArgs(args);
  } catch (error) {
    throw new ApiError('invalid', (error as Error).message, 'type');
  }
  return args;
}

async function convert(input: TaskInput, lookup: ParameterLookup): Promise<TaskArgs> {
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
        ...transferArgs(input),
        fileSize: input.fileSize ?? 0,
        targetFileName: input.targetFileName ?? '',
        delaySeconds: input.delaySeconds ?? 0,
        successUrl: input.successUrl ?? '',
        failureUrl: input.failureUrl ?? '',
      };
    case 'upload':
      return {
        type: 'upload',
        ...transferArgs(input),
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
        ...transferArgs(input),
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
