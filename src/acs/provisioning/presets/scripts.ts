import { encodeDeviceId } from '../../../store/device-id.ts';
import type { InformEvent } from '../../../store/devices.ts';
import type { ParameterRecord } from '../../../store/parameters.ts';
import {
  runPresetScript,
  type ScriptDeclarations,
  type ScriptFailureReason,
  type ScriptLimits,
  type ScriptParameter,
} from '../script/index.ts';
import { instanceId } from './merge.ts';
import { type ProvisioningContext, type ProvisioningPlan, planProvisioning } from './plan.ts';
import { evaluatePrecondition } from './precondition.ts';
import { type Preset, validateDeclarations } from './preset.ts';
import { redactDeclarations } from './secrets.ts';

/** What one preset's script did this round: its declarations, or why it failed. Never holds a secret. */
export type ScriptReport = { preset: string; channel: string; logs: string[] } & (
  | { ok: true; declarations: ScriptDeclarations }
  | { ok: false; reason: ScriptFailureReason; message: string }
);

export type FailedScript = Extract<ScriptReport, { ok: false }>;

export interface ScriptEnvironment {
  /** The session's time (ms): every round of a session gives the script the same `now()`. */
  sessionTime: number;
  /** The Inform's events with their CommandKeys (the planner's context has the codes only). */
  events: readonly InformEvent[];
  limits?: Partial<ScriptLimits>;
  /**
   * Scripts that already failed earlier in this session, by preset name, with the source that failed: not run
   * again (their channel is blocked already, and a looping script would cost its time budget every round).
   */
  failed?: ReadonlyMap<string, { source: string; report: FailedScript }>;
}

export interface ScriptedPlan {
  plan: ProvisioningPlan;
  /** One per matching preset that has a script, in the order the presets were given. */
  scripts: ScriptReport[];
}

const INTEGER_TYPES = new Set(['int', 'unsignedInt', 'long', 'unsignedLong']);

/**
 * The cached tree as a script reads it: objects, unread and secret values left out; booleans and integers
 * (within the safe range) typed, so `device.value(p) + 1` does arithmetic. Everything else is the raw text.
 */
export function scriptParameters(
  parameters: ReadonlyMap<string, ParameterRecord>,
): Map<string, ScriptParameter> {
  const out = new Map<string, ScriptParameter>();
  for (const r of parameters.values()) {
    if (r.object || r.secret || r.value === null || r.type === null) continue;
    let value: string | number | boolean = r.value;
    if (r.type === 'boolean' && (r.value === 'true' || r.value === '1')) value = true;
    else if (r.type === 'boolean' && (r.value === 'false' || r.value === '0')) value = false;
    else if (INTEGER_TYPES.has(r.type) && /^[+-]?\d+$/.test(r.value.trim())) {
      const n = Number(r.value);
      if (Number.isSafeInteger(n)) value = n;
    }
    const p: ScriptParameter = { value, type: r.type };
    if (r.writable !== null) p.writable = r.writable;
    if (r.valueAt !== null) p.valueAt = r.valueAt;
    out.set(r.path, p);
  }
  return out;
}

/**
 * `over` declared after `base` in one preset: a later declaration of the same path or instance wins, also
 * across kinds (a tag the script adds is no longer removed; an instance it wants is no longer unwanted).
 */
export function overlayDeclarations(
  base: ScriptDeclarations,
  over: ScriptDeclarations,
): ScriptDeclarations {
  const wanted = new Set(over.instances.map((i) => instanceId(i.object, i.keys)));
  const unwanted = new Set(over.absentInstances.map((i) => instanceId(i.object, i.keys)));
  return {
    values: [...base.values, ...over.values],
    attributes: [...base.attributes, ...over.attributes],
    instances: [
      ...base.instances.filter((i) => !unwanted.has(instanceId(i.object, i.keys))),
      ...over.instances,
    ],
    absentInstances: [
      ...base.absentInstances.filter((i) => !wanted.has(instanceId(i.object, i.keys))),
      ...over.absentInstances,
    ],
    fresh: [...base.fresh, ...over.fresh],
    addTags: [...base.addTags.filter((t) => !over.removeTags.includes(t)), ...over.addTags],
    removeTags: [...base.removeTags.filter((t) => !over.addTags.includes(t)), ...over.removeTags],
  };
}

/**
 * Runs the scripts of the presets that match, each in its own sandbox run with the device's cached parameters,
 * the session time and a seed of its own (device id + preset name: the same device and preset always draw the
 * same `random()` sequence). A successful script's declarations are merged into its preset's; a failed one
 * leaves the preset with its own declarations only, and is reported.
 */
export async function runPresetScripts(
  presets: readonly Preset[],
  ctx: ProvisioningContext,
  env: ScriptEnvironment,
): Promise<{ presets: Preset[]; scripts: ScriptReport[] }> {
  const resolved: Preset[] = [];
  const scripts: ScriptReport[] = [];
  let parameters: Map<string, ScriptParameter> | undefined;
  const deviceId = encodeDeviceId(ctx.device);
  for (const preset of presets) {
    if (preset.script === undefined || !evaluatePrecondition(preset.precondition, ctx)) {
      resolved.push(preset);
      continue;
    }
    const owner = { preset: preset.name, channel: preset.channel };
    const earlier = env.failed?.get(preset.name);
    if (earlier !== undefined && earlier.source === preset.script) {
      scripts.push(earlier.report);
      resolved.push(preset);
      continue;
    }
    parameters ??= scriptParameters(ctx.parameters);
    const outcome = await runPresetScript(
      preset.script,
      {
        parameters,
        deviceId: {
          manufacturer: ctx.device.manufacturer,
          oui: ctx.device.oui,
          productClass: ctx.device.productClass,
          serialNumber: ctx.device.serialNumber,
        },
        tags: ctx.tags,
        events: env.events,
        sessionTime: env.sessionTime,
        seed: `${deviceId}/${preset.name}`,
      },
      env.limits,
    );
    if (!outcome.ok) {
      const { reason, message, logs } = outcome;
      scripts.push({ ...owner, ok: false, reason, message, logs });
      resolved.push(preset);
      continue;
    }
    // The sandbox checked the output's shape; the preset rules (no aliases, tag syntax, …) apply on top.
    const checked = validateDeclarations(outcome.declarations, 'script');
    if (!checked.ok) {
      const message = `${checked.error.field} ${checked.error.reason}`;
      scripts.push({ ...owner, ok: false, reason: 'invalid-output', message, logs: outcome.logs });
      resolved.push(preset);
      continue;
    }
    // The report is shown (dry run): a secret the script declared is redacted there, kept for the planner.
    scripts.push({
      ...owner,
      ok: true,
      declarations: redactDeclarations(checked.value),
      logs: outcome.logs,
    });
    resolved.push({
      ...preset,
      declarations: overlayDeclarations(preset.declarations, checked.value),
    });
  }
  return { presets: resolved, scripts };
}

/**
 * One planning round with scripts: run them, then plan presets and script declarations together (one planner,
 * src/acs/provisioning/presets/plan.ts). The channel of a failed script is blocked for this plan already, so
 * the other channels' tasks go ahead in the same session.
 */
export async function planWithScripts(
  presets: readonly Preset[],
  ctx: ProvisioningContext,
  env: ScriptEnvironment,
): Promise<ScriptedPlan> {
  const { presets: resolved, scripts } = await runPresetScripts(presets, ctx, env);
  const blocked = new Set(ctx.blockedChannels ?? []);
  for (const s of scripts) if (!s.ok) blocked.add(s.channel);
  return { plan: planProvisioning(resolved, { ...ctx, blockedChannels: blocked }), scripts };
}
