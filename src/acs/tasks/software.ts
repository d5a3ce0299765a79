import type { DeploymentUnitOperation } from '../../cwmp/index.ts';
import type { DuOperation, TaskArgs } from '../../store/task-args.ts';
import type { TaskHandler } from './handler.ts';
import { singleRpc } from './single-rpc.ts';

/** The store's operation (camelCase, secret password) as the wire's OperationStruct. */
function toWire(op: DuOperation): DeploymentUnitOperation {
  const password =
    'password' in op && op.password !== undefined ? { Password: op.password.reveal() } : {};
  switch (op.operation) {
    case 'install':
      return {
        Operation: 'Install',
        URL: op.url,
        ...(op.uuid !== undefined ? { UUID: op.uuid } : {}),
        ...(op.username !== undefined ? { Username: op.username } : {}),
        ...password,
        ...(op.executionEnvRef !== undefined ? { ExecutionEnvRef: op.executionEnvRef } : {}),
      };
    case 'update':
      return {
        Operation: 'Update',
        ...(op.uuid !== undefined ? { UUID: op.uuid } : {}),
        ...(op.version !== undefined ? { Version: op.version } : {}),
        ...(op.url !== undefined ? { URL: op.url } : {}),
        ...(op.username !== undefined ? { Username: op.username } : {}),
        ...password,
      };
    case 'uninstall':
      return {
        Operation: 'Uninstall',
        UUID: op.uuid,
        ...(op.version !== undefined ? { Version: op.version } : {}),
        ...(op.executionEnvRef !== undefined ? { ExecutionEnvRef: op.executionEnvRef } : {}),
      };
  }
}

/** ChangeDUState is accepted at once and reported later by DUStateChangeComplete with the same CommandKey. */
export const changeDUState: TaskHandler<Extract<TaskArgs, { type: 'changeDUState' }>> = singleRpc(
  (args) => ({
    method: 'ChangeDUState',
    Operations: args.operations.map(toWire),
    CommandKey: args.commandKey,
  }),
  (args) => ({
    kind: 'awaiting-completion',
    commandKey: args.commandKey,
    result: { commandKey: args.commandKey },
  }),
);
