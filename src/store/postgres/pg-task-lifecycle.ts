import { excerpt, notFound, StoreError } from '../errors.ts';
import type { ParameterChange } from '../parameters.ts';
import { checkTime } from '../settings.ts';
import { TRANSFER_TASK_TYPES } from '../task-args.ts';
import { nextTask } from '../task-order.ts';
import {
  checkSession,
  checkText,
  faultPatch,
  recordOf,
  TASK_SELECT,
  type TaskRow,
} from '../task-rows.ts';
import {
  checkFault,
  checkLease,
  checkTransferOutcome,
  expiryPatch,
  releasePatch,
  reportedFaultPatch,
  transferPatch,
} from '../task-transitions.ts';
import type {
  ClaimResult,
  CompleteInput,
  FaultInput,
  TaskRecord,
  TransferOutcome,
} from '../tasks.ts';
import type { Context } from './context.ts';
import type { PgParameters } from './pg-parameters.ts';
import { patchTask, requireTask } from './pg-task-rows.ts';

/** Pending tasks of one device looked at for the next claim; a task further back waits its turn. */
const MAX_SCANNED = 256;

/**
 * A task's life on the wire: claimed by a session under a lease, answered (done, faulted, or waiting for
 * its TransferComplete), or released when its session is gone. store.ts explains the restart rules.
 */
export class TaskLifecycle {
  readonly #ctx: Context;
  readonly #parameters: PgParameters;

  constructor(ctx: Context, parameters: PgParameters) {
    this.#ctx = ctx;
    this.#parameters = parameters;
  }

  async claimNext(
    deviceId: string,
    sessionId: string,
    options: { leaseMs?: number } = {},
  ): Promise<ClaimResult> {
    const ctx = this.#ctx;
    checkSession(sessionId);
    const lease = checkLease(options.leaseMs, ctx.settings.claimLeaseMs);
    // Most sessions find nothing to do: say so from one statement, without a transaction and its lock.
    const found =
      typeof deviceId !== 'string'
        ? undefined
        : await ctx.get<{ busy: boolean }>(
            `SELECT EXISTS (SELECT 1 FROM tasks t WHERE t.device_key = d.key AND t.state IN ('pending', 'running'))
         AS busy FROM devices d WHERE md5(d.id) = md5(?) AND d.id = ?`,
            deviceId,
            deviceId,
          );
    if (found === undefined) throw notFound('device', excerpt(String(deviceId)));
    if (!found.busy) return { status: 'empty' };
    return ctx.writeDevice(async () => {
      const key = await ctx.requireKey(deviceId);
      const now = ctx.now();
      const expired = (await ctx
        .stmt(
          `${TASK_SELECT} WHERE t.device_key = ? AND t.state = 'running' AND t.lease_until <= ?`,
        )
        .all(key, now)) as TaskRow[];
      for (const r of expired) await this.#release(r);
      const running = (await ctx
        .stmt(`${TASK_SELECT} WHERE t.device_key = ? AND t.state = 'running' LIMIT 1`)
        .get(key)) as TaskRow | undefined;
      if (running !== undefined) return { status: 'busy', task: recordOf(ctx, running) };
      const queue = (
        (await ctx
          .stmt(
            `${TASK_SELECT} WHERE t.device_key = ? AND t.state = 'pending' ORDER BY t.position LIMIT ?`,
          )
          .all(key, MAX_SCANNED)) as TaskRow[]
      ).map((row) => ({ row, type: row.type, args: row.args, notBefore: row.not_before }));
      const next = nextTask(queue, now);
      if (next.status === 'empty') return { status: 'empty' };
      if (next.status === 'waiting') {
        return { status: 'waiting', task: recordOf(ctx, next.first.row), until: next.until };
      }
      const head = next.task.row;
      const claimed = await patchTask(ctx, head.id, {
        state: 'running',
        claim_session: sessionId,
        claimed_at: now,
        lease_until: now + lease,
        attempts: head.attempts + 1,
      });
      return { status: 'claimed', task: recordOf(ctx, claimed) };
    });
  }

  async complete(
    id: number,
    sessionId: string,
    input: CompleteInput,
  ): Promise<{ task: TaskRecord; changes: ParameterChange[] }> {
    const ctx = this.#ctx;
    checkSession(sessionId);
    const result = input?.result === undefined ? null : JSON.stringify(input.result);
    return ctx.write(async () => {
      const row = await this.#answerable(id, sessionId);
      const changes: ParameterChange[] = [];
      const model = input.model;
      if (model !== undefined) {
        for (const path of model.deleteSubtrees ?? []) {
          changes.push(...(await this.#parameters.deleteRows(row.device_key, path)));
        }
        if (model.upsert !== undefined || model.prune !== undefined) {
          const options = model.prune === undefined ? {} : { prune: model.prune };
          changes.push(
            ...(await this.#parameters.upsertRows(
              row.device_key,
              row.device_id,
              model.upsert ?? [],
              options,
            )),
          );
        }
      }
      const done = await patchTask(ctx, id, {
        state: 'done',
        result,
        lease_until: null,
        deadline: null,
        finished_at: ctx.now(),
        ...faultPatch(null),
      });
      return { task: recordOf(ctx, done), changes };
    });
  }

  async fault(id: number, sessionId: string, input: FaultInput): Promise<TaskRecord> {
    const ctx = this.#ctx;
    checkSession(sessionId);
    const checked = checkFault(input);
    return ctx.write(async () => {
      const row = await this.#answerable(id, sessionId);
      const now = ctx.now();
      const patch = reportedFaultPatch(ctx.settings.retry, input, checked, row.attempts, now);
      const next = await patchTask(ctx, id, patch);
      return recordOf(ctx, next);
    });
  }

  async awaitTransfer(
    id: number,
    sessionId: string,
    options: { deadline?: number } = {},
  ): Promise<TaskRecord> {
    const ctx = this.#ctx;
    checkSession(sessionId);
    return ctx.write(async () => {
      const row = await this.#answerable(id, sessionId);
      if (!TRANSFER_TASK_TYPES.has(row.type) || row.command_key === null) {
        throw new StoreError(
          'invalid',
          'task',
          `a ${row.type} task has no TransferComplete to wait for`,
        );
      }
      const deadline =
        options.deadline === undefined
          ? ctx.now() + ctx.settings.transferTimeoutMs
          : checkTime(options.deadline, 'deadline');
      return recordOf(
        ctx,
        await patchTask(ctx, id, {
          state: 'awaiting',
          deadline,
          lease_until: null,
          ...faultPatch(null),
        }),
      );
    });
  }

  async completeTransfer(
    deviceId: string,
    commandKey: string,
    outcome: TransferOutcome,
  ): Promise<TaskRecord | null> {
    const ctx = this.#ctx;
    checkText('a CommandKey', commandKey);
    const checked = checkTransferOutcome(outcome);
    return ctx.writeDevice(async () => {
      const key = await ctx.requireKey(deviceId);
      const types = [...TRANSFER_TASK_TYPES];
      const row = (await ctx
        .stmt(
          `${TASK_SELECT} WHERE t.device_key = ? AND t.command_key = ?
             AND t.type IN (${types.map(() => '?').join(', ')})
             AND (t.state = 'awaiting'
               OR (t.state = 'failed' AND t.fault_source IN ('timeout', 'interrupted')))
           ORDER BY t.state = 'awaiting' DESC, t.position LIMIT 1`,
        )
        .get(key, commandKey, ...types)) as TaskRow | undefined;
      if (row === undefined) return null;
      const at = ctx.timeOr(outcome.at, 'at');
      const next = await patchTask(ctx, row.id, transferPatch(outcome, checked, at));
      return recordOf(ctx, next);
    });
  }

  async expireTransfers(): Promise<TaskRecord[]> {
    const ctx = this.#ctx;
    return ctx.sweep(async () => {
      const now = ctx.now();
      const rows = (await ctx
        .stmt(
          `${TASK_SELECT} WHERE t.state = 'awaiting' AND t.deadline <= ? ORDER BY t.id FOR UPDATE OF t SKIP LOCKED`,
        )
        .all(now)) as TaskRow[];
      const expired: TaskRecord[] = [];
      for (const r of rows) {
        expired.push(recordOf(ctx, await patchTask(ctx, r.id, expiryPatch(r, now))));
      }
      return expired;
    });
  }

  async releaseSession(deviceId: string, sessionId: string): Promise<TaskRecord[]> {
    const ctx = this.#ctx;
    checkSession(sessionId);
    return ctx.writeDevice(async () => {
      const rows = (await ctx
        .stmt(
          `${TASK_SELECT} WHERE t.device_key = ? AND t.state = 'running' AND t.claim_session = ?`,
        )
        .all(await ctx.requireKey(deviceId), sessionId)) as TaskRow[];
      const released: TaskRecord[] = [];
      for (const r of rows) released.push(await this.#release(r));
      return released;
    });
  }

  async recoverClaims(options: { all?: boolean } = {}): Promise<TaskRecord[]> {
    const ctx = this.#ctx;
    return ctx.sweep(async () => {
      const rows = (
        options.all === true
          ? await ctx
              .stmt(
                `${TASK_SELECT} WHERE t.state = 'running' ORDER BY t.id FOR UPDATE OF t SKIP LOCKED`,
              )
              .all()
          : await ctx
              .stmt(`${TASK_SELECT} WHERE t.state = 'running' AND t.lease_until <= ? ORDER BY t.id
                 FOR UPDATE OF t SKIP LOCKED`)
              .all(ctx.now())
      ) as TaskRow[];
      const released: TaskRecord[] = [];
      for (const r of rows) released.push(await this.#release(r));
      return released;
    });
  }

  /**
   * A running claim whose session is gone. Read-only tasks go back to pending (retried now, within the
   * attempt cap); a side-effecting task may or may not have run on the CPE, so it fails as
   * 'interrupted' and is never re-sent without the operator.
   */
  async #release(r: TaskRow): Promise<TaskRecord> {
    const ctx = this.#ctx;
    const now = ctx.now();
    const next = await patchTask(ctx, r.id, releasePatch(r, now, ctx.settings.retry.maxAttempts));
    return recordOf(ctx, next);
  }

  /**
   * The task, if `sessionId` may answer for it: it holds the claim (running), or held the last claim that
   * was then released as interrupted (a late answer settles the unknown outcome).
   */
  async #answerable(id: number, sessionId: string): Promise<TaskRow> {
    const row = await requireTask(this.#ctx, id);
    const holder = row.claim_session === sessionId;
    const late =
      row.fault_source === 'interrupted' && (row.state === 'pending' || row.state === 'failed');
    if (!holder || !(row.state === 'running' || late)) {
      throw new StoreError(
        'conflict',
        'task',
        `task ${id} is ${row.state} and not claimed by session ${excerpt(sessionId)}`,
      );
    }
    return row;
  }
}
