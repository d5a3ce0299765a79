import { StoreError } from '../errors.ts';
import { page } from '../paging.ts';
import type { ParameterChange } from '../parameters.ts';
import { checkTime } from '../settings.ts';
import { DEFAULT_PAGE, MAX_PAGE } from '../store.ts';
import { commandKeyOf, validateTaskArgs } from '../task-args.ts';
import {
  checkText,
  faultPatch,
  recordOf,
  sealArgs,
  TASK_SELECT,
  type TaskRow,
  taskWhere,
} from '../task-rows.ts';
import type {
  ClaimResult,
  CompleteInput,
  EnqueueInput,
  FaultInput,
  TaskFilter,
  TaskRecord,
  TaskStore,
  TransferOutcome,
} from '../tasks.ts';
import type { Context } from './context.ts';
import type { SqliteParameters } from './sqlite-parameters.ts';
import { TaskLifecycle } from './task-lifecycle.ts';
import { findTask, patchTask, requireTask } from './task-rows.ts';

/** The per-device task queues: what is queued, in which order, and the operator's hand on it. */
export class SqliteTasks implements TaskStore {
  readonly #ctx: Context;
  readonly #life: TaskLifecycle;

  constructor(ctx: Context, parameters: SqliteParameters) {
    this.#ctx = ctx;
    this.#life = new TaskLifecycle(ctx, parameters);
  }

  async enqueue(deviceId: string, input: EnqueueInput): Promise<TaskRecord> {
    const ctx = this.#ctx;
    validateTaskArgs(input?.args);
    const createdBy =
      input.createdBy == null ? null : checkText('createdBy', input.createdBy, 1024);
    return ctx.write(() => {
      const key = ctx.requireKey(deviceId);
      const now = ctx.now();
      const r = ctx
        .stmt(
          `INSERT INTO tasks (device_key, position, type, args, command_key, state, created_at,
             updated_at, created_by, not_before)
           VALUES (?, (SELECT coalesce(max(position), 0) + 1 FROM tasks WHERE device_key = ?),
             ?, ?, ?, 'pending', ?, ?, ?, ?)
           RETURNING *`,
        )
        .get(
          key,
          key,
          input.args.type,
          sealArgs(ctx, deviceId, input.args),
          commandKeyOf(input.args),
          now,
          now,
          createdBy,
          ctx.timeOr(input.notBefore, 'notBefore'),
        );
      return recordOf(this.#ctx, { ...(r as Omit<TaskRow, 'device_id'>), device_id: deviceId });
    });
  }

  async get(id: number): Promise<TaskRecord | null> {
    const row = findTask(this.#ctx, id);
    return row === undefined ? null : recordOf(this.#ctx, row);
  }

  async queue(deviceId: string): Promise<TaskRecord[]> {
    const ctx = this.#ctx;
    return ctx.read(() => {
      const rows = ctx
        .stmt(
          `${TASK_SELECT} WHERE t.device_key = ? AND t.state IN ('pending', 'running') ORDER BY t.position`,
        )
        .all(ctx.requireKey(deviceId)) as TaskRow[];
      return rows.map((r) => recordOf(ctx, r));
    });
  }

  async list(filter: TaskFilter = {}): Promise<TaskRecord[]> {
    const ctx = this.#ctx;
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.deviceId !== undefined) {
      where.push('d.id = ?');
      args.push(checkText('deviceId', filter.deviceId));
    }
    taskWhere(filter, where, args);
    const limit = page(filter.limit, DEFAULT_PAGE, MAX_PAGE, 'limit');
    const offset = page(filter.offset, 0, Number.MAX_SAFE_INTEGER, 'offset');
    const rows = ctx
      .stmt(`${TASK_SELECT} WHERE ${where.join(' AND ') || '1'} ORDER BY t.id LIMIT ? OFFSET ?`)
      .all(...args, limit, offset) as TaskRow[];
    return rows.map((r) => recordOf(ctx, r));
  }

  async faultCounts(): Promise<{ code: string; count: number }[]> {
    const rows = this.#ctx
      .stmt(
        `SELECT coalesce(CAST(fault_code AS TEXT), fault_source) AS code, count(*) AS count FROM tasks
         WHERE fault_source IS NOT NULL AND state IN ('pending', 'failed')
         GROUP BY 1 ORDER BY count DESC, code`,
      )
      .all() as { code: string; count: number }[];
    return rows;
  }

  claimNext(
    deviceId: string,
    sessionId: string,
    options?: { leaseMs?: number },
  ): Promise<ClaimResult> {
    return this.#life.claimNext(deviceId, sessionId, options);
  }

  complete(
    id: number,
    sessionId: string,
    input: CompleteInput,
  ): Promise<{ task: TaskRecord; changes: ParameterChange[] }> {
    return this.#life.complete(id, sessionId, input);
  }

  fault(id: number, sessionId: string, fault: FaultInput): Promise<TaskRecord> {
    return this.#life.fault(id, sessionId, fault);
  }

  awaitTransfer(
    id: number,
    sessionId: string,
    options?: { deadline?: number },
  ): Promise<TaskRecord> {
    return this.#life.awaitTransfer(id, sessionId, options);
  }

  completeTransfer(
    deviceId: string,
    commandKey: string,
    outcome: TransferOutcome,
  ): Promise<TaskRecord | null> {
    return this.#life.completeTransfer(deviceId, commandKey, outcome);
  }

  expireTransfers(): Promise<TaskRecord[]> {
    return this.#life.expireTransfers();
  }

  releaseSession(deviceId: string, sessionId: string): Promise<TaskRecord[]> {
    return this.#life.releaseSession(deviceId, sessionId);
  }

  recoverClaims(options?: { all?: boolean }): Promise<TaskRecord[]> {
    return this.#life.recoverClaims(options);
  }

  async cancel(id: number): Promise<TaskRecord> {
    const ctx = this.#ctx;
    return ctx.write(() => {
      const row = requireTask(this.#ctx, id);
      if (row.state === 'cancelled') return recordOf(ctx, row);
      if (row.state === 'running' || row.state === 'done') {
        throw new StoreError(
          'conflict',
          'task',
          `task ${id} is ${row.state} and cannot be cancelled`,
        );
      }
      return recordOf(
        ctx,
        patchTask(ctx, row, {
          state: 'cancelled',
          lease_until: null,
          deadline: null,
          finished_at: ctx.now(),
        }),
      );
    });
  }

  async retry(id: number): Promise<TaskRecord> {
    const ctx = this.#ctx;
    return ctx.write(() => {
      const row = requireTask(this.#ctx, id);
      if (row.state !== 'failed' && row.state !== 'cancelled') {
        throw new StoreError(
          'conflict',
          'task',
          `task ${id} is ${row.state}; only failed or cancelled tasks are retried`,
        );
      }
      const { next } = ctx
        .stmt('SELECT coalesce(max(position), 0) + 1 AS next FROM tasks WHERE device_key = ?')
        .get(row.device_key) as { next: number };
      const patch = {
        state: 'pending' as const,
        position: next,
        attempts: 0,
        not_before: ctx.now(),
        claim_session: null,
        claimed_at: null,
        lease_until: null,
        deadline: null,
        result: null,
        finished_at: null,
        ...faultPatch(null),
      };
      return recordOf(ctx, patchTask(ctx, row, patch));
    });
  }

  async clearFault(id: number): Promise<TaskRecord> {
    const ctx = this.#ctx;
    return ctx.write(() => {
      const row = requireTask(this.#ctx, id);
      if (row.fault_source === null || (row.state !== 'failed' && row.state !== 'pending')) {
        throw new StoreError('conflict', 'task', `task ${id} has no fault to clear`);
      }
      const next =
        row.state === 'failed'
          ? patchTask(ctx, row, { state: 'cancelled' })
          : patchTask(ctx, row, { not_before: ctx.now(), ...faultPatch(null) });
      return recordOf(ctx, next);
    });
  }

  async purgeFinished(before: number): Promise<number> {
    const r = this.#ctx
      .stmt("DELETE FROM tasks WHERE state IN ('done', 'cancelled') AND finished_at < ?")
      .run(checkTime(before, 'before'));
    return r.changes;
  }
}
