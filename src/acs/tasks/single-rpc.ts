import type { CwmpRpc } from '../../cwmp/index.ts';
import type { AcsRequest, TaskContext, TaskHandler, TaskStep } from './handler.ts';
import type { TaskSpec } from './task-spec.ts';

type ResponseTo<M extends string> = Extract<CwmpRpc, { method: `${M}Response` }>;

/** A task that is one RPC: build the request, read the response. Most task types are. */
export function singleRpc<S extends TaskSpec, R extends AcsRequest>(
  request: (spec: S, context: TaskContext) => R,
  response: (spec: S, response: ResponseTo<R['method']>, context: TaskContext) => TaskStep,
): TaskHandler<S> {
  return {
    start: (spec, context) => ({ kind: 'request', request: request(spec, context), state: {} }),
    onResponse: (spec, _state, message, context) =>
      response(spec, message as ResponseTo<R['method']>, context),
  };
}

/** A task that is done when the CPE answers, learning nothing beyond it. */
export function done(result: Record<string, unknown> = {}): TaskStep {
  return { kind: 'done', result, updates: [] };
}
