import type { CwmpRpc } from '../../cwmp/index.ts';
import type { JsonValue } from '../../store/json.ts';
import type { TaskArgs } from '../../store/task-args.ts';
import { isSecretParameter } from '../secret-parameters.ts';
import type { AcsRequest, TaskHandler, TaskStep } from './handler.ts';

type ResponseTo<M extends string> = Extract<CwmpRpc, { method: `${M}Response` }>;

/** A task that is one RPC: build the request, read the response. Most task types are. */
export function singleRpc<A extends TaskArgs, R extends AcsRequest>(
  request: (args: A) => R,
  response: (args: A, response: ResponseTo<R['method']>) => TaskStep,
): TaskHandler<A> {
  return {
    start: (args) => ({ kind: 'request', request: request(args), state: {} }),
    onResponse: (args, _state, message) => response(args, message as ResponseTo<R['method']>),
  };
}

/** A task that is done when the CPE answers, learning nothing beyond the answer. */
export function done(result: JsonValue = {}): TaskStep {
  return { kind: 'done', result };
}

/** `ParameterValue`s (the codec's shape) as JSON for a task result; a secret's value is not kept there. */
export function valuesResult(
  values: ReadonlyArray<{ name: string; value: string; type: string }>,
): JsonValue {
  return values.map(
    (v): JsonValue =>
      isSecretParameter(v.name)
        ? { name: v.name, value: null, type: v.type, secret: true }
        : { name: v.name, value: v.value, type: v.type },
  );
}
