import type { CwmpEnvelope, CwmpMessage } from '../../cwmp/index.ts';
import { FaultCode } from '../../cwmp/index.ts';
import type { TaskRecord } from '../../store/tasks.ts';
import type { SessionDeps } from './deps.ts';
import { acsFault, envelopeReply, type SessionReply } from './reply.ts';
import type { CwmpSession } from './session.ts';

/** The methods this ACS implements for CPEs (its answer to GetRPCMethods). */
export const ACS_METHODS = [
  'Inform',
  'GetRPCMethods',
  'TransferComplete',
  'AutonomousTransferComplete',
  'RequestDownload',
  'DUStateChangeComplete',
  'AutonomousDUStateChangeComplete',
  'Kicked',
] as const;

const CPE_REQUESTS: ReadonlySet<string> = new Set(ACS_METHODS.filter((m) => m !== 'Inform'));

export function isCpeRequest(message: CwmpMessage): boolean {
  return CPE_REQUESTS.has(message.method);
}

/** Answer a request the CPE makes inside its session (TR-069 Annex A.3.3, A.4.2), storing what it reports. */
export async function answerCpeRequest(
  deps: SessionDeps,
  session: CwmpSession,
  envelope: CwmpEnvelope,
): Promise<SessionReply> {
  const message = envelope.body;
  const id = envelope.header.ID;
  const reply = (body: CwmpMessage) =>
    envelopeReply(session.cwmpNamespace, id !== undefined ? { ID: id } : {}, body, session.cookie);
  const { deviceId } = session;
  switch (message.method) {
    case 'TransferComplete': {
      const fault =
        message.FaultStruct.FaultCode === 0
          ? null
          : {
              code: message.FaultStruct.FaultCode,
              message: message.FaultStruct.FaultString,
            };
      const task = await deps.store.tasks.completeTransfer(deviceId, message.CommandKey, {
        fault,
        startTime: message.StartTime,
        completeTime: message.CompleteTime,
      });
      deps.log('transfer-complete', {
        deviceId,
        commandKey: message.CommandKey,
        taskId: task?.id ?? null,
        fault: fault?.code ?? 0,
      });
      countFinished(deps, task);
      return reply({ method: 'TransferCompleteResponse' });
    }
    case 'DUStateChangeComplete': {
      const failed = message.Results.find((r) => r.Fault.FaultCode !== 0);
      const task = await deps.store.tasks.completeTransfer(deviceId, message.CommandKey ?? '', {
        fault: failed
          ? { code: failed.Fault.FaultCode, message: failed.Fault.FaultString ?? '' }
          : null,
        startTime: message.Results[0]?.StartTime ?? null,
        completeTime: message.Results.at(-1)?.CompleteTime ?? null,
      });
      deps.log('du-state-change-complete', {
        deviceId,
        commandKey: message.CommandKey ?? '',
        taskId: task?.id ?? null,
      });
      countFinished(deps, task);
      return reply({ method: 'DUStateChangeCompleteResponse' });
    }
    case 'AutonomousTransferComplete':
      deps.log('autonomous-transfer-complete', {
        deviceId,
        fileType: message.FileType,
        fault: message.FaultStruct.FaultCode,
      });
      return reply({ method: 'AutonomousTransferCompleteResponse' });
    case 'AutonomousDUStateChangeComplete':
      deps.log('autonomous-du-state-change-complete', {
        deviceId,
        results: message.Results.length,
      });
      return reply({ method: 'AutonomousDUStateChangeCompleteResponse' });
    case 'GetRPCMethods':
      return reply({ method: 'GetRPCMethodsResponse', MethodList: [...ACS_METHODS] });
    case 'RequestDownload':
      // Nothing here serves files on request yet: decline rather than pretend (TR-069 allows 8001).
      deps.log('request-download', { deviceId, fileType: message.FileType });
      return acsFault(
        session.cwmpNamespace,
        id,
        FaultCode.AcsRequestDenied,
        'no file is offered for this request',
        session.cookie,
      );
    case 'Kicked':
      deps.log('kicked', { deviceId, command: message.Command });
      return reply({ method: 'KickedResponse', NextURL: message.Next });
    default:
      return acsFault(
        session.cwmpNamespace,
        id,
        FaultCode.AcsMethodNotSupported,
        undefined,
        session.cookie,
      );
  }
}

/** A task its TransferComplete finishes counts as done or faulted, like one finished by its RPC's answer. */
function countFinished(deps: SessionDeps, task: TaskRecord | null): void {
  if (task?.state === 'done') deps.metrics.taskDone(task.type);
  else if (task?.state === 'failed') deps.metrics.taskFaulted(task.type);
}
