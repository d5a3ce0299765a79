import { Type } from 'typebox';
import {
  describePlan,
  type Preset,
  type ProvisioningContext,
  planProvisioning,
  planToJson,
} from '../../acs/provisioning/presets/index.ts';
import type { JsonValue } from '../../store/json.ts';
import { type App, deviceIdParam, type RouteDeps } from '../app.ts';
import { ApiError } from '../errors.ts';
import { DeviceParams, errors } from '../schemas/common.ts';
import { checkPresetDefinition } from './presets.ts';

const TAGS = ['presets'];

/** What the provisioning engine keeps per device (`store.devices.getProvisioningState`), as far as read here. */
export interface ProvisioningState {
  pendingInstances: ReadonlyMap<string, string>;
  /** Channel → blocked until (ms since the epoch). */
  blockedUntil: ReadonlyMap<string, number>;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * The stored state, read defensively: `{ pendingInstances?: {path: instanceId}, blockedChannels?: {channel:
 * untilMs} }`. Entries of the wrong type are ignored (a dry run must not fail on what it only reports).
 */
export function readProvisioningState(state: JsonValue | null): ProvisioningState {
  const pendingInstances = new Map<string, string>();
  const blockedUntil = new Map<string, number>();
  if (isRecord(state)) {
    if (isRecord(state.pendingInstances)) {
      for (const [path, id] of Object.entries(state.pendingInstances)) {
        if (typeof id === 'string') pendingInstances.set(path, id);
      }
    }
    if (isRecord(state.blockedChannels)) {
      for (const [channel, until] of Object.entries(state.blockedChannels)) {
        if (typeof until === 'number' && Number.isFinite(until)) blockedUntil.set(channel, until);
      }
    }
  }
  return { pendingInstances, blockedUntil };
}

const InvalidPreset = Type.Object({
  name: Type.String(),
  field: Type.String(),
  reason: Type.String(),
});

/** The provisioning dry run: what the planner would do for a device now, computed without touching it. */
export function provisioningRoutes(app: App, { store, clock }: RouteDeps): void {
  app.get(
    '/api/v1/devices/:deviceId/provisioning',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary:
          'Dry run: the presets that match the device and the plan (diff, RPCs, ParameterKey) they would give now; changes nothing',
        params: DeviceParams,
        response: {
          200: Type.Object({
            deviceId: Type.String(),
            now: Type.Integer({ description: 'The time the plan was computed for' }),
            events: Type.Array(Type.String(), {
              description: 'The event codes of the last Inform, which event preconditions see',
            }),
            matched: Type.Array(Type.String(), { description: 'Matching presets, in apply order' }),
            invalidPresets: Type.Array(InvalidPreset, {
              description: 'Stored presets that failed validation and were left out',
            }),
            plan: Type.Unknown({ description: 'The plan; secret values read "[redacted]"' }),
            summary: Type.String({ description: 'The plan for humans' }),
          }),
          ...errors(404),
        },
      },
    },
    async (request) => {
      const id = deviceIdParam(request.params.deviceId);
      const device = await store.devices.get(id);
      if (device === null) throw new ApiError('not-found', 'no such device', 'deviceId');
      const [parameters, history, state, stored] = await Promise.all([
        store.parameters.list(id),
        store.devices.events(id),
        store.devices.getProvisioningState(id),
        store.presets.list(),
      ]);
      const presets: Preset[] = [];
      const invalidPresets: { name: string; field: string; reason: string }[] = [];
      for (const record of stored) {
        const checked = checkPresetDefinition(record.name, record.definition);
        if (checked.ok) presets.push(checked.value);
        else invalidPresets.push({ name: record.name, ...checked.error });
      }
      const now = clock();
      const { pendingInstances, blockedUntil } = readProvisioningState(state);
      const events = history.filter((e) => e.at === device.lastInformAt).map((e) => e.code);
      const context: ProvisioningContext = {
        device,
        tags: device.tags,
        parameters: new Map(parameters.map((p) => [p.path, p])),
        events,
        now,
        pendingInstances,
        blockedChannels: new Set(
          [...blockedUntil].filter(([, until]) => until > now).map(([channel]) => channel),
        ),
      };
      const plan = planProvisioning(presets, context);
      return {
        deviceId: id,
        now,
        events,
        matched: plan.matched,
        invalidPresets,
        plan: planToJson(plan),
        summary: describePlan(plan),
      };
    },
  );
}
