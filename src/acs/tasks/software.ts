import { commandKeyFor, type TaskHandler } from './handler.ts';
import { singleRpc } from './single-rpc.ts';
import type { TaskSpec } from './task-spec.ts';

/** ChangeDUState is accepted at once and reported later by DUStateChangeComplete with the same CommandKey. */
export const changeDUState: TaskHandler<Extract<TaskSpec, { type: 'changeDUState' }>> = singleRpc(
  (spec, context) => ({
    method: 'ChangeDUState',
    Operations: spec.operations,
    CommandKey: commandKeyFor(spec.commandKey, context),
  }),
  (spec, _response, context) => {
    const commandKey = commandKeyFor(spec.commandKey, context);
    return { kind: 'awaiting-completion', commandKey, result: { commandKey }, updates: [] };
  },
);
