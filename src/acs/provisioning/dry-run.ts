import type { Store } from '../../store/store.ts';
import { lastInformEvents, loadPresets, planningParameters, softwareTransfers } from './inputs.ts';
import {
  describePlan,
  type Preset,
  type ProvisioningPlan,
  planWithScripts,
  type ScriptReport,
} from './presets/index.ts';
import type { ScriptLimits } from './script/index.ts';
import { blockedChannelsAt, readProvisioningState } from './state.ts';

export interface DryRun {
  deviceId: string;
  /** The time the plan was computed for (also the scripts' session time). */
  now: number;
  /** The event codes of the device's last Inform, which event preconditions see. */
  events: string[];
  matched: string[];
  invalidPresets: { name: string; field: string; reason: string }[];
  plan: ProvisioningPlan;
  /** What each matching preset's script declared, or why it failed. */
  scripts: ScriptReport[];
  summary: string;
}

/**
 * What a session would plan for the device now, computed the way a session does (the same presets, scripts,
 * provisioning state and planner) without touching the device, its queue or its state. Null: no such device.
 * Scripts really run (in the sandbox, with their limits): a failure is reported here, not acted on. With a
 * `candidate`, the plan is the one the device would get were that preset saved.
 */
export async function provisioningDryRun(
  store: Store,
  deviceId: string,
  now: number,
  limits?: Partial<ScriptLimits>,
  candidate?: Preset,
): Promise<DryRun | null> {
  const device = await store.devices.get(deviceId);
  if (device === null) return null;
  const [events, raw, loaded] = await Promise.all([
    lastInformEvents(store, device),
    store.devices.getProvisioningState(deviceId),
    loadPresets(store),
  ]);
  // A preset being edited: planned in place of the stored one of its name, beside all the others.
  if (candidate !== undefined) {
    loaded.presets = [...loaded.presets.filter((p) => p.name !== candidate.name), candidate];
    loaded.invalid = loaded.invalid.filter((p) => p.name !== candidate.name);
  }
  const state = readProvisioningState(raw);
  const codes = events.map((e) => e.code);
  const { plan, scripts } = await planWithScripts(
    loaded.presets,
    {
      device,
      tags: device.tags,
      parameters: await planningParameters(store, deviceId, loaded.presets),
      events: codes,
      now,
      pendingInstances: new Map(Object.entries(state.pendingInstances)),
      blockedChannels: blockedChannelsAt(state, now),
      softwareTransfers: await softwareTransfers(store, deviceId, loaded.presets),
    },
    { sessionTime: now, events, ...(limits === undefined ? {} : { limits }) },
  );
  return {
    deviceId,
    now,
    events: codes,
    matched: plan.matched,
    invalidPresets: loaded.invalid,
    plan,
    scripts,
    summary: describePlan(plan, scripts),
  };
}
