import type { TaskHandler } from './handler.ts';
import { singleRpc } from './single-rpc.ts';
import type { TaskSpec } from './task-spec.ts';

type Spec<T extends TaskSpec['type']> = Extract<TaskSpec, { type: T }>;

export const getParameterValues: TaskHandler<Spec<'getParameterValues'>> = singleRpc(
  (spec) => ({ method: 'GetParameterValues', ParameterNames: spec.parameterNames }),
  (_spec, response) => ({
    kind: 'done',
    result: { parameters: response.ParameterList },
    updates: [{ kind: 'values', values: response.ParameterList }],
  }),
);

export const setParameterValues: TaskHandler<Spec<'setParameterValues'>> = singleRpc(
  (spec) => ({
    method: 'SetParameterValues',
    ParameterList: spec.parameterValues.map((p) => ({
      name: p.name,
      value: p.value,
      type: p.type ?? 'string',
    })),
    ParameterKey: spec.parameterKey ?? '',
  }),
  (spec, response) => ({
    kind: 'done',
    // Status 1: committed, applied after a reboot or similar.
    result: { status: response.Status },
    updates: [
      {
        kind: 'values',
        values: spec.parameterValues.map((p) => ({
          name: p.name,
          value: p.value,
          type: p.type ?? 'string',
        })),
      },
      { kind: 'parameter-key', value: spec.parameterKey ?? '' },
    ],
  }),
);

export const getParameterNames: TaskHandler<Spec<'getParameterNames'>> = singleRpc(
  (spec) => ({
    method: 'GetParameterNames',
    ParameterPath: spec.parameterPath,
    NextLevel: spec.nextLevel,
  }),
  (spec, response) => {
    const entries = response.ParameterList.map((p) => ({ name: p.Name, writable: p.Writable }));
    return {
      kind: 'done',
      result: { parameters: entries },
      // Only a full listing (NextLevel false) says what no longer exists below the path.
      updates: [{ kind: 'names', path: spec.parameterPath, entries, complete: !spec.nextLevel }],
    };
  },
);

export const getParameterAttributes: TaskHandler<Spec<'getParameterAttributes'>> = singleRpc(
  (spec) => ({ method: 'GetParameterAttributes', ParameterNames: spec.parameterNames }),
  (_spec, response) => {
    const attributes = response.ParameterList.map((p) => ({
      name: p.Name,
      notification: p.Notification,
      accessList: p.AccessList,
    }));
    return { kind: 'done', result: { attributes }, updates: [{ kind: 'attributes', attributes }] };
  },
);

export const setParameterAttributes: TaskHandler<Spec<'setParameterAttributes'>> = singleRpc(
  (spec) => ({
    method: 'SetParameterAttributes',
    ParameterList: spec.parameters.map((p) => ({
      Name: p.name,
      NotificationChange: p.notification !== undefined,
      Notification: p.notification ?? 0,
      AccessListChange: p.accessList !== undefined,
      AccessList: p.accessList ?? [],
    })),
  }),
  (spec) => ({
    kind: 'done',
    result: {},
    updates: [{ kind: 'attributes', attributes: spec.parameters }],
  }),
);
