/**
 * How a task's row changes when it faults, is released, or its transfer completes or expires: the checks on
 * the input and the column patch, the same in both engines (which apply it with their own patchTask).
 */
import { excerpt, StoreError } from './errors.ts';
import { faultDisposition, type RetryPolicy } from './retry-policy.ts';
import { READ_ONLY_TASK_TYPES } from './task-args.ts';
import { checkText, faultPatch, type TaskPatch, type TaskRow } from './task-rows.ts';
import type { FaultInput, TaskFault, TransferOutcome } from './tasks.ts';

/** A claim's lease: `leaseMs`, else `fallback`, a whole number of ms > 0. */
export function checkLease(leaseMs: number | undefined, fallback: number): number {
  const lease = leaseMs ?? fallback;
  if (!Number.isSafeInteger(lease) || lease <= 0) {
    throw new StoreError('invalid', 'task', 'a lease is a whole number of ms > 0');
  }
  return lease;
}

/** A fault reported for a task, checked. */
export function checkFault(input: FaultInput): {
  code: number | null;
  message: string;
  source: 'cpe' | 'acs';
} {
  const code = input?.code;
  if (code !== null && !Number.isInteger(code)) {
    throw new StoreError('invalid', 'task', 'a fault code is an integer or null');
  }
  const message = checkText('a fault string', input.message);
  const source = input.source ?? 'cpe';
  if (source !== 'cpe' && source !== 'acs')
    throw new StoreError('invalid', 'task', 'unknown fault source');
  return { code, message, source };
}

/** A faulted task: back to pending from `notBefore` (a retry), else failed for good. */
export function faultedPatch(
  d: { retry: true; notBefore: number } | { retry: false },
  fault: TaskFault,
  now: number,
): TaskPatch {
  return d.retry
    ? { state: 'pending', not_before: d.notBefore, lease_until: null, ...faultPatch(fault) }
    : { state: 'failed', lease_until: null, finished_at: now, ...faultPatch(fault) };
}

/** A fault the CPE (or the ACS) reported for a task: retried under `policy`, else failed for good. */
export function reportedFaultPatch(
  policy: RetryPolicy,
  input: FaultInput,
  { code, message, source }: ReturnType<typeof checkFault>,
  attempts: number,
  now: number,
): TaskPatch {
  const d = faultDisposition(policy, input, attempts, now);
  const fault: TaskFault = {
    source,
    code,
    message,
    detail: input.detail ?? null,
    at: now,
    permanent: !d.retry,
  };
  return faultedPatch(d, fault, now);
}

/**
 * A running claim whose session is gone. Read-only tasks go back to pending (retried now, within the
 * attempt cap); a side-effecting task may or may not have run on the CPE, so it fails as
 * 'interrupted' and is never re-sent without the operator.
 */
export function releasePatch(r: TaskRow, now: number, maxAttempts: number): TaskPatch {
  // A read is retried at once (the crash is seldom the task's doing); the attempt cap stops a loop.
  const d =
    READ_ONLY_TASK_TYPES.has(r.type) && r.attempts < maxAttempts
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
  return faultedPatch(d, fault, now);
}

/** A TransferComplete's outcome, checked: its fault (null when none), and whether it failed. */
export function checkTransferOutcome(outcome: TransferOutcome): {
  f: { code: number; message: string } | null;
  faulted: boolean;
} {
  const f = outcome.fault ?? null;
  const faulted = f !== null && f.code !== 0;
  if (f !== null) checkText('a fault string', f.message);
  return { f, faulted };
}

/** The task a TransferComplete settles, done or (a transfer fault) failed, at `at`. */
export function transferPatch(
  outcome: TransferOutcome,
  { f, faulted }: ReturnType<typeof checkTransferOutcome>,
  at: number,
): TaskPatch {
  const result = JSON.stringify({
    startTime: outcome.startTime ?? null,
    completeTime: outcome.completeTime ?? null,
    faultCode: f?.code ?? 0,
    faultString: f?.message ?? '',
  });
  const fault: TaskFault | null =
    faulted && f !== null
      ? {
          source: 'transfer',
          code: f.code,
          message: f.message,
          detail: null,
          at,
          permanent: true,
        }
      : null;
  return {
    state: faulted ? 'failed' : 'done',
    result,
    deadline: null,
    finished_at: at,
    ...faultPatch(fault),
  };
}

/** An awaited transfer whose deadline passed: failed, as a timeout. */
export function expiryPatch(r: TaskRow, now: number): TaskPatch {
  const fault: TaskFault = {
    source: 'timeout',
    code: null,
    message: `no TransferComplete for CommandKey ${excerpt(r.command_key ?? '')} by the deadline`,
    detail: { deadline: r.deadline },
    at: now,
    permanent: true,
  };
  return { state: 'failed', finished_at: now, ...faultPatch(fault) };
}
