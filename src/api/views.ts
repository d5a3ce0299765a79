import { isSecretParameter } from '../acs/secret-parameters.ts';
import type { DeviceView } from '../store/devices.ts';
import type { JsonValue } from '../store/json.ts';
import type { ParameterRecord } from '../store/parameters.ts';
import { Secret } from '../store/secret.ts';
import type { TaskType } from '../store/task-args.ts';
import type { TaskRecord, TaskState } from '../store/tasks.ts';

/**
 * Records as the API publishes them. Secrets are write-only (security.md items 5 and 13): a secret parameter
 * is shown with `value: null, secret: true`; so is any parameter whose name says it is a password, even if
 * something stored its value in clear; task arguments and results never carry a password.
 */
export const REDACTED = '[redacted]';

export function parameterView(p: ParameterRecord): ParameterRecord {
  const secret = p.secret || (!p.object && isSecretParameter(p.path));
  return secret ? { ...p, value: null, secret: true } : p;
}

export function deviceListItem(view: DeviceView): DeviceView {
  return view.parameters === undefined
    ? view
    : { ...view, parameters: view.parameters.map(parameterView) };
}

export interface TaskJson {
  id: number;
  deviceId: string;
  type: TaskType;
  args: JsonValue;
  state: TaskState;
  position: number;
  createdAt: number;
  updatedAt: number;
  createdBy: string | null;
  notBefore: number;
  attempts: number;
  awaiting: { commandKey: string; deadline: number } | null;
  result: JsonValue | null;
  fault: TaskRecord['fault'];
  finishedAt: number | null;
}

/** A task as JSON: every `Secret` becomes "[redacted]", and values of secret-named parameters too. */
export function taskView(task: TaskRecord): TaskJson {
  return {
    id: task.id,
    deviceId: task.deviceId,
    type: task.type,
    args: redactJson(task.args),
    state: task.state,
    position: task.position,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
    createdBy: task.createdBy,
    notBefore: task.notBefore,
    attempts: task.attempts,
    awaiting: task.awaiting,
    result: task.result === null ? null : redactJson(task.result),
    fault: task.fault,
    finishedAt: task.finishedAt,
  };
}

/**
 * A JSON copy of `value` with secrets replaced: `Secret`s, `password` fields, and the `value` of any
 * `{ name, value }` entry (SetParameterValues arguments, GetParameterValues results) whose name is a
 * password-type parameter.
 */
export function redactJson(value: unknown): JsonValue {
  if (value instanceof Secret) return REDACTED;
  if (Array.isArray(value)) return value.map(redactJson);
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const secretEntry = typeof record.name === 'string' && isSecretParameter(record.name);
    const out: Record<string, JsonValue> = {};
    for (const [key, field] of Object.entries(record)) {
      if (field === undefined) continue;
      const hide =
        (key === 'value' && secretEntry) || (key.toLowerCase() === 'password' && field !== '');
      out[key] = hide ? REDACTED : redactJson(field);
    }
    return out;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  return null;
}
