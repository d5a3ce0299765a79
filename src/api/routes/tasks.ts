import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { TaskType } from '../../store/task-args.ts';
import type { TaskRecord, TaskState } from '../../store/tasks.ts';
import { type App, deviceIdParam, principalOf, type RouteDeps, requestSignal } from '../app.ts';
import { actorOf } from '../auth.ts';
import {
  type ConnectionRequestOutcome,
  isUnfinished,
  MAX_WAIT_SECONDS,
  requestConnection,
  waitForTask,
} from '../connection-request.ts';
import { ApiError } from '../errors.ts';
import {
  bodyErrors,
  DeviceIdParam,
  DeviceParams,
  errors,
  Limit,
  Offset,
  TaskParams,
} from '../schemas/common.ts';
import { TaskOutcomeView, TaskStateName, TaskTypeName, TaskView } from '../schemas/records.ts';
import { TaskInput } from '../schemas/task-input.ts';
import { checkFileTarget } from '../task-file-target.ts';
import { toTaskArgs } from '../task-input.ts';
import { checkTaskAgainstModel } from '../task-model-check.ts';
import { taskView } from '../views.ts';

const TAGS = ['tasks'];

/** `connectionRequest` and `wait`: run the task now and wait (bounded) for its result. */
const RunOptions = Type.Object(
  {
    connectionRequest: Type.Optional(
      Type.Boolean({ default: false, description: 'Ask the CPE to open a session now' }),
    ),
    wait: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_WAIT_SECONDS,
        default: 0,
        description: `Seconds to wait for the task to finish (≤ ${MAX_WAIT_SECONDS}): 200 if it did, else 202`,
      }),
    ),
  },
  { additionalProperties: false },
);

/** Whether the device may be expected to call in soon: no connection request asked for, or one sent or throttled. */
function sessionExpected(outcome: ConnectionRequestOutcome | undefined): boolean {
  return outcome === undefined || outcome.ok || outcome.reason === 'throttled';
}

const outcomeResponses = {
  200: { ...TaskOutcomeView, description: 'The task finished (done, failed, awaiting a transfer)' },
  202: { ...TaskOutcomeView, description: 'Queued; not finished yet (pending or running)' },
};

/** Tasks: create on a device (optionally with a connection request and a wait), list, get, retry, cancel. */
export function taskRoutes(app: App, deps: RouteDeps): void {
  const { store, definitions } = deps;

  /** After queueing: the connection request and the wait, then 200 (finished) or 202 (not yet). */
  async function run(
    task: TaskRecord,
    options: { connectionRequest?: boolean; wait?: number },
    reply: FastifyReply,
  ) {
    let connectionRequest: ConnectionRequestOutcome | undefined;
    if (options.connectionRequest) {
      connectionRequest = await requestConnection(deps.connectionRequest, task.deviceId, deps.log);
    }
    const waitMs = (options.wait ?? 0) * 1000;
    // Nothing will make the CPE call in soon if the connection request failed: answer at once. Throttled is no
    // failure: one went out a moment ago, and the session it brings (or the next Inform) runs the task.
    if (waitMs > 0 && sessionExpected(connectionRequest) && isUnfinished(task)) {
      const signal = requestSignal(reply, deps.closing);
      task = await waitForTask(store, task, waitMs, signal, deps.changes);
    }
    reply.code(isUnfinished(task) ? 202 : 200).header('location', `/api/v1/tasks/${task.id}`);
    return {
      task: taskView(task),
      ...(connectionRequest !== undefined ? { connectionRequest } : {}),
    };
  }

  app.post(
    '/api/v1/devices/:deviceId/tasks',
    {
      config: { role: 'operator' },
      schema: {
        tags: TAGS,
        summary:
          'Queue a task on a device; optionally request a connection and wait for the result',
        params: DeviceParams,
        querystring: RunOptions,
        body: TaskInput,
        response: { ...outcomeResponses, ...bodyErrors(404, 422) },
      },
    },
    async (request, reply) => {
      const deviceId = deviceIdParam(request.params.deviceId);
      const device = await store.devices.get(deviceId);
      if (device === null) {
        throw new ApiError('not-found', 'no such device', 'deviceId');
      }
      const files = (fileId: string) => store.files.get(fileId);
      const args = await toTaskArgs(
        request.body,
        (path) => store.parameters.get(deviceId, path),
        files,
      );
      const body = request.body as { force?: boolean };
      const modelWarnings = await checkTaskAgainstModel(
        args,
        await definitions(),
        (path) => store.parameters.get(deviceId, path),
        body.force === true,
        principalOf(request),
      );
      const forced = await checkFileTarget(
        args,
        body.force === true,
        device,
        principalOf(request),
        files,
      );
      const task = await store.tasks.enqueue(deviceId, {
        args,
        createdBy: actorOf(principalOf(request)),
      });
      deps.log('api-task-created', {
        taskId: task.id,
        deviceId,
        type: task.type,
        by: actorOf(principalOf(request)),
        ...(forced === null ? {} : { forcedTarget: forced }),
        ...(modelWarnings.length === 0 ? {} : { modelWarnings }),
      });
      return run(task, request.query, reply);
    },
  );

  app.get(
    '/api/v1/tasks',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary: 'List tasks, by id',
        querystring: Type.Object(
          {
            deviceId: Type.Optional(DeviceIdParam),
            state: Type.Optional(Type.Array(TaskStateName, { maxItems: 6 })),
            type: Type.Optional(Type.Array(TaskTypeName, { maxItems: 32 })),
            faulted: Type.Optional(Type.Boolean()),
            createdBy: Type.Optional(Type.String({ maxLength: 64 })),
            limit: Type.Optional(Limit),
            offset: Type.Optional(Offset),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ tasks: Type.Array(TaskView) }), ...errors() },
      },
    },
    async (request) => {
      const q = request.query;
      const tasks = await store.tasks.list({
        ...(q.deviceId !== undefined ? { deviceId: deviceIdParam(q.deviceId) } : {}),
        ...(q.state !== undefined ? { states: q.state as TaskState[] } : {}),
        ...(q.type !== undefined ? { types: q.type as TaskType[] } : {}),
        ...(q.faulted !== undefined ? { faulted: q.faulted } : {}),
        ...(q.createdBy !== undefined ? { createdBy: q.createdBy } : {}),
        limit: q.limit,
        offset: q.offset,
      });
      return { tasks: tasks.map(taskView) };
    },
  );

  app.get(
    '/api/v1/tasks/:taskId',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary: 'One task',
        params: TaskParams,
        response: { 200: TaskView, ...errors(404) },
      },
    },
    async (request) => {
      const task = await store.tasks.get(request.params.taskId);
      if (task === null) throw new ApiError('not-found', 'no such task', 'taskId');
      return taskView(task);
    },
  );

  app.post(
    '/api/v1/tasks/:taskId/retry',
    {
      config: { role: 'operator' },
      schema: {
        tags: TAGS,
        summary: 'Queue a failed or cancelled task again (at the end of its device’s queue)',
        params: TaskParams,
        querystring: RunOptions,
        response: { ...outcomeResponses, ...errors(404, 409) },
      },
    },
    async (request, reply) => {
      const task = await store.tasks.retry(request.params.taskId);
      deps.log('api-task-retried', { taskId: task.id, by: actorOf(principalOf(request)) });
      return run(task, request.query, reply);
    },
  );

  app.post(
    '/api/v1/tasks/:taskId/cancel',
    {
      config: { role: 'operator' },
      schema: {
        tags: TAGS,
        summary: 'Cancel a pending, awaiting or failed task (a running one cannot be: 409)',
        params: TaskParams,
        response: { 200: TaskView, ...errors(404, 409) },
      },
    },
    async (request) => {
      const task = await store.tasks.cancel(request.params.taskId);
      deps.log('api-task-cancelled', { taskId: task.id, by: actorOf(principalOf(request)) });
      return taskView(task);
    },
  );

  app.get(
    '/api/v1/faults',
    {
      config: { role: 'read-only' },
      schema: {
        tags: ['faults'],
        summary: 'Tasks with a fault: failed, or backing off after a transient one',
        querystring: Type.Object(
          {
            deviceId: Type.Optional(DeviceIdParam),
            limit: Type.Optional(Limit),
            offset: Type.Optional(Offset),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ faults: Type.Array(TaskView) }), ...errors() },
      },
    },
    async (request) => {
      const q = request.query;
      const tasks = await store.tasks.list({
        faulted: true,
        ...(q.deviceId !== undefined ? { deviceId: deviceIdParam(q.deviceId) } : {}),
        limit: q.limit,
        offset: q.offset,
      });
      return { faults: tasks.map(taskView) };
    },
  );

  app.delete(
    '/api/v1/faults/:taskId',
    {
      config: { role: 'operator' },
      schema: {
        tags: ['faults'],
        summary:
          'Clear a task’s fault: a failed task becomes cancelled, a backing-off one may run at the next session',
        params: TaskParams,
        response: { 200: TaskView, ...errors(404, 409) },
      },
    },
    async (request) => {
      const task = await store.tasks.clearFault(request.params.taskId);
      deps.log('api-fault-cleared', { taskId: task.id, by: actorOf(principalOf(request)) });
      return taskView(task);
    },
  );
}
