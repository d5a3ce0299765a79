import type { CwmpRpc } from '../../cwmp/index.ts';
import type { ModelUpdate } from './model-update.ts';
import type { TaskSpec, TaskType } from './task-spec.ts';

/** The request messages the ACS sends to a CPE. */
export type AcsRequest = Extract<
  CwmpRpc,
  {
    method:
      | 'GetRPCMethods'
      | 'SetParameterValues'
      | 'GetParameterValues'
      | 'GetParameterNames'
      | 'SetParameterAttributes'
      | 'GetParameterAttributes'
      | 'AddObject'
      | 'DeleteObject'
      | 'Reboot'
      | 'Download'
      | 'Upload'
      | 'FactoryReset'
      | 'GetQueuedTransfers'
      | 'GetAllQueuedTransfers'
      | 'ScheduleInform'
      | 'SetVouchers'
      | 'GetOptions'
      | 'ScheduleDownload'
      | 'CancelTransfer'
      | 'ChangeDUState';
  }
>;

/** A task's outcome, stored on the task and returned by the API: plain JSON. */
export type TaskResult = Record<string, unknown>;

/** Where a multi-step task stands between two RPCs (refresh); plain JSON so it survives in the store. */
export type TaskState = Record<string, unknown>;

export type TaskStep =
  /**
   * Send `request`; its response or fault comes back to the handler with `state`. `updates`: what the previous
   * response taught, in a task of several RPCs.
   */
  | { kind: 'request'; request: AcsRequest; state: TaskState; updates?: ModelUpdate[] }
  | { kind: 'done'; result: TaskResult; updates: ModelUpdate[] }
  /**
   * The CPE accepted work it reports later under this CommandKey: TransferComplete (Download, Upload,
   * ScheduleDownload) or DUStateChangeComplete (ChangeDUState), in this session or after a reboot.
   */
  | { kind: 'awaiting-completion'; commandKey: string; result: TaskResult; updates: ModelUpdate[] };

export interface TaskContext {
  /** Identifies the task: CommandKeys the operator left out are derived from it (string(32) at most). */
  taskId: string;
}

export interface CpeFault {
  FaultCode: number;
  FaultString?: string;
  SetParameterValuesFault: Array<{
    ParameterName: string;
    FaultCode: number;
    FaultString?: string;
  }>;
}

/** How one task type turns into RPCs and what it learns from the answers. Pure: no I/O. */
export interface TaskHandler<S extends TaskSpec = TaskSpec> {
  start(spec: S, context: TaskContext): TaskStep;
  /** The CPE's response to the request sent with `state`; its method has been checked to match. */
  onResponse(spec: S, state: TaskState, response: CwmpRpc, context: TaskContext): TaskStep;
  /** A fault to the request sent with `state`: a step to recover with, or undefined to fail the task. */
  onFault?(spec: S, state: TaskState, fault: CpeFault, context: TaskContext): TaskStep | undefined;
}

export type TaskHandlers = { [T in TaskType]: TaskHandler<Extract<TaskSpec, { type: T }>> };

/** The response method a request expects: `GetParameterValues` → `GetParameterValuesResponse`. */
export function responseMethodOf(request: AcsRequest): string {
  return `${request.method}Response`;
}

/** CommandKey for a task: the operator's, or one derived from the task id (CommandKeyType is string(32)). */
export function commandKeyFor(given: string | undefined, context: TaskContext): string {
  return given ?? `corral-${context.taskId}`.slice(0, 32);
}
