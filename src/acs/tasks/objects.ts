import type { TaskHandler } from './handler.ts';
import { singleRpc } from './single-rpc.ts';
import type { TaskSpec } from './task-spec.ts';

type Spec<T extends TaskSpec['type']> = Extract<TaskSpec, { type: T }>;

export const addObject: TaskHandler<Spec<'addObject'>> = singleRpc(
  (spec) => ({
    method: 'AddObject',
    ObjectName: spec.objectName,
    ParameterKey: spec.parameterKey ?? '',
  }),
  (spec, response) => ({
    kind: 'done',
    result: { instanceNumber: response.InstanceNumber, status: response.Status },
    updates: [
      {
        kind: 'instance-added',
        objectName: spec.objectName,
        instanceNumber: response.InstanceNumber,
      },
      { kind: 'parameter-key', value: spec.parameterKey ?? '' },
    ],
  }),
);

export const deleteObject: TaskHandler<Spec<'deleteObject'>> = singleRpc(
  (spec) => ({
    method: 'DeleteObject',
    ObjectName: spec.objectName,
    ParameterKey: spec.parameterKey ?? '',
  }),
  (spec, response) => ({
    kind: 'done',
    result: { status: response.Status },
    updates: [
      { kind: 'object-deleted', objectName: spec.objectName },
      { kind: 'parameter-key', value: spec.parameterKey ?? '' },
    ],
  }),
);
