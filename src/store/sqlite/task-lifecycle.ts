import { excerpt, StoreError } from '../errors.ts';
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
import type { SqliteParameters } from './sqlite-parameters.ts';
import { patchTask, requireTask } from './task-rows.ts';

/** Pending tasks of one device looked at for the next claim; a task further back waits its turn. */
const MAX_SCANNED = 256;

/**
 * A task's life on the wire: claimed by a session under a lease, answered (done, faulted, or waiting for
 * its TransferComplete), or released when its session is gone. store.ts explains the restart rules.
 */
export class TaskLifecycle {
  readonly #ctx: Context;
  readonly #parameters: SqliteParameters;

  constructor(ctx: Context, parameters: SqliteParameters) {
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
    // Most sessions find nothing to do: say so from what the last look found (context.ts keeps it true), or from
    // one index seek, without a write (and so a commit).
    if (ctx.knownIdle(deviceId)) return { status: 'empty' };
    const idle = ctx.read(() => {
      const key = ctx.requireKey(deviceId);
      const none =
        ctx
          .stmt(
            "SELECT 1 FROM tasks WHERE device_key = ? AND state IN ('pending', 'running') LIMIT 1",
          )
          .get(key) === undefined;
      if (none) ctx.rememberIdle(key);
      return none;
    });
    if (idle) return { status: 'empty' };
    return ctx.write(() => {
      const key = ctx.requireKey(deviceId);
      const now = ctx.now();
      // A claim whose lease has run out is released first; one still held makes the device busy.
      const claims = ctx
        .stmt(`${TASK_SELECT} WHERE t.device_key = ? AND t.state = 'running' ORDER BY t.position`)
        .all(key) as TaskRow[];
      let running: TaskRow | undefined;
      for (const r of claims) {
        if (r.lease_until !== null && r.lease_until <= now) this.#release(r);
        else running ??= r;
      }
      if (running !== undefined) return { status: 'busy', task: recordOf(ctx, running) };
      // Of each queued task only what choosing needs, and the whole row of the chosen one alone: a claim that read
      // every row of the queue cost more the longer the queue (two queued tasks: about twice as much).
      const queue = (
        ctx
          .stmt(
            "SELECT id, type, args, not_before FROM tasks WHERE device_key = ? AND state = 'pending' ORDER BY position LIMIT ?",
            true,
          )
          .all(key, MAX_SCANNED) as [number, TaskRow['type'], string, number][]
      ).map(([id, type, args, notBefore]) => ({ id, type, args, notBefore }));
      const next = nextTask(queue, now);
      if (next.status === 'empty') return { status: 'empty' };
      if (next.status === 'waiting') {
        const first = requireTask(ctx, next.first.id);
        return { status: 'waiting', task: recordOf(ctx, first), until: next.until };
      }
      const head = requireTask(ctx, next.task.id);
      const claimed = patchTask(ctx, head, {
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
    return ctx.write(() => {
      const row = this.#answerable(id, sessionId);
      const changes: ParameterChange[] = [];
      const model = input.model;
      if (model !== undefined) {
        for (const path of model.deleteSubtrees ?? []) {
          changes.push(...this.#parameters.deleteRows(row.device_key, path));
        }
        if (model.upsert !== undefined || model.prune !== undefined) {
          const options = model.prune === undefined ? {} : { prune: model.prune };
          changes.push(
            ...this.#parameters.upsertRows(
              row.device_key,
              row.device_id,
              model.upsert ?? [],
              options,
            ),
          );
        }
      }
      const done = patchTask(ctx, row, {
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
    return ctx.write(() => {
      const row = this.#answerable(id, sessionId);
      const now = ctx.now();
      const patch = reportedFaultPatch(ctx.settings.retry, input, checked, row.attempts, now);
      const next = patchTask(ctx, row, patch);
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
    return ctx.write(() => {
      const row = this.#answerable(id, sessionId);
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
        patchTask(ctx, row, {
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
    return ctx.write(() => {
      const key = ctx.requireKey(deviceId);
      const types = [...TRANSFER_TASK_TYPES];
      const row = ctx
        .stmt(
          `${TASK_SELECT} WHERE t.device_key = ? AND t.command_key = ?
             AND t.type IN (${types.map(() => '?').join(', ')})
             AND (t.state = 'awaiting'
               OR (t.state = 'failed' AND t.fault_source IN ('timeout', 'interrupted')))
           ORDER BY t.state = 'awaiting' DESC, t.position LIMIT 1`,
        )
        .get(key, commandKey, ...types) as TaskRow | undefined;
      if (row === undefined) return null;
      const at = ctx.timeOr(outcome.at, 'at');
      const next = patchTask(ctx, row, transferPatch(outcome, checked, at));
      return recordOf(ctx, next);
    });
  }

  async expireTransfers(): Promise<TaskRecord[]> {
    const ctx = this.#ctx;
    return ctx.write(() => {
      const now = ctx.now();
      const rows = ctx
        .stmt(`${TASK_SELECT} WHERE t.state = 'awaiting' AND t.deadline <= ? ORDER BY t.id`)
        .all(now) as TaskRow[];
      return rows.map((r) => recordOf(ctx, patchTask(ctx, r, expiryPatch(r, now))));
    });
  }

  async releaseSession(deviceId: string, sessionId: string): Promise<TaskRecord[]> {
    const ctx = this.#ctx;
    checkSession(sessionId);
    return ctx.write(() => {
      const rows = ctx
        .stmt(
          `${TASK_SELECT} WHERE t.device_key = ? AND t.state = 'running' AND t.claim_session = ?`,
        )
        .all(ctx.requireKey(deviceId), sessionId) as TaskRow[];
      return rows.map((r) => this.#release(r));
    });
  }

  async recoverClaims(options: { all?: boolean } = {}): Promise<TaskRecord[]> {
    const ctx = this.#ctx;
    return ctx.write(() => {
      const rows = (
        options.all === true
          ? ctx.stmt(`${TASK_SELECT} WHERE t.state = 'running' ORDER BY t.id`).all()
          : ctx
              .stmt(`${TASK_SELECT} WHERE t.state = 'running' AND t.lease_until <= ? ORDER BY t.id`)
              .all(ctx.now())
      ) as TaskRow[];
      return rows.map((r) => this.#release(r));
    });
  }

  /**
   * A running claim whose session is gone. Read-only tasks go back to pending (retried now, within the
   * attempt cap); a side-effecting task may or may not have run on the CPE, so it fails as
   * 'interrupted' and is never re-sent without the operator.
   */
  #release(r: TaskRow): TaskRecord {
    const ctx = this.#ctx;
    const now = ctx.now();
    const next = patchTask(ctx, r, releasePatch(r, now, ctx.settings.retry.maxAttempts));
    return recordOf(ctx, next);
  }

  /**
   * The task, if `sessionId` may answer for it: it holds the claim (running), or held the last claim that
   * was then released as interrupted (a late answer settles the unknown outcome).
   */
  #answerable(id: number, sessionId: string): TaskRow {
    const row = requireTask(this.#ctx, id);
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
