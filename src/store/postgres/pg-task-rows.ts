import { notFound } from '../errors.ts';
import type { Context as SqliteContext } from '../sqlite/context.ts';
import {
  recordOf as sqliteRecordOf,
  sealArgs as sqliteSealArgs,
  TASK_SELECT,
  type TaskPatch,
  type TaskRow,
} from '../sqlite/task-rows.ts';
import type { TaskArgs } from '../task-args.ts';
import type { TaskRecord } from '../tasks.ts';
import type { Context } from './context.ts';

// The row shape, its mapping to a TaskRecord and the input checks are the SQLite store's: one copy.
export {
  checkSession,
  checkText,
  faultPatch,
  TASK_SELECT,
  type TaskPatch,
  type TaskRow,
} from '../sqlite/task-rows.ts';

/** The SQLite helpers below read only `ctx.box` from their context. */
function boxOf(ctx: Context): SqliteContext {
  return { box: ctx.box } as unknown as SqliteContext;
}

export function sealArgs(ctx: Context, deviceId: string, args: TaskArgs): string {
  return sqliteSealArgs(boxOf(ctx), deviceId, args);
}

export function recordOf(ctx: Context, r: TaskRow): TaskRecord {
  return sqliteRecordOf(boxOf(ctx), r);
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

/** Apply `patch` to task `id` (column names are checked against a fixed list) and read it back. */
export async function patchTask(ctx: Context, id: number, patch: TaskPatch): Promise<TaskRow> {
  const entries = Object.entries({ updated_at: ctx.now(), ...patch });
  for (const [column] of entries) {
    if (!PATCHABLE.has(column)) throw new Error(`not a patchable task column: ${column}`);
  }
  await ctx.run(
    `UPDATE tasks SET ${entries.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`,
    ...entries.map(([, v]) => v as string | number | null),
    id,
  );
  return (await ctx.get<TaskRow>(`${TASK_SELECT} WHERE t.id = ?`, id))!;
}

export async function findTask(ctx: Context, id: number): Promise<TaskRow | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  return ctx.get<TaskRow>(`${TASK_SELECT} WHERE t.id = ?`, id);
}

export async function requireTask(ctx: Context, id: number): Promise<TaskRow> {
  const row = await findTask(ctx, id);
  if (row === undefined) throw notFound('task', String(id));
  return row;
}
