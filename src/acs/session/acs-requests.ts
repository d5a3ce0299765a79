import {
  type CwmpEnvelope,
  type CwmpRpc,
  encodeEnvelope,
  isPermanentFault,
} from '../../cwmp/index.ts';
import type { CompleteInput, FaultInput, TaskRecord } from '../../store/tasks.ts';
import { resolveServedTransfer } from '../files/served-transfers.ts';
import {
  type CpeFault,
  type ModelUpdate,
  responseMethodOf,
  TASK_HANDLERS,
  type TaskHandler,
  type TaskStep,
} from '../tasks/index.ts';
import type { SessionDeps } from './deps.ts';
import { closeSession } from './end.ts';
import { endOfSession, type SessionReply } from './reply.ts';
import type { CwmpSession } from './session.ts';
import { flushTrace, traceResponse } from './trace.ts';

function handlerFor(task: TaskRecord): TaskHandler {
  return TASK_HANDLERS[task.type] as TaskHandler;
}

/**
 * The ACS's turn: claim the device's next task and send its RPC, or, with nothing left to do, answer 204 and
 * end the session. Tasks that finish without the CPE (none do yet) loop here.
 */
export async function sendNextRequest(
  deps: SessionDeps,
  session: CwmpSession,
): Promise<SessionReply> {
  for (;;) {
    // Shutting down: the session ends here, its device's tasks stay queued for its next session.
    const claim = deps.registry.draining
      ? ({ status: 'draining' } as const)
      : await deps.store.tasks.claimNext(session.deviceId, session.id);
    if (claim.status === 'empty' && session.provisioning !== null) {
      // The queue is done: what do the presets still want of this device?
      if ((await session.provisioning.planRound()) > 0) continue;
    }
    if (claim.status !== 'claimed') {
      const reply = endOfSession(session.cookie);
      await traceResponse(deps, session, reply);
      await closeSession(deps, session);
      // Written at once (readable now) but not waited for: the 204 need not wait for a trace's commit.
      void flushTrace(deps, session);
      deps.log('session-end', {
        deviceId: session.deviceId,
        sessionId: session.id,
        queue: claim.status,
      });
      deps.metrics.sessionCompleted((deps.clock() - session.startedAt) / 1000);
      return reply;
    }
    const served = await resolveServedTransfer(
      deps.store,
      deps.fileServer ?? null,
      session.deviceId,
      claim.task.args,
    );
    if (!served.ok) {
      await failTask(deps, session, claim.task, {
        source: 'acs',
        code: null,
        message: served.message,
        permanent: true,
      });
      continue;
    }
    const reply = await applyStep(deps, session, claim.task, () =>
      handlerFor(claim.task).start(served.args),
    );
    if (reply !== undefined) return reply;
  }
}

/** The CPE answered the pending RPC with a response or a fault. */
export async function onAnswer(
  deps: SessionDeps,
  session: CwmpSession,
  envelope: CwmpEnvelope,
): Promise<SessionReply> {
  const pending = session.pending!;
  session.pending = null;
  const { task, state, request } = pending;
  const message = envelope.body;
  const handler = handlerFor(task);
  let reply: SessionReply | undefined;
  if (message.method === 'Fault') {
    const fault: CpeFault = message;
    deps.metrics.cpeFault(request.method, fault.FaultCode);
    reply = await applyStep(
      deps,
      session,
      task,
      () => handler.onFault?.(task.args, state, fault),
      fault,
    );
  } else if (message.method === responseMethodOf(request)) {
    reply = await applyStep(deps, session, task, () =>
      handler.onResponse(task.args, state, message as CwmpRpc),
    );
  } else {
    await failTask(deps, session, task, {
      source: 'acs',
      code: null,
      message: `the CPE answered ${request.method} with ${message.method}`,
      permanent: true,
    });
  }
  return reply ?? sendNextRequest(deps, session);
}

/** The CPE sent an empty POST while an RPC was pending: it will not answer it (quirk 16). */
export async function onNoAnswer(deps: SessionDeps, session: CwmpSession): Promise<SessionReply> {
  const { task, request } = session.pending!;
  session.pending = null;
  await failTask(deps, session, task, {
    source: 'acs',
    code: null,
    message: `the CPE sent an empty message instead of answering ${request.method}`,
    permanent: true,
  });
  return sendNextRequest(deps, session);
}

/**
 * Carry out a handler's step: send the next RPC (returned as the reply), or record the task as done, awaiting
 * completion, or failed (undefined: the caller moves on to the next task). A handler that throws fails its task,
 * never the session.
 */
async function applyStep(
  deps: SessionDeps,
  session: CwmpSession,
  task: TaskRecord,
  next: () => TaskStep | undefined,
  fault?: CpeFault,
): Promise<SessionReply | undefined> {
  let step: TaskStep | undefined;
  try {
    step = next();
  } catch (error) {
    await failTask(deps, session, task, {
      source: 'acs',
      code: null,
      message: (error as Error).message,
      permanent: true,
    });
    return undefined;
  }
  if (step === undefined) {
    const code = fault?.FaultCode ?? null;
    await failTask(deps, session, task, {
      source: 'cpe',
      code,
      message: fault?.FaultString ?? '',
      detail:
        fault && fault.SetParameterValuesFault.length > 0
          ? fault.SetParameterValuesFault.map((f) => ({ ...f }))
          : null,
      permanent: code !== null && isPermanentFault(code),
    });
    return undefined;
  }
  switch (step.kind) {
    case 'request': {
      if (step.model) await applyModel(deps, session, step.model);
      const requestId = session.nextRequestId();
      session.pending = { task, request: step.request, state: step.state, requestId };
      const envelope = {
        cwmpNamespace: session.cwmpNamespace,
        header: { ID: requestId },
        body: step.request,
      };
      const reply = { status: 200, body: encodeEnvelope(envelope), cookie: session.cookie };
      await traceResponse(deps, session, reply, envelope, secretNames(task));
      deps.metrics.rpcSent(step.request.method);
      return reply;
    }
    case 'done': {
      const input: CompleteInput = { result: step.result };
      if (step.model) input.model = storeModel(step.model, session.root);
      await deps.store.tasks.complete(task.id, session.id, input);
      await session.provisioning?.onDone(task, step.result);
      deps.log('task-done', { deviceId: session.deviceId, taskId: task.id, type: task.type });
      deps.metrics.taskDone(task.type);
      return undefined;
    }
    case 'awaiting-completion':
      await deps.store.tasks.awaitTransfer(task.id, session.id);
      deps.log('task-awaiting', {
        deviceId: session.deviceId,
        taskId: task.id,
        commandKey: step.commandKey,
      });
      return undefined;
  }
}

/** Record a task's fault, and tell the presets' side when it was one of theirs (its channel waits). */
async function failTask(
  deps: SessionDeps,
  session: CwmpSession,
  task: TaskRecord,
  fault: FaultInput,
): Promise<void> {
  await deps.store.tasks.fault(task.id, session.id, fault);
  await session.provisioning?.onFault(task);
  deps.log('task-fault', {
    deviceId: session.deviceId,
    taskId: task.id,
    type: task.type,
    code: fault.code,
  });
  deps.metrics.taskFaulted(task.type);
}

/** A multi-RPC task's intermediate learning (refresh), written as it arrives. */
async function applyModel(
  deps: SessionDeps,
  session: CwmpSession,
  model: ModelUpdate,
): Promise<void> {
  const m = storeModel(model, session.root);
  for (const path of m.deleteSubtrees ?? [])
    await deps.store.parameters.deleteSubtree(session.deviceId, path);
  if (m.upsert || m.prune) {
    await deps.store.parameters.upsert(
      session.deviceId,
      m.upsert ?? [],
      m.prune ? { prune: m.prune } : {},
    );
  }
}

/** The ParameterKey lives at `<root>ManagementServer.ParameterKey`. */
function storeModel(model: ModelUpdate, root: string): NonNullable<CompleteInput['model']> {
  const { parameterKey, ...rest } = model;
  if (parameterKey === undefined) return rest;
  return {
    ...rest,
    upsert: [
      ...(rest.upsert ?? []),
      { path: `${root}ManagementServer.ParameterKey`, value: parameterKey, type: 'string' },
    ],
  };
}

/** Parameters the operator gave as secrets: redacted in the trace whatever their names. */
function secretNames(task: TaskRecord): ReadonlySet<string> | undefined {
  if (task.args.type !== 'setParameterValues') return undefined;
  return new Set(
    task.args.parameters.filter((p) => typeof p.value !== 'string').map((p) => p.name),
  );
}
