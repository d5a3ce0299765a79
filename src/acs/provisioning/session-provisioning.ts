import type { InformEvent } from '../../store/devices.ts';
import type { JsonValue } from '../../store/json.ts';
import type { TaskRecord } from '../../store/tasks.ts';
import type { SessionDeps } from '../session/deps.ts';
import { lastInformEvents, loadPresets, planningParameters, softwareTransfers } from './inputs.ts';
import {
  type FailedScript,
  type PlannedTask,
  type Preset,
  planWithScripts,
} from './presets/index.ts';
import {
  blockedChannelsAt,
  type ProvisioningState,
  provisioningStateToJson,
  readProvisioningState,
} from './state.ts';
import { ZeroTouchBootstrap } from './zero-touch-session.ts';

/** Provisioning rounds in one session: plan, run, plan again (tags and new instances change the plan). */
export const MAX_PROVISIONING_ROUNDS = 5;
/** How long a channel whose task or script faulted is left alone before its presets are tried again. */
export const BLOCKED_CHANNEL_MS = 15 * 60_000;

/**
 * The presets' side of one session. When the device's queue is empty the engine asks for a round: the stored
 * presets — with what their scripts declare now — are planned against what the store knows of the device (src/
 * acs/provisioning/presets: read only what is unknown or stale, set only what differs), tags applied, and the
 * plan's tasks queued like any other — so they share the queue's order, faults and restart safety. A faulted
 * preset task, or a preset script that fails, blocks only its channel.
 */
export class SessionProvisioning {
  private rounds = 0;
  /** The preset tasks this session queued: task id → its plan entry. */
  private readonly planned = new Map<number, PlannedTask>();
  /** Zero-touch, when this is a 0 BOOTSTRAP session and the ACS runs it: before any preset. */
  private readonly bootstrap: ZeroTouchBootstrap | null;
  /** Scripts that failed this session, by preset: not run again in a later round of it. */
  private readonly failedScripts = new Map<string, { source: string; report: FailedScript }>();
  /** The scripts' `now()`: one time for the whole session, so every round sees the same. */
  private readonly sessionTime: number;
  private informEvents: InformEvent[] | undefined;
  private loaded: Preset[] | undefined;

  constructor(
    private readonly deps: SessionDeps,
    private readonly deviceId: string,
    /** `Device.` or `InternetGatewayDevice.`. */
    root: string,
    /** The Inform's event codes: presets may depend on them. */
    private readonly events: readonly string[],
  ) {
    this.sessionTime = deps.clock();
    this.bootstrap =
      deps.zeroTouch !== null && events.includes('0 BOOTSTRAP')
        ? new ZeroTouchBootstrap(deps, deviceId, root, deps.zeroTouch)
        : null;
  }

  /** Plan and queue; how many tasks were queued (0: the device is as the presets want it, or no round is left). */
  async planRound(): Promise<number> {
    // Zero-touch first: a device that was just (re)born gets its informs and its credentials before anything.
    if (this.bootstrap !== null && !this.bootstrap.finished) {
      const queued = await this.bootstrap.next();
      if (queued > 0) return queued;
    }
    if (this.rounds >= MAX_PROVISIONING_ROUNDS) return 0;
    this.rounds++;
    const { store, clock, log } = this.deps;
    const presets = await this.presets();
    if (presets.length === 0) return 0;
    const device = await store.devices.get(this.deviceId);
    if (device === null) return 0;
    this.informEvents ??= await lastInformEvents(store, device);
    const state = readProvisioningState(await store.devices.getProvisioningState(this.deviceId));
    const now = clock();
    const blocked = blockedChannelsAt(state, now);
    const { plan, scripts } = await planWithScripts(
      presets,
      {
        device,
        tags: device.tags,
        parameters: await planningParameters(store, this.deviceId, presets),
        events: this.events,
        now,
        pendingInstances: new Map(Object.entries(state.pendingInstances)),
        blockedChannels: blocked,
        softwareTransfers: await softwareTransfers(store, this.deviceId, presets),
      },
      { sessionTime: this.sessionTime, events: this.informEvents, failed: this.failedScripts },
    );
    let stateChanged = false;
    for (const report of scripts) {
      if (report.ok || this.failedScripts.get(report.preset)?.report === report) continue;
      const source = presets.find((p) => p.name === report.preset)?.script ?? '';
      this.failedScripts.set(report.preset, { source, report });
      stateChanged = this.block(state, report.channel, now) || stateChanged;
      log('provisioning-script-failed', {
        deviceId: this.deviceId,
        preset: report.preset,
        channel: report.channel,
        reason: report.reason,
        message: report.message,
      });
    }
    if (plan.addTags.length > 0) await store.devices.addTags(this.deviceId, plan.addTags);
    if (plan.removeTags.length > 0) await store.devices.removeTags(this.deviceId, plan.removeTags);
    for (const path of plan.settledInstances) {
      delete state.pendingInstances[path];
      stateChanged = true;
    }
    if (stateChanged) await this.saveState(state);
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
      scripts: scripts.map((s) => `${s.preset}:${s.ok ? 'ok' : s.reason}`),
      tasks: plan.tasks.map((t) => t.args.type),
      blocked: [...blocked],
    });
    // Tags may change which presets match: a round that only changed tags earns another look.
    const tagsChanged = plan.addTags.length + plan.removeTags.length > 0;
    return plan.tasks.length > 0 ? plan.tasks.length : tagsChanged ? this.planRound() : 0;
  }

  /** The stored presets, validated once a session: every round of it plans with the same. */
  private async presets(): Promise<Preset[]> {
    if (this.loaded === undefined) {
      const loaded = await loadPresets(this.deps.store);
      for (const bad of loaded.invalid) {
        this.deps.log('preset-invalid', { preset: bad.name, field: bad.field });
      }
      this.loaded = loaded.presets;
    }
    return this.loaded;
  }

  /**
   * A provisioning task finished: zero-touch's credentials are kept now that the device has them; an
   * AddObject's new instance is remembered until its keys are set.
   */
  async onDone(task: TaskRecord, result: JsonValue): Promise<void> {
    if (this.bootstrap?.owns(task)) {
      await this.bootstrap.onDone(task);
      return;
    }
    const planned = this.planned.get(task.id);
    if (planned?.instanceId === undefined || task.args.type !== 'addObject') return;
    const instanceNumber =
      result !== null && typeof result === 'object' && !Array.isArray(result)
        ? result.instanceNumber
        : undefined;
    if (typeof instanceNumber !== 'number') return;
    const state = readProvisioningState(
      await this.deps.store.devices.getProvisioningState(this.deviceId),
    );
    state.pendingInstances[`${task.args.objectName}${instanceNumber}.`] = planned.instanceId;
    await this.saveState(state);
  }

  /** A preset task faulted: its channel waits, the others go on. */
  async onFault(task: TaskRecord): Promise<void> {
    if (this.bootstrap?.owns(task)) {
      await this.bootstrap.onFault(task);
      return;
    }
    const planned = this.planned.get(task.id);
    if (planned === undefined) return;
    const state = readProvisioningState(
      await this.deps.store.devices.getProvisioningState(this.deviceId),
    );
    this.block(state, planned.channel, this.deps.clock());
    await this.saveState(state);
  }

  /** Block a channel from now on (back-off); false when it was blocked for at least as long already. */
  private block(state: ProvisioningState, channel: string, now: number): boolean {
    const until = now + BLOCKED_CHANNEL_MS;
    if ((state.blockedChannels[channel] ?? 0) >= until) return false;
    state.blockedChannels[channel] = until;
    this.deps.log('provisioning-channel-blocked', { deviceId: this.deviceId, channel });
    return true;
  }

  private async saveState(state: ProvisioningState): Promise<void> {
    await this.deps.store.devices.setProvisioningState(
      this.deviceId,
      provisioningStateToJson(state),
    );
  }
}
