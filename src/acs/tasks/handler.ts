import type { CwmpRpc } from '../../cwmp/index.ts';
import type { JsonValue } from '../../store/json.ts';
import type { TaskArgs, TaskType } from '../../store/task-args.ts';
import type { ModelUpdate } from './model-update.ts';

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

/** Where a multi-step task stands between two RPCs (refresh). Kept in the session only: a task whose
 * session dies starts again from its first RPC. */
export type TaskState = Record<string, unknown>;

export type TaskStep =
  /**
   * Send `request`; its response or fault comes back to the handler with `state`. `model`: what the previous
   * response taught, in a task of several RPCs.
   */
  | { kind: 'request'; request: AcsRequest; state: TaskState; model?: ModelUpdate }
  | { kind: 'done'; result: JsonValue; model?: ModelUpdate }
  /**
   * The CPE accepted work it reports later under this CommandKey: TransferComplete (Download, Upload,
   * ScheduleDownload) or DUStateChangeComplete (ChangeDUState), in this session or after a reboot.
   */
  | { kind: 'awaiting-completion'; commandKey: string; result: JsonValue };

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
export interface TaskHandler<A extends TaskArgs = TaskArgs> {
  start(args: A): TaskStep;
  /** The CPE's response to the request sent with `state`; its method has been checked to match. */
  onResponse(args: A, state: TaskState, response: CwmpRpc): TaskStep;
  /** A fault to the request sent with `state`: a step to recover with, or undefined to fail the task. */
  onFault?(args: A, state: TaskState, fault: CpeFault): TaskStep | undefined;
}

export type TaskHandlers = { [T in TaskType]: TaskHandler<Extract<TaskArgs, { type: T }>> };

/** The response method a request expects: `GetParameterValues` → `GetParameterValuesResponse`. */
export function responseMethodOf(request: AcsRequest): string {
  return `${request.method}Response`;
}
