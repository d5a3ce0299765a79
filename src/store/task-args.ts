import { excerpt, StoreError } from './errors.ts';
import { Secret } from './secret.ts';

/**
 * The arguments of every ACS-called RPC, as the store persists them: one task type per CPE method of
 * TR-069 Annex A (plus `refresh`, the ACS's own "re-read this subtree" = GetParameterNames + GetParameterValues).
 * Field names are the store's own camelCase, not the wire's: this is a persisted format, kept stable
 * whatever the codec does. Every password is a `Secret` (encrypted at rest, redacted when printed); a
 * SetParameterValues value may be a `Secret` too (a password parameter).
 */
export interface TaskParameterValue {
  name: string;
  value: string | Secret;
  type: string;
}

export interface TaskParameterAttribute {
  name: string;
  notificationChange: boolean;
  notification: number;
  accessListChange: boolean;
  accessList: string[];
}

export interface TimeWindow {
  windowStart: number;
  windowEnd: number;
  windowMode: string;
  userMessage: string;
  maxRetries: number;
}

export type DuOperation =
  | {
      operation: 'install';
      url: string;
      uuid?: string;
      username?: string;
      password?: Secret;
      executionEnvRef?: string;
    }
  | {
      operation: 'update';
      uuid?: string;
      version?: string;
      url?: string;
      username?: string;
      password?: Secret;
    }
  | { operation: 'uninstall'; uuid: string; version?: string; executionEnvRef?: string };

interface TransferArgs {
  commandKey: string;
  fileType: string;
  url: string;
  username: string;
  password: Secret;
}

/**
 * A Download or ScheduleDownload of a file the ACS serves (src/store/files.ts): the session fills `url` (signed
 * for this device, expiring), `fileSize` and `fileType` from the file's record when it sends the RPC, so a task
 * that waits in the queue for days never carries a stale URL.
 */
interface ServedFileArgs {
  fileId?: string;
}

export type TaskArgs =
  | { type: 'getParameterValues'; parameterNames: string[] }
  | { type: 'setParameterValues'; parameters: TaskParameterValue[]; parameterKey: string }
  | { type: 'getParameterNames'; parameterPath: string; nextLevel: boolean }
  | { type: 'getParameterAttributes'; parameterNames: string[] }
  | { type: 'setParameterAttributes'; parameters: TaskParameterAttribute[] }
  | { type: 'addObject'; objectName: string; parameterKey: string }
  | { type: 'deleteObject'; objectName: string; parameterKey: string }
  | { type: 'reboot'; commandKey: string }
  | { type: 'factoryReset' }
  | ({
      type: 'download';
      fileSize: number;
      targetFileName: string;
      delaySeconds: number;
      successUrl: string;
      failureUrl: string;
    } & TransferArgs &
      ServedFileArgs)
  /** `toAcs`: the ACS's file server receives the file; the session fills `url` when it sends the RPC. */
  | ({ type: 'upload'; delaySeconds: number; toAcs?: boolean } & TransferArgs)
  | { type: 'scheduleInform'; delaySeconds: number; commandKey: string }
  | ({
      type: 'scheduleDownload';
      fileSize: number;
      targetFileName: string;
      timeWindows: TimeWindow[];
    } & TransferArgs &
      ServedFileArgs)
  | { type: 'cancelTransfer'; commandKey: string }
  | { type: 'changeDUState'; operations: DuOperation[]; commandKey: string }
  | { type: 'getQueuedTransfers' }
  | { type: 'getAllQueuedTransfers' }
  | { type: 'getRPCMethods' }
  | { type: 'getOptions'; optionName: string }
  | { type: 'setVouchers'; voucherList: string[] }
  | { type: 'refresh'; path: string };

export type TaskType = TaskArgs['type'];

type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === 'string';
const uint: Check = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffff_ffff;
const int: Check = (v) =>
  typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= 0x7fff_ffff;
const bool: Check = (v) => typeof v === 'boolean';
const secret: Check = (v) => v instanceof Secret;
const opt =
  (c: Check): Check =>
  (v) =>
    v === undefined || c(v);
const list =
  (c: Check, max = 4096): Check =>
  (v) =>
    Array.isArray(v) && v.length <= max && v.every(c);
const shape =
  (fields: Record<string, Check>): Check =>
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.keys(v).every((k) => k in fields) &&
    Object.entries(fields).every(([k, c]) => c((v as Record<string, unknown>)[k]));

const transfer = { commandKey: str, fileType: str, url: str, username: str, password: secret };
const duOperation: Check = (v) => {
  const op = (v as { operation?: unknown } | null)?.operation;
  const common = { operation: str, uuid: opt(str), version: opt(str), url: opt(str) };
  if (op === 'install')
    return shape({
      ...common,
      url: str,
      username: opt(str),
      password: opt(secret),
      executionEnvRef: opt(str),
    })(v);
  if (op === 'update') return shape({ ...common, username: opt(str), password: opt(secret) })(v);
  if (op === 'uninstall') return shape({ ...common, uuid: str, executionEnvRef: opt(str) })(v);
  return false;
};

const FIELDS: { [T in TaskType]: Record<string, Check> } = {
  getParameterValues: { parameterNames: list(str) },
  setParameterValues: {
    parameters: list(shape({ name: str, value: (v) => str(v) || secret(v), type: str })),
    parameterKey: str,
  },
  getParameterNames: { parameterPath: str, nextLevel: bool },
  getParameterAttributes: { parameterNames: list(str) },
  setParameterAttributes: {
    parameters: list(
      shape({
        name: str,
        notificationChange: bool,
        notification: int,
        accessListChange: bool,
        accessList: list(str, 64),
      }),
    ),
  },
  addObject: { objectName: str, parameterKey: str },
  deleteObject: { objectName: str, parameterKey: str },
  reboot: { commandKey: str },
  factoryReset: {},
  download: {
    ...transfer,
    fileId: opt(str),
    fileSize: uint,
    targetFileName: str,
    delaySeconds: uint,
    successUrl: str,
    failureUrl: str,
  },
  upload: { ...transfer, delaySeconds: uint, toAcs: opt(bool) },
  scheduleInform: { delaySeconds: uint, commandKey: str },
  scheduleDownload: {
    ...transfer,
    fileId: opt(str),
    fileSize: uint,
    targetFileName: str,
    timeWindows: list(
      shape({
        windowStart: uint,
        windowEnd: uint,
        windowMode: str,
        userMessage: str,
        maxRetries: int,
      }),
      2,
    ),
  },
  cancelTransfer: { commandKey: str },
  changeDUState: { operations: list(duOperation, 16), commandKey: str },
  getQueuedTransfers: {},
  getAllQueuedTransfers: {},
  getRPCMethods: {},
  getOptions: { optionName: str },
  setVouchers: { voucherList: list(str) },
  refresh: { path: str },
};

export const TASK_TYPES = Object.keys(FIELDS) as TaskType[];

/** Tasks that only read: running one again has no effect on the device, so a crashed claim is retried. */
export const READ_ONLY_TASK_TYPES: ReadonlySet<TaskType> = new Set<TaskType>([
  'getParameterValues',
  'getParameterNames',
  'getParameterAttributes',
  'getQueuedTransfers',
  'getAllQueuedTransfers',
  'getRPCMethods',
  'getOptions',
  'refresh',
]);

/**
 * Tasks whose outcome arrives later carrying their CommandKey: a TransferComplete (Download, Upload,
 * ScheduleDownload) or a DUStateChangeComplete (ChangeDUState).
 */
export const TRANSFER_TASK_TYPES: ReadonlySet<TaskType> = new Set<TaskType>([
  'download',
  'upload',
  'scheduleDownload',
  'changeDUState',
]);

export function isTaskType(type: unknown): type is TaskType {
  return typeof type === 'string' && Object.hasOwn(FIELDS, type);
}

/** Throws `invalid` unless `args` is a well-formed TaskArgs (right fields, right kinds, passwords as Secret). */
export function validateTaskArgs(args: unknown): asserts args is TaskArgs {
  const type = (args as { type?: unknown } | null)?.type;
  if (!isTaskType(type)) {
    throw new StoreError('invalid', 'task', `unknown task type ${excerpt(String(type))}`);
  }
  if (!shape({ type: str, ...FIELDS[type] })(args)) {
    throw new StoreError(
      'invalid',
      'task',
      `malformed ${type} arguments (every field of its kind; passwords as Secret)`,
    );
  }
}

/** The CommandKey a task carries, if its type has one. */
export function commandKeyOf(args: TaskArgs): string | null {
  return 'commandKey' in args ? args.commandKey : null;
}

const SEALED = '$secret';

/** JSON for storage, with every Secret replaced by `{"$secret": base64(seal(plaintext))}`. */
export function sealTaskArgs(args: TaskArgs, seal: (plaintext: string) => Uint8Array): string {
  return JSON.stringify(args, function (this: Record<string, unknown>, key, value) {
    const raw = this[key];
    if (raw instanceof Secret)
      return { [SEALED]: Buffer.from(seal(raw.reveal())).toString('base64') };
    return value;
  });
}

export function openTaskArgs(json: string, open: (sealed: Uint8Array) => string): TaskArgs {
  // Most tasks seal nothing: a reviver makes a parse several times slower (a 60-name read: 13 against 3.6 µs).
  // The marker can only be a key here, as text inside a JSON string has its quotes escaped.
  if (!json.includes(`"${SEALED}"`)) return JSON.parse(json) as TaskArgs;
  return JSON.parse(json, (_key, value) => {
    if (typeof value === 'object' && value !== null && typeof value[SEALED] === 'string') {
      return new Secret(open(Buffer.from(value[SEALED], 'base64')));
    }
    return value;
  }) as TaskArgs;
}
