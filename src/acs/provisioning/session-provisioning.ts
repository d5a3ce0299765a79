import type { JsonValue } from '../../store/json.ts';
import type { TaskRecord } from '../../store/tasks.ts';
import type { SessionDeps } from '../session/deps.ts';
import {
  type PlannedTask,
  type Preset,
  planProvisioning,
  validatePreset,
} from './presets/index.ts';
import { type ZeroTouchPlan, zeroTouchPlan } from './zero-touch.ts';

/** Provisioning rounds in one session: plan, run, plan again (tags and new instances change the plan). */
export const MAX_PROVISIONING_ROUNDS = 5;
/** How long a channel whose task faulted is left alone before its presets are tried again. */
export const BLOCKED_CHANNEL_MS = 15 * 60_000;

/** What the ACS keeps per device between sessions (the store's provisioning state, reset by 0 BOOTSTRAP). */
interface ProvisioningState {
  /** Instance path (`Obj.N.`) → the declaration that asked for it, until its keys are set. */
  pendingInstances: Record<string, string>;
  /** Channel → blocked until (ms since the epoch). */
  blockedChannels: Record<string, number>;
}

function readState(raw: JsonValue | null): ProvisioningState {
  const state: ProvisioningState = { pendingInstances: {}, blockedChannels: {} };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return state;
  const pending = raw.pendingInstances;
  if (pending && typeof pending === 'object' && !Array.isArray(pending)) {
    for (const [path, id] of Object.entries(pending))
      if (typeof id === 'string') state.pendingInstances[path] = id;
  }
  const blocked = raw.blockedChannels;
  if (blocked && typeof blocked === 'object' && !Array.isArray(blocked)) {
    for (const [channel, until] of Object.entries(blocked)) {
      if (typeof until === 'number') state.blockedChannels[channel] = until;
    }
  }
  return state;
}

/**
 * The presets' side of one session. When the device's queue is empty the engine asks for a round: the stored
 * presets are planned against what the store knows of the device now (src/acs/provisioning/presets: read only
 * what is unknown or stale, set only what differs), tags applied, and the plan's tasks queued like any other —
 * so they share the queue's order, faults and restart safety. A faulted preset task blocks only its channel.
 */
export class SessionProvisioning {
  private rounds = 0;
  /** The preset tasks this session queued: task id → its plan entry. */
  private readonly planned = new Map<number, PlannedTask>();

  /** The zero-touch task queued this session, with the credentials to keep once the device has them. */
  private zeroTouch: { taskId: number; plan: ZeroTouchPlan } | null = null;

  constructor(
    private readonly deps: SessionDeps,
    private readonly deviceId: string,
    /** `Device.` or `InternetGatewayDevice.`. */
    private readonly root: string,
    /** The Inform's event codes: presets may depend on them. */
    private readonly events: readonly string[],
  ) {}

  /** Plan and queue; how many tasks were queued (0: the device is as the presets want it, or no round is left). */
  async planRound(): Promise<number> {
    if (this.rounds >= MAX_PROVISIONING_ROUNDS) return 0;
    this.rounds++;
    const { store, clock, log } = this.deps;
    if (this.rounds === 1 && this.deps.zeroTouch !== null && this.events.includes('0 BOOTSTRAP')) {
      // Zero-touch first: a device that was just (re)born gets its informs and its credentials before anything.
      const plan = zeroTouchPlan(this.root, this.deps.zeroTouch);
      const task = await store.tasks.enqueue(this.deviceId, {
        args: plan.args,
        createdBy: 'zero-touch',
      });
      this.zeroTouch = { taskId: task.id, plan };
      log('zero-touch', { deviceId: this.deviceId, taskId: task.id });
      return 1;
    }
    const presets = await this.loadPresets();
    if (presets.length === 0) return 0;
    const device = await store.devices.get(this.deviceId);
    if (device === null) return 0;
    const rows = await store.parameters.list(this.deviceId);
    const state = readState(await store.devices.getProvisioningState(this.deviceId));
    const now = clock();
    const blocked = Object.entries(state.blockedChannels)
      .filter(([, until]) => until > now)
      .map(([channel]) => channel);
    const plan = planProvisioning(presets, {
      device,
      tags: device.tags,
      parameters: new Map(rows.map((r) => [r.path, r])),
      events: this.events,
      now,
      pendingInstances: new Map(Object.entries(state.pendingInstances)),
      blockedChannels: new Set(blocked),
    });
    if (plan.addTags.length > 0) await store.devices.addTags(this.deviceId, plan.addTags);
    if (plan.removeTags.length > 0) await store.devices.removeTags(this.deviceId, plan.removeTags);
    if (plan.settledInstances.length > 0) {
      for (const path of plan.settledInstances) delete state.pendingInstances[path];
      await this.saveState(state);
    }
    for (const task of plan.tasks) {
      const record = await store.tasks.enqueue(this.deviceId, {
        args: task.args,
        createdBy: `preset:${task.channel}`,
      });
      this.planned.set(record.id, task);
    }
    log('provisioning-round', {
      deviceId: this.deviceId,
      round: this.rounds,
      matched: plan.matched,
      tasks: plan.tasks.map((t) => t.args.type),
      blocked,
    });
    // Tags may change which presets match: a round that only changed tags earns another look.
    const tagsChanged = plan.addTags.length + plan.removeTags.length > 0;
    return plan.tasks.length > 0 ? plan.tasks.length : tagsChanged ? this.planRound() : 0;
  }

  /**
   * A provisioning task finished: zero-touch's connection-request credentials are kept now that the device has
   * them; an AddObject's new instance is remembered until its keys are set.
   */
  async onDone(task: TaskRecord, result: JsonValue): Promise<void> {
    if (this.zeroTouch?.taskId === task.id) {
      const credential = this.zeroTouch.plan.connectionRequest;
      if (credential !== null)
        await this.deps.store.credentials.setConnectionRequest(this.deviceId, credential);
      return;
    }
    const planned = this.planned.get(task.id);
    if (planned?.instanceId === undefined || task.args.type !== 'addObject') return;
    const instanceNumber =
      result !== null && typeof result === 'object' && !Array.isArray(result)
        ? result.instanceNumber
        : undefined;
    if (typeof instanceNumber !== 'number') return;
    const state = readState(await this.deps.store.devices.getProvisioningState(this.deviceId));
    state.pendingInstances[`${task.args.objectName}${instanceNumber}.`] = planned.instanceId;
    await this.saveState(state);
  }

  /** A preset task faulted: its channel waits, the others go on. */
  async onFault(task: TaskRecord): Promise<void> {
    const planned = this.planned.get(task.id);
    if (planned === undefined) return;
    const state = readState(await this.deps.store.devices.getProvisioningState(this.deviceId));
    state.blockedChannels[planned.channel] = this.deps.clock() + BLOCKED_CHANNEL_MS;
    await this.saveState(state);
    this.deps.log('provisioning-channel-blocked', {
      deviceId: this.deviceId,
      channel: planned.channel,
    });
  }

  private async loadPresets(): Promise<Preset[]> {
    const presets: Preset[] = [];
    for (const record of await this.deps.store.presets.list()) {
      const definition = record.definition;
      const input =
        definition !== null && typeof definition === 'object' && !Array.isArray(definition)
          ? { ...definition, name: record.name }
          : definition;
      const checked = validatePreset(input);
      if (checked.ok) presets.push(checked.value);
      else this.deps.log('preset-invalid', { preset: record.name, field: checked.error.field });
    }
    return presets;
  }

  private async saveState(state: ProvisioningState): Promise<void> {
    await this.deps.store.devices.setProvisioningState(this.deviceId, {
      pendingInstances: state.pendingInstances,
      blockedChannels: state.blockedChannels,
    });
  }
}
