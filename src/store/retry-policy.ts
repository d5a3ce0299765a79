import { isPermanentFault } from '../cwmp/faults.ts';

/**
 * When a faulted task runs again. A fault that will recur unchanged (cwmp `isPermanentFault`: 9000 method
 * not supported, 9005 invalid parameter name, 9003, 9006-9008, …) is never retried: the task fails at once.
 * Others back off exponentially from the time of the fault (base · 2^(attempts-1), capped), and the task
 * fails once it has been tried `maxAttempts` times. A backing-off task keeps its place in its device's queue
 * and runs at the first session after `notBefore`; meanwhile later tasks that do not depend on it run
 * (task-order.ts says which do: the same parameters or objects, or a whole-device RPC).
 */
export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 60_000,
  maxDelayMs: 3_600_000,
  maxAttempts: 8,
};

export type FaultDisposition =
  | { retry: true; notBefore: number }
  | { retry: false; reason: 'permanent' | 'attempts-exhausted' };

/**
 * What to do after the `attempts`-th try of a task faulted with `code` at `now`. `permanent` overrides the
 * fault-code table either way (the ACS may know better, e.g. a vendor code).
 */
export function faultDisposition(
  policy: RetryPolicy,
  fault: { code: number | null; permanent?: boolean },
  attempts: number,
  now: number,
): FaultDisposition {
  const permanent = fault.permanent ?? (fault.code !== null && isPermanentFault(fault.code));
  if (permanent) return { retry: false, reason: 'permanent' };
  if (attempts >= policy.maxAttempts) return { retry: false, reason: 'attempts-exhausted' };
  return { retry: true, notBefore: now + backoffDelay(policy, attempts) };
}

export function backoffDelay(policy: RetryPolicy, attempts: number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 40);
  return Math.min(policy.baseDelayMs * 2 ** exponent, policy.maxDelayMs);
}
