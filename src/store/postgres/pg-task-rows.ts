import { notFound } from '../errors.ts';
import { patchEntries, TASK_SELECT, type TaskPatch, type TaskRow } from '../task-rows.ts';
import type { Context } from './context.ts';

/** Apply `patch` to task `id` (column names are checked against a fixed list) and read it back. */
export async function patchTask(ctx: Context, id: number, patch: TaskPatch): Promise<TaskRow> {
  const entries = patchEntries(patch, ctx.now());
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
