import { Type } from 'typebox';
import { CAMPAIGN_LIMITS } from '../../acs/campaigns/definition.ts';
import { CAMPAIGN_DEVICE_STATES, CAMPAIGN_STATES } from '../../store/campaigns.ts';

/** Firmware campaigns: the request body and what the API returns (an allow-list, as records.ts). */
const Ms = Type.Integer({ description: 'ms since the epoch' });
const NullableMs = Type.Union([Ms, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const CampaignStateName = Type.Enum([...CAMPAIGN_STATES]);
export const CampaignDeviceStateName = Type.Enum([...CAMPAIGN_DEVICE_STATES]);

export const CampaignParams = Type.Object(
  { campaignId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) },
  { additionalProperties: false },
);

const TimeOfDay = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM' });

export const CampaignBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128 }),
    fileId: Type.String({
      pattern: '^[0-9a-f]{32}$',
      description: 'A stored file of FileType "1 Firmware Upgrade Image"',
    }),
    softwareVersion: Type.String({
      minLength: 1,
      maxLength: CAMPAIGN_LIMITS.maxVersionLength,
      description: 'Success: the device comes back reporting this SoftwareVersion',
    }),
    devices: Type.Object(
      {
        filter: Type.Array(Type.Object({}, { additionalProperties: true }), {
          maxItems: CAMPAIGN_LIMITS.maxConditions,
          description:
            'The device list’s filter conditions (all must hold), resolved when the campaign starts; devices already on the version, or outside the file’s OUI/ProductClass/from-version, are skipped',
        }),
      },
      { additionalProperties: false },
    ),
    stages: Type.Optional(
      Type.Array(
        Type.Union([
          Type.Object({ devices: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
          Type.Object(
            { percent: Type.Number({ exclusiveMinimum: 0, maximum: 100 }) },
            { additionalProperties: false },
          ),
        ]),
        {
          minItems: 1,
          maxItems: CAMPAIGN_LIMITS.maxStages,
          description:
            '{"devices": n} adds n devices (a canary), {"percent": p} brings coverage up to p % of the eligible devices; the last stage takes the rest; each stage finishes before the next begins. Default [{"percent": 100}]',
        },
      ),
    ),
    maintenanceWindows: Type.Optional(
      Type.Array(
        Type.Object({ start: TimeOfDay, end: TimeOfDay }, { additionalProperties: false }),
        {
          maxItems: CAMPAIGN_LIMITS.maxWindows,
          description:
            'Times of day devices may be started (end < start spans midnight); none: any time',
        },
      ),
    ),
    utcOffsetMinutes: Type.Optional(Type.Integer({ minimum: -720, maximum: 840 })),
    concurrency: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: CAMPAIGN_LIMITS.maxConcurrency,
        description: 'Devices in progress at once; default 10',
      }),
    ),
    timeoutSeconds: Type.Optional(
      Type.Integer({
        minimum: CAMPAIGN_LIMITS.minTimeoutSeconds,
        maximum: CAMPAIGN_LIMITS.maxTimeoutSeconds,
        description: 'From a device’s task to it running the new version; default 3600',
      }),
    ),
    stopRules: Type.Optional(
      Type.Object(
        {
          maxFailures: Type.Optional(Type.Integer({ minimum: 0 })),
          maxFailureRatio: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
        },
        {
          additionalProperties: false,
          description:
            'Halt when failures exceed a count, or a ratio of finished devices; default {"maxFailureRatio": 0.1}',
        },
      ),
    ),
    transfer: Type.Optional(
      Type.Enum(['auto', 'download', 'scheduleDownload'], {
        description:
          'auto (default): ScheduleDownload in the maintenance window, Download for a device answering 9000 (or when there is no window)',
      }),
    ),
    connectionRequest: Type.Optional(
      Type.Boolean({ description: 'Ask each device started for a session now; default true' }),
    ),
  },
  { additionalProperties: false },
);

export const CampaignView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  state: CampaignStateName,
  stateReason: Type.Union([Type.String(), Type.Null()], {
    description: 'Why it halted or was aborted',
  }),
  definition: Type.Unknown({ description: 'The definition as stored, every default filled in' }),
  createdAt: Ms,
  createdBy: Type.String(),
  approvedAt: NullableMs,
  approvedBy: NullableString,
  startedAt: NullableMs,
  finishedAt: NullableMs,
  updatedAt: Ms,
});

const Counts = Type.Object(
  Object.fromEntries(CAMPAIGN_DEVICE_STATES.map((s) => [s, Type.Integer()])) as Record<
    (typeof CAMPAIGN_DEVICE_STATES)[number],
    ReturnType<typeof Type.Integer>
  >,
);

export const CampaignProgressView = Type.Object({
  total: Type.Integer(),
  counts: Counts,
  stages: Type.Array(Type.Object({ stage: Type.Integer(), total: Type.Integer(), counts: Counts })),
  currentStage: Type.Union([Type.Integer(), Type.Null()], {
    description: 'The stage whose devices are being updated (null when none is left)',
  }),
});

export const CampaignDeviceView = Type.Object({
  deviceId: Type.String(),
  position: Type.Integer(),
  stage: Type.Union([Type.Integer(), Type.Null()]),
  state: CampaignDeviceStateName,
  taskId: Type.Union([Type.Integer(), Type.Null()]),
  cancelTaskId: Type.Union([Type.Integer(), Type.Null()], {
    description:
      'The CancelTransfer sent when the campaign stopped while the device held its ScheduleDownload',
  }),
  transfer: NullableString,
  startedAt: NullableMs,
  finishedAt: NullableMs,
  reason: Type.Union([Type.String(), Type.Null()], {
    description:
      'failed: cpe-fault, transfer-fault, transfer-timeout, timeout, wrong-version, …; skipped: already-on-version, not-targeted; cancelled: campaign aborted / halted, or its scheduled download cancelled',
  }),
  detail: Type.Unknown({ description: 'Fault code and message, or the version reported' }),
});
