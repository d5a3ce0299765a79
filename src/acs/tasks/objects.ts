import type { TaskArgs } from '../../store/task-args.ts';
import type { TaskHandler } from './handler.ts';
import { singleRpc } from './single-rpc.ts';

type Args<T extends TaskArgs['type']> = Extract<TaskArgs, { type: T }>;

export const addObject: TaskHandler<Args<'addObject'>> = singleRpc(
  (args) => ({ method: 'AddObject', ObjectName: args.objectName, ParameterKey: args.parameterKey }),
  (args, response) => ({
    kind: 'done',
    result: { instanceNumber: response.InstanceNumber, status: response.Status },
    model: {
      upsert: [{ path: `${args.objectName}${response.InstanceNumber}.` }],
      parameterKey: args.parameterKey,
    },
  }),
);

export const deleteObject: TaskHandler<Args<'deleteObject'>> = singleRpc(
  (args) => ({
    method: 'DeleteObject',
    ObjectName: args.objectName,
    ParameterKey: args.parameterKey,
  }),
  (args, response) => ({
    kind: 'done',
    result: { status: response.Status },
    model: { deleteSubtrees: [args.objectName], parameterKey: args.parameterKey },
  }),
);
