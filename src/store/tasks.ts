import type { JsonValue } from './json.ts';
import type { ParameterChange, ParameterUpdate } from './parameters.ts';
import type { TaskArgs, TaskType } from './task-args.ts';

/**
 * - `pending`: queued (and, after a transient fault, backing off until `notBefore`).
 * - `running`: claimed by a session; the RPC is on the wire.
 * - `awaiting`: a Download/Upload/ScheduleDownload the CPE accepted (Status 1), waiting for the
 *   TransferComplete with its CommandKey until `awaiting.deadline`.
 * - `done`: finished, `result` set.
 * - `failed`: a permanent fault, retries exhausted, a transfer fault or timeout, or a side-effecting task
 *   whose session died before the CPE answered (outcome unknown). Runs again only by `retry`.
 * - `cancelled`: by the operator, or a fault the operator cleared.
 */
export type TaskState = 'pending' | 'running' | 'awaiting' | 'done' | 'failed' | 'cancelled';

export const TASK_STATES: readonly TaskState[] = [
  'pending',
  'running',
  'awaiting',
  'done',
  'failed',
  'cancelled',
];

export interface TaskFault {
  /**
   * cpe: the CPE answered the RPC with a SOAP Fault; transfer: TransferComplete carried a fault;
   * timeout: no TransferComplete before the deadline; interrupted: the claiming session ended (crash,
   * dropped connection, lease expiry) before the CPE answered; acs: the ACS gave up for its own reason.
   */
  source: 'cpe' | 'transfer' | 'timeout' | 'interrupted' | 'acs';
  /** The CWMP fault code (cpe, transfer), else null. */
  code: number | null;
  /** The CPE's FaultString, or the ACS's explanation. */
  message: string;
  /** E.g. SetParameterValuesFault entries. */
  detail: JsonValue | null;
  at: number;
  /** Not retried: a fault that will recur (9000, 9005, …), exhausted attempts, or outcome unknown. */
  permanent: boolean;
}

export interface TaskRecord {
  id: number;
  deviceId: string;
  type: TaskType;
  /** Passwords are `Secret`s (print as [redacted]). */
  args: TaskArgs;
  state: TaskState;
  /** Order within the device's queue (a retried task goes to the end). */
  position: number;
  createdAt: number;
  updatedAt: number;
  /** Who queued it (API key id, campaign, preset), for the audit trail. */
  createdBy: string | null;
  /** Earliest time it may run. */
  notBefore: number;
  /** Claims so far. */
  attempts: number;
  /** The last claim (kept after it ends, so a late answer from that session can still be recorded). */
  claim: { sessionId: string; at: number; leaseUntil: number } | null;
  awaiting: { commandKey: string; deadline: number } | null;
  result: JsonValue | null;
  /** The last fault; set while backing off and when failed. */
  fault: TaskFault | null;
  finishedAt: number | null;
}

export interface EnqueueInput {
  args: TaskArgs;
  /** Do not run before this time (default: now). */
  notBefore?: number;
  createdBy?: string | null;
}

export type ClaimResult =
  /** This session now holds the task: send its RPC. */
  | { status: 'claimed'; task: TaskRecord }
  /** Nothing pending. */
  | { status: 'empty' }
  /**
   * Nothing may run before `until`: the tasks not yet due (backing off) hold back every later task that
   * depends on them (task-order.ts: overlapping paths, or a whole-device RPC); `task` is the head.
   */
  | { status: 'waiting'; task: TaskRecord; until: number }
  /** Another session holds a live claim on this device's queue. */
  | { status: 'busy'; task: TaskRecord };

export interface FaultInput {
  source?: 'cpe' | 'acs';
  code: number | null;
  message: string;
  detail?: JsonValue | null;
  /** Override the fault-code table (see retry-policy.ts). */
  permanent?: boolean;
}

export interface CompleteInput {
  result: JsonValue | null;
  /** Model updates from the result, applied in the same transaction ("results update the stored model"). */
  model?: {
    upsert?: readonly ParameterUpdate[];
    prune?: { prefix: string; nextLevel?: boolean };
    deleteSubtrees?: readonly string[];
  };
}

export interface TransferOutcome {
  /** TransferComplete's FaultStruct; code 0 (or absent) is success. */
  fault?: { code: number; message: string } | null;
  startTime?: string | null;
  completeTime?: string | null;
  at?: number;
}

export interface TaskFilter {
  deviceId?: string;
  states?: readonly TaskState[];
  types?: readonly TaskType[];
  /** Only tasks with a fault (failed, or backing off): the faults list. */
  faulted?: boolean;
  createdBy?: string;
  /** Default 100, at most 10,000; ordered by id. */
  limit?: number;
  offset?: number;
}

export interface TaskStore {
  enqueue(deviceId: string, input: EnqueueInput): Promise<TaskRecord>;
  get(id: number): Promise<TaskRecord | null>;
  /** The device's queue in order: pending and running tasks. */
  queue(deviceId: string): Promise<TaskRecord[]>;
  list(filter?: TaskFilter): Promise<TaskRecord[]>;
  /**
   * The open faults (as `list({ faulted: true })` selects them) counted by CWMP fault code, or by source when a
   * fault has no code (`timeout`, `interrupted`…): one aggregate, whatever their number. Most first.
   */
  faultCounts(): Promise<{ code: string; count: number }[]>;
  /**
   * Claim the next task of the device's queue for `sessionId`, with a lease (default: the store's
   * `claimLeaseMs`): the first in queue order that is due and does not depend on a task backing off
   * (task-order.ts). First recovers claims of this device whose lease has expired (see `releaseSession`).
   */
  claimNext(
    deviceId: string,
    sessionId: string,
    options?: { leaseMs?: number },
  ): Promise<ClaimResult>;
  /**
   * Record the CPE's answer. Accepted from the session that last claimed the task while nobody has
   * claimed it since and it is not finished; otherwise conflict.
   */
  complete(
    id: number,
    sessionId: string,
    input: CompleteInput,
  ): Promise<{ task: TaskRecord; changes: ParameterChange[] }>;
  /** The CPE faulted: back off and stay at the head of the queue, or fail (retry-policy.ts). */
  fault(id: number, sessionId: string, fault: FaultInput): Promise<TaskRecord>;
  /** The CPE accepted a transfer for later (Status 1): wait for its TransferComplete until `deadline`. */
  awaitTransfer(
    id: number,
    sessionId: string,
    options?: { deadline?: number },
  ): Promise<TaskRecord>;
  /**
   * A TransferComplete arrived (this session or a later one): the oldest matching transfer task of the
   * device — awaiting, or failed by timeout or interruption — gets the result. Null when none matches
   * (an unknown CommandKey, a cancelled task).
   */
  completeTransfer(
    deviceId: string,
    commandKey: string,
    outcome: TransferOutcome,
  ): Promise<TaskRecord | null>;
  /** Fail every awaiting transfer whose deadline has passed (fault source 'timeout'). */
  expireTransfers(): Promise<TaskRecord[]>;
  /**
   * The session ended without answers for its running tasks (connection dropped, session timeout). Each
   * such task: read-only types go back to pending (retried); side-effecting ones fail as 'interrupted'.
   */
  releaseSession(deviceId: string, sessionId: string): Promise<TaskRecord[]>;
  /**
   * `releaseSession` for every running task whose lease has expired, on every device (run periodically).
   * `all`: every running task, lease or not — for a single ACS process at start-up, when every claim
   * belongs to a session of the process that died.
   */
  recoverClaims(options?: { all?: boolean }): Promise<TaskRecord[]>;
  /** Pending, awaiting or failed → cancelled. A running task cannot be cancelled (conflict). */
  cancel(id: number): Promise<TaskRecord>;
  /** Failed or cancelled → pending at the end of the queue, attempts and fault reset. */
  retry(id: number): Promise<TaskRecord>;
  /**
   * Dismiss a fault: a failed task becomes cancelled; a backing-off task keeps its place and may run at
   * the next session.
   */
  clearFault(id: number): Promise<TaskRecord>;
  /** Delete done and cancelled tasks finished before `before`. Returns how many. */
  purgeFinished(before: number): Promise<number>;
}
