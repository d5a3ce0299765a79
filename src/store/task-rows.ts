import { StoreError } from './errors.ts';
import { type JsonValue, parseJson } from './json.ts';
import type { SecretBox } from './secret-box.ts';
import {
  isTaskType,
  openTaskArgs,
  sealTaskArgs,
  type TaskArgs,
  type TaskType,
} from './task-args.ts';
import {
  TASK_STATES,
  type TaskFault,
  type TaskFilter,
  type TaskRecord,
  type TaskState,
} from './tasks.ts';

/** The tasks table as rows, and rows as TaskRecords (arguments decrypted into Secrets). */
export interface TaskRow {
  id: number;
  device_key: number;
  device_id: string;
  position: number;
  type: TaskType;
  args: string;
  command_key: string | null;
  state: TaskState;
  created_at: number;
  updated_at: number;
  created_by: string | null;
  not_before: number;
  attempts: number;
  claim_session: string | null;
  claimed_at: number | null;
  lease_until: number | null;
  deadline: number | null;
  result: string | null;
  fault_source: TaskFault['source'] | null;
  fault_code: number | null;
  fault_message: string | null;
  fault_detail: string | null;
  fault_at: number | null;
  fault_permanent: number | null;
  finished_at: number | null;
}

export const TASK_SELECT =
  'SELECT t.*, d.id AS device_id FROM tasks t JOIN devices d ON d.key = t.device_key';

export function argsContext(deviceId: string): string {
  return `task-args:${deviceId}`;
}

export function sealArgs(
  ctx: { readonly box: SecretBox },
  deviceId: string,
  args: TaskArgs,
): string {
  return sealTaskArgs(args, (plain) => ctx.box.seal(plain, argsContext(deviceId)));
}

export function recordOf(ctx: { readonly box: SecretBox }, r: TaskRow): TaskRecord {
  let args: TaskArgs | undefined;
  return {
    id: r.id,
    deviceId: r.device_id,
    type: r.type,
    /** Opened when first read: most writes' callers never do (the change feed, a session queueing its tasks). */
    get args(): TaskArgs {
      args ??= openTaskArgs(r.args, (sealed) => ctx.box.open(sealed, argsContext(r.device_id)));
      return args;
    },
    state: r.state,
    position: r.position,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    createdBy: r.created_by,
    notBefore: r.not_before,
    attempts: r.attempts,
    claim:
      r.claim_session === null
        ? null
        : { sessionId: r.claim_session, at: r.claimed_at ?? 0, leaseUntil: r.lease_until ?? 0 },
    awaiting:
      r.state === 'awaiting' && r.deadline !== null
        ? { commandKey: r.command_key ?? '', deadline: r.deadline }
        : null,
    result: parseJson<JsonValue>(r.result),
    fault:
      r.fault_source === null
        ? null
        : {
            source: r.fault_source,
            code: r.fault_code,
            message: r.fault_message ?? '',
            detail: parseJson<JsonValue>(r.fault_detail),
            at: r.fault_at ?? 0,
            permanent: r.fault_permanent === 1,
          },
    finishedAt: r.finished_at,
  };
}

/** Column assignments for an UPDATE of one task row. */
export type TaskPatch = Partial<Omit<TaskRow, 'id' | 'device_key' | 'device_id' | 'type' | 'args'>>;

export function faultPatch(fault: TaskFault | null): TaskPatch {
  return {
    fault_source: fault?.source ?? null,
    fault_code: fault?.code ?? null,
    fault_message: fault?.message ?? null,
    fault_detail: fault?.detail == null ? null : JSON.stringify(fault.detail),
    fault_at: fault?.at ?? null,
    fault_permanent: fault === null ? null : fault.permanent ? 1 : 0,
  };
}

const PATCHABLE = new Set([
  'position',
  'command_key',
  'state',
  'updated_at',
  'not_before',
  'attempts',
  'claim_session',
  'claimed_at',
  'lease_until',
  'deadline',
  'result',
  'fault_source',
  'fault_code',
  'fault_message',
  'fault_detail',
  'fault_at',
  'fault_permanent',
  'finished_at',
]);

/** The column assignments of `patch` (names checked against a fixed list), `updated_at` = `now` unless it sets it. */
export function patchEntries(patch: TaskPatch, now: number): [string, unknown][] {
  const entries = Object.entries({ updated_at: now, ...patch });
  for (const [column] of entries) {
    if (!PATCHABLE.has(column)) throw new Error(`not a patchable task column: ${column}`);
  }
  return entries;
}

const MAX_TEXT = 65_536;

export function checkText(what: string, value: unknown, max = MAX_TEXT): string {
  if (typeof value !== 'string' || value.length > max || !value.isWellFormed()) {
    throw new StoreError(
      'invalid',
      'task',
      `${what} must be well-formed text of at most ${max} characters`,
    );
  }
  return value;
}

export function checkSession(sessionId: unknown): string {
  const s = checkText('a session id', sessionId, 256);
  if (s === '') throw new StoreError('invalid', 'task', 'a session id is not empty');
  return s;
}

/**
 * A task list's filter, but for its device (whose lookup is the engine's), added to `where` as conditions on
 * `t` (the tasks), every value bound in `args`.
 */
export function taskWhere(filter: TaskFilter, where: string[], args: (string | number)[]): void {
  if (filter.states !== undefined) {
    if (!filter.states.every((s) => TASK_STATES.includes(s))) {
      throw new StoreError('invalid', 'task', 'unknown task state');
    }
    where.push(`t.state IN (${filter.states.map(() => '?').join(', ') || 'NULL'})`);
    args.push(...filter.states);
  }
  if (filter.types !== undefined) {
    if (!filter.types.every(isTaskType))
      throw new StoreError('invalid', 'task', 'unknown task type');
    where.push(`t.type IN (${filter.types.map(() => '?').join(', ') || 'NULL'})`);
    args.push(...filter.types);
  }
  if (filter.faulted === true) {
    where.push("t.fault_source IS NOT NULL AND t.state IN ('pending', 'failed')");
  } else if (filter.faulted === false) {
    where.push("NOT (t.fault_source IS NOT NULL AND t.state IN ('pending', 'failed'))");
  }
  if (filter.createdBy !== undefined) {
    where.push('t.created_by = ?');
    args.push(checkText('createdBy', filter.createdBy));
  }
}
