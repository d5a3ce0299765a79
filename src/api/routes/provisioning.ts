import { Type } from 'typebox';
import { provisioningDryRun } from '../../acs/provisioning/dry-run.ts';
import {
  type Preset,
  planToJson,
  sealPresetSecrets,
} from '../../acs/provisioning/presets/index.ts';
import { type App, deviceIdParam, type RouteDeps } from '../app.ts';
import { ApiError } from '../errors.ts';
import { presetModelProblems } from '../preset-model-check.ts';
import { bodyErrors, DeviceParams, errors } from '../schemas/common.ts';
import { checkPresetDefinition, PresetNameParam } from './presets.ts';

const TAGS = ['presets'];

const InvalidPreset = Type.Object({
  name: Type.String(),
  field: Type.String(),
  reason: Type.String(),
});

const ScriptReport = Type.Object({
  preset: Type.String(),
  channel: Type.String(),
  ok: Type.Boolean({ description: 'false: the script failed and its channel is blocked' }),
  declarations: Type.Optional(
    Type.Unknown({
      description: 'What the script declared (when ok), merged at its preset’s weight',
    }),
  ),
  reason: Type.Optional(
    Type.String({
      description: 'Why it failed: timeout, out-of-memory, threw, syntax or invalid-output',
    }),
  ),
  message: Type.Optional(Type.String({ description: 'The failure, bounded' })),
  logs: Type.Array(Type.String(), { description: 'What the script logged' }),
});

const DryRunView = Type.Object({
  deviceId: Type.String(),
  now: Type.Integer({ description: 'The time the plan was computed for' }),
  events: Type.Array(Type.String(), {
    description: 'The event codes of the last Inform, which event preconditions see',
  }),
  matched: Type.Array(Type.String(), { description: 'Matching presets, in apply order' }),
  invalidPresets: Type.Array(InvalidPreset, {
    description: 'Stored presets that failed validation and were left out',
  }),
  scripts: Type.Array(ScriptReport, {
    description:
      'One per matching preset with a script: what it declared, or why it failed (run now, in the sandbox)',
  }),
  plan: Type.Unknown({ description: 'The plan; secret values read "[redacted]"' }),
  summary: Type.String({ description: 'The plan for humans' }),
  modelProblems: Type.Array(
    Type.Object({ preset: Type.String(), field: Type.String(), message: Type.String() }),
    {
      description:
        'Declarations of the matching presets the data model refuses for this device (the definitions and what the device reported): the device would fault them',
    },
  ),
});

/** The provisioning dry run: what the planner would do for a device now, computed without touching it. */
export function provisioningRoutes(app: App, { store, clock, definitions }: RouteDeps): void {
  /** What the data model refuses of these presets on this device. */
  async function modelProblems(deviceId: string, presets: readonly Preset[]) {
    const defs = await definitions();
    const lookup = (path: string) => store.parameters.get(deviceId, path);
    const out: { preset: string; field: string; message: string }[] = [];
    for (const preset of presets) {
      const { problems } = await presetModelProblems(preset, defs, lookup);
      for (const p of problems) out.push({ preset: preset.name, ...p });
    }
    return out;
  }

  /** The stored presets named, as validated (the invalid ones are reported apart already). */
  async function storedPresets(names: readonly string[]): Promise<Preset[]> {
    const out: Preset[] = [];
    for (const name of names) {
      const record = await store.presets.get(name);
      const checked = record === null ? null : checkPresetDefinition(name, record.definition);
      if (checked?.ok) out.push(checked.value);
    }
    return out;
  }

  app.get(
    '/api/v1/devices/:deviceId/provisioning',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary:
          'Dry run: the presets that match the device, what their scripts declare, and the plan (diff, RPCs, ParameterKey) they would give now; changes nothing',
        params: DeviceParams,
        response: {
          200: DryRunView,
          ...errors(404),
        },
      },
    },
    async (request) => {
      const id = deviceIdParam(request.params.deviceId);
      const run = await provisioningDryRun(store, id, clock());
      if (run === null) throw new ApiError('not-found', 'no such device', 'deviceId');
      return {
        ...run,
        plan: planToJson(run.plan),
        modelProblems: await modelProblems(id, await storedPresets(run.matched)),
      };
    },
  );

  app.post(
    '/api/v1/presets/dry-run',
    {
      config: { role: 'operator' },
      schema: {
        tags: TAGS,
        summary:
          'Dry run of a preset not saved yet (the editor’s): the plan the device would get were it saved under `name` (replacing the stored one of that name); changes nothing',
        body: Type.Object(
          {
            name: Type.Optional(PresetNameParam),
            preset: Type.Object(
              {},
              { additionalProperties: true, description: 'As PUT /presets/:name takes it' },
            ),
            deviceId: Type.String({ minLength: 1, maxLength: 16_384 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: DryRunView, ...bodyErrors(404) },
      },
    },
    async (request) => {
      const { name = 'draft', preset, deviceId } = request.body;
      const checked = checkPresetDefinition(name, sealPresetSecrets(preset));
      if (!checked.ok) {
        const { field, reason } = checked.error;
        throw new ApiError('invalid', `preset.${field} ${reason}`, `preset.${field}`);
      }
      const run = await provisioningDryRun(
        store,
        deviceIdParam(deviceId),
        clock(),
        undefined,
        checked.value,
      );
      if (run === null) throw new ApiError('not-found', 'no such device', 'deviceId');
      const matched = run.matched.filter((n) => n !== name);
      const presets = [
        ...(await storedPresets(matched)),
        ...(run.matched.includes(name) ? [checked.value] : []),
      ];
      return {
        ...run,
        plan: planToJson(run.plan),
        modelProblems: await modelProblems(deviceIdParam(deviceId), presets),
      };
    },
  );
}
