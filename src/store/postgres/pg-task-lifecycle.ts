import { excerpt, StoreError } from '../errors.ts';
import type { ParameterChange } from '../parameters.ts';
import { faultDisposition } from '../retry-policy.ts';
import { checkTime } from '../settings.ts';
import { READ_ONLY_TASK_TYPES, TRANSFER_TASK_TYPES } from '../task-args.ts';
import { nextTask } from '../task-order.ts';
import {
  checkSession,
  checkText,
  faultPatch,
  recordOf,
  TASK_SELECT,
  type TaskRow,
} from '../task-rows.ts';
import type {
  ClaimResult,
  CompleteInput,
  FaultInput,
  TaskFault,
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
    const lease = options.leaseMs ?? ctx.settings.claimLeaseMs;
    if (!Number.isSafeInteger(lease) || lease <= 0) {
      throw new StoreError('invalid', 'task', 'a lease is a whole number of ms > 0');
    }
    return ctx.write(async () => {
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
    const code = input?.code;
    if (code !== null && !Number.isInteger(code)) {
      throw new StoreError('invalid', 'task', 'a fault code is an integer or null');
    }
    const message = checkText('a fault string', input.message);
    const source = input.source ?? 'cpe';
    if (source !== 'cpe' && source !== 'acs')
      throw new StoreError('invalid', 'task', 'unknown fault source');
    return ctx.write(async () => {
      const row = await this.#answerable(id, sessionId);
      const now = ctx.now();
      const d = faultDisposition(ctx.settings.retry, input, row.attempts, now);
      const fault: TaskFault = {
        source,
        code,
        message,
        detail: input.detail ?? null,
        at: now,
        permanent: !d.retry,
      };
      const next = d.retry
        ? await patchTask(ctx, id, {
            state: 'pending',
            not_before: d.notBefore,
            lease_until: null,
            ...faultPatch(fault),
          })
        : await patchTask(ctx, id, {
            state: 'failed',
            lease_until: null,
            finished_at: now,
            ...faultPatch(fault),
          });
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
    const f = outcome.fault ?? null;
    const faulted = f !== null && f.code !== 0;
    if (f !== null) checkText('a fault string', f.message);
    return ctx.write(async () => {
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
      const result = JSON.stringify({
        startTime: outcome.startTime ?? null,
        completeTime: outcome.completeTime ?? null,
        faultCode: f?.code ?? 0,
        faultString: f?.message ?? '',
      });
      const fault: TaskFault | null = faulted
        ? {
            source: 'transfer',
            code: f.code,
            message: f.message,
            detail: null,
            at,
            permanent: true,
          }
        : null;
      const next = await patchTask(ctx, row.id, {
        state: faulted ? 'failed' : 'done',
        result,
        deadline: null,
        finished_at: at,
        ...faultPatch(fault),
      });
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
        const fault: TaskFault = {
          source: 'timeout',
          code: null,
          message: `no TransferComplete for CommandKey ${excerpt(r.command_key ?? '')} by the deadline`,
          detail: { deadline: r.deadline },
          at: now,
          permanent: true,
        };
        expired.push(
          recordOf(
            ctx,
            await patchTask(ctx, r.id, { state: 'failed', finished_at: now, ...faultPatch(fault) }),
          ),
        );
      }
      return expired;
    });
  }

  async releaseSession(deviceId: string, sessionId: string): Promise<TaskRecord[]> {
    const ctx = this.#ctx;
    checkSession(sessionId);
    return ctx.write(async () => {
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
    // A read is retried at once (the crash is seldom the task's doing); the attempt cap stops a loop.
    const d =
      READ_ONLY_TASK_TYPES.has(r.type) && r.attempts < ctx.settings.retry.maxAttempts
        ? ({ retry: true, notBefore: now } as const)
        : ({ retry: false } as const);
    const fault: TaskFault = {
      source: 'interrupted',
      code: null,
      message: d.retry
        ? 'the session ended before the CPE answered; the task only reads, so it runs again'
        : 'the session ended before the CPE answered; whether the CPE carried it out is unknown',
      detail: null,
      at: now,
      permanent: !d.retry,
    };
    const next = d.retry
      ? await patchTask(ctx, r.id, {
          state: 'pending',
          not_before: d.notBefore,
          lease_until: null,
          ...faultPatch(fault),
        })
      : await patchTask(ctx, r.id, {
          state: 'failed',
          lease_until: null,
          finished_at: now,
          ...faultPatch(fault),
        });
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
