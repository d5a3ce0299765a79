import { notFound } from '../errors.ts';
import { patchEntries, TASK_SELECT, type TaskPatch, type TaskRow } from '../task-rows.ts';
import type { Context } from './context.ts';

/**
 * Apply `patch` to the task read as `row` in this transaction (column names are checked against a fixed list);
 * the row as it now is, without reading it again: the columns set are exactly the patch's values.
 */
export function patchTask(ctx: Context, row: TaskRow, patch: TaskPatch): TaskRow {
  const entries = patchEntries(patch, ctx.now());
  ctx
    .stmt(`UPDATE tasks SET ${entries.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`)
    .run(...entries.map(([, v]) => v as string | number | null), row.id);
  return { ...row, ...Object.fromEntries(entries) };
}

export function findTask(ctx: Context, id: number): TaskRow | undefined {
  if (!Number.isSafeInteger(id)) return undefined;
  return ctx.stmt(`${TASK_SELECT} WHERE t.id = ?`).get(id) as TaskRow | undefined;
}

export function requireTask(ctx: Context, id: number): TaskRow {
  const row = findTask(ctx, id);
  if (row === undefined) throw notFound('task', String(id));
  return row;
}
