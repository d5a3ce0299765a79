import type { TaskArgs } from '../../store/task-args.ts';
import { reportedValue } from '../secret-parameters.ts';
import type { TaskHandler } from './handler.ts';
import { singleRpc, valuesResult } from './single-rpc.ts';

type Args<T extends TaskArgs['type']> = Extract<TaskArgs, { type: T }>;

export const getParameterValues: TaskHandler<Args<'getParameterValues'>> = singleRpc(
  (args) => ({ method: 'GetParameterValues', ParameterNames: args.parameterNames }),
  (_args, response) => ({
    kind: 'done',
    result: { parameters: valuesResult(response.ParameterList) },
    model: {
      upsert: response.ParameterList.map((p) => reportedValue(p.name, p.value, p.type)),
    },
  }),
);

export const setParameterValues: TaskHandler<Args<'setParameterValues'>> = singleRpc(
  (args) => ({
    method: 'SetParameterValues',
    ParameterList: args.parameters.map((p) => ({
      name: p.name,
      value: typeof p.value === 'string' ? p.value : p.value.reveal(),
      type: p.type,
    })),
    ParameterKey: args.parameterKey,
  }),
  (args, response) => ({
    kind: 'done',
    // Status 1: committed, applied after a reboot or similar.
    result: { status: response.Status },
    // What was set is now the device's value (a secret stays a secret in the store).
    model: {
      upsert: args.parameters.map((p) => ({ path: p.name, value: p.value, type: p.type })),
      parameterKey: args.parameterKey,
    },
  }),
);

export const getParameterNames: TaskHandler<Args<'getParameterNames'>> = singleRpc(
  (args) => ({
    method: 'GetParameterNames',
    ParameterPath: args.parameterPath,
    NextLevel: args.nextLevel,
  }),
  (args, response) => ({
    kind: 'done',
    result: {
      parameters: response.ParameterList.map((p) => ({ name: p.Name, writable: p.Writable })),
    },
    model: {
      upsert: response.ParameterList.map((p) => ({ path: p.Name, writable: p.Writable })),
      // What is stored under the path and was not listed is gone (only direct children for NextLevel).
      prune: { prefix: args.parameterPath, nextLevel: args.nextLevel },
    },
  }),
);

export const getParameterAttributes: TaskHandler<Args<'getParameterAttributes'>> = singleRpc(
  (args) => ({ method: 'GetParameterAttributes', ParameterNames: args.parameterNames }),
  (_args, response) => ({
    kind: 'done',
    result: {
      attributes: response.ParameterList.map((p) => ({
        name: p.Name,
        notification: p.Notification,
        accessList: p.AccessList,
      })),
    },
    model: {
      upsert: response.ParameterList.map((p) => ({
        path: p.Name,
        notification: p.Notification,
        accessList: p.AccessList,
      })),
    },
  }),
);

export const setParameterAttributes: TaskHandler<Args<'setParameterAttributes'>> = singleRpc(
  (args) => ({
    method: 'SetParameterAttributes',
    ParameterList: args.parameters.map((p) => ({
      Name: p.name,
      NotificationChange: p.notificationChange,
      Notification: p.notification,
      AccessListChange: p.accessListChange,
      AccessList: p.accessList,
    })),
  }),
  (args) => ({
    kind: 'done',
    result: {},
    model: {
      upsert: args.parameters.map((p) => ({
        path: p.name,
        ...(p.notificationChange ? { notification: p.notification } : {}),
        ...(p.accessListChange ? { accessList: p.accessList } : {}),
      })),
    },
  }),
);
