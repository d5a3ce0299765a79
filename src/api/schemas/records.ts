import { Type } from 'typebox';
import { ROLES } from '../../store/api-keys.ts';
import { DEVICE_FIELDS } from '../../store/devices.ts';
import { TASK_TYPES } from '../../store/task-args.ts';
import { TASK_STATES } from '../../store/tasks.ts';

/**
 * What the API returns, as response schemas: they document the OpenAPI responses and drive Fastify's
 * serializer, which writes only the properties named here — an allow-list, so a field added to a store
 * record is not published (or leaked) until it is added here.
 */
const Ms = Type.Integer({ description: 'ms since the epoch' });
const NullableMs = Type.Union([Ms, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const DeviceFieldName = Type.Enum([...DEVICE_FIELDS]);
export const TaskTypeName = Type.Enum([...TASK_TYPES]);
export const TaskStateName = Type.Enum([...TASK_STATES]);
export const RoleName = Type.Enum([...ROLES]);

export const ParameterView = Type.Object({
  path: Type.String(),
  object: Type.Boolean(),
  value: Type.Union([Type.String(), Type.Null()], {
    description: 'null when never read, and always for a secret (write-only)',
  }),
  type: NullableString,
  secret: Type.Boolean({ description: 'A password-type value: never returned' }),
  writable: Type.Union([Type.Boolean(), Type.Null()]),
  notification: Type.Union([Type.Integer(), Type.Null()]),
  accessList: Type.Union([Type.Array(Type.String()), Type.Null()]),
  valueAt: NullableMs,
  attributesAt: NullableMs,
});

export const DeviceRecordView = Type.Object({
  id: Type.String(),
  manufacturer: Type.String(),
  oui: Type.String(),
  productClass: Type.String(),
  serialNumber: Type.String(),
  softwareVersion: NullableString,
  hardwareVersion: NullableString,
  remoteAddress: NullableString,
  firstInformAt: Ms,
  lastInformAt: Ms,
  lastBootAt: NullableMs,
  lastBootstrapAt: NullableMs,
  tags: Type.Array(Type.String()),
});

/** A device as projected by a list: `id` always, the rest as asked. */
export const DeviceListItem = Type.Object({
  id: Type.String(),
  manufacturer: Type.Optional(Type.String()),
  oui: Type.Optional(Type.String()),
  productClass: Type.Optional(Type.String()),
  serialNumber: Type.Optional(Type.String()),
  softwareVersion: Type.Optional(NullableString),
  hardwareVersion: Type.Optional(NullableString),
  remoteAddress: Type.Optional(NullableString),
  firstInformAt: Type.Optional(Ms),
  lastInformAt: Type.Optional(Ms),
  lastBootAt: Type.Optional(NullableMs),
  lastBootstrapAt: Type.Optional(NullableMs),
  tags: Type.Optional(Type.Array(Type.String())),
  parameters: Type.Optional(Type.Array(ParameterView)),
});

export const DeviceEventView = Type.Object({
  code: Type.String(),
  commandKey: Type.String(),
  at: Ms,
});

export const TaskFaultView = Type.Object({
  source: Type.Enum(['cpe', 'transfer', 'timeout', 'interrupted', 'acs']),
  code: Type.Union([Type.Integer(), Type.Null()]),
  message: Type.String(),
  detail: Type.Unknown(),
  at: Ms,
  permanent: Type.Boolean(),
});

export const TaskView = Type.Object({
  id: Type.Integer(),
  deviceId: Type.String(),
  type: TaskTypeName,
  args: Type.Unknown({ description: 'The task arguments; every password reads "[redacted]"' }),
  state: TaskStateName,
  position: Type.Integer(),
  createdAt: Ms,
  updatedAt: Ms,
  createdBy: NullableString,
  notBefore: Ms,
  attempts: Type.Integer(),
  awaiting: Type.Union([Type.Object({ commandKey: Type.String(), deadline: Ms }), Type.Null()]),
  result: Type.Unknown({
    description: 'The CPE’s answer; secret parameter values read "[redacted]"',
  }),
  fault: Type.Union([TaskFaultView, Type.Null()]),
  finishedAt: NullableMs,
});

export const ConnectionRequestView = Type.Object({
  ok: Type.Boolean(),
  reason: Type.Optional(
    Type.String({
      description:
        'Why it failed: no-url, bad-url, throttled (one went out a moment ago: the wait still applies), refused, reset, malformed-response, unreachable, timeout, auth-failed (wrong or no credentials), bad-status',
    }),
  ),
  detail: Type.Optional(
    Type.String({ description: 'What happened at which step (never a credential)' }),
  ),
  path: Type.Optional(
    Type.String({
      description: 'The path that reached the device: http or udp (through its STUN binding)',
    }),
  ),
  tried: Type.Optional(
    Type.Array(
      Type.Object({
        path: Type.String(),
        ok: Type.Boolean(),
        reason: Type.Optional(Type.String()),
        detail: Type.Optional(Type.String()),
        ms: Type.Integer({
          description: 'How long the path took: for UDP, until the device’s Inform',
        }),
      }),
      {
        description: 'Each path tried, in order: HTTP, then UDP when HTTP did not reach the device',
      },
    ),
  ),
});

export const TaskOutcomeView = Type.Object({
  task: TaskView,
  connectionRequest: Type.Optional(ConnectionRequestView),
});

export const TraceSessionView = Type.Object({
  deviceId: Type.String(),
  sessionId: Type.String(),
  startedAt: Ms,
  lastAt: Ms,
  messages: Type.Integer(),
  bytes: Type.Integer(),
  truncated: Type.Boolean(),
});

export const TraceMessageView = Type.Object({
  seq: Type.Integer(),
  at: Ms,
  direction: Type.Enum(['cpe-to-acs', 'acs-to-cpe']),
  body: Type.String({ description: 'The SOAP message, secrets replaced by the ACS' }),
  bytes: Type.Integer(),
  truncated: Type.Boolean(),
  httpStatus: Type.Union([Type.Integer(), Type.Null()], {
    description:
      'The HTTP status of the response that carried an acs-to-cpe message (204: the session ended); null for a request',
  }),
});

export const ApiKeyView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: RoleName,
  createdAt: Ms,
  createdBy: NullableString,
  expiresAt: NullableMs,
  revokedAt: NullableMs,
  lastUsedAt: NullableMs,
});

export const AllowListView = Type.Object({
  ouis: Type.Array(Type.String()),
  productClasses: Type.Array(Type.String()),
  serialPattern: NullableString,
});

export const BootstrapCredentialView = Type.Object({
  username: Type.String(),
  allow: AllowListView,
  enabled: Type.Boolean(),
  createdAt: Ms,
  updatedAt: Ms,
});

export const DeviceCredentialsView = Type.Object({
  cpe: Type.Union([Type.Object({ username: Type.String(), updatedAt: Ms }), Type.Null()]),
  connectionRequest: Type.Union([
    Type.Object({ configured: Type.Literal(true), updatedAt: Ms }),
    Type.Null(),
  ]),
});
