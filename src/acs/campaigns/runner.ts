import type { CampaignDeviceRecord, CampaignRecord } from '../../store/campaigns.ts';
import { isStoreError } from '../../store/errors.ts';
import type { FileRecord } from '../../store/files.ts';
import type { JsonValue } from '../../store/json.ts';
import { MAX_PAGE, type Store } from '../../store/store.ts';
import type { TaskRecord } from '../../store/tasks.ts';
import type { Log } from '../acs.ts';
import { askForSession, type CampaignConnectionRequest } from './connection-request.ts';
import {
  campaignActor,
  cancelHeldTransfer,
  definitionOf,
  firmwareFile,
  type StopOptions,
  withdrawUnsent,
} from './control.ts';
import type { CampaignDefinition } from './definition.ts';
import { judge, type Verdict } from './outcome.ts';
import { stopReason } from './stop-rules.ts';
import { type Transfer, transferArgs } from './transfer-args.ts';
import { isWindowOpen } from './windows.ts';

export interface CampaignRunnerOptions {
  store: Store;
  log: Log;
  /** ms since the epoch; default Date.now. Tests move it by hand. */
  clock?: () => number;
  /**
   * Asks a device for a session now (the ACS's connection-request sender); none: devices wait for their next
   * Inform. A `{ ok: false, reason }` answer or a throw is logged as `campaign-connection-request-failed`.
   */
  connectionRequest?: CampaignConnectionRequest;
}

/**
 * Runs firmware campaigns. `tick()` advances every campaign one step: it records the outcome of each device in
 * progress (from its task and what the device reports), halts a campaign whose stop rules are exceeded,
 * completes one with nothing left, and starts devices of the current stage — within the maintenance window and
 * the concurrency limit, a stage only once every device of the one before has finished. A halted or aborted
 * campaign still settles its devices in progress: one holding its ScheduleDownload is sent a CancelTransfer
 * (control.ts), and once that is done the device is `cancelled` and its awaiting transfer task cancelled too, so
 * the transfer deadline never turns it into a timeout fault (a row once final is never judged again).
 *
 * One runner per process, and one per database: ticks never overlap within a runner, but two runners on one
 * store would both start devices. `corral serve` runs one on an interval; tests call `tick()` directly.
 */
export class CampaignRunner {
  readonly #store: Store;
  readonly #log: Log;
  readonly #clock: () => number;
  readonly #connectionRequest: CampaignConnectionRequest | null;
  #ticking: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(options: CampaignRunnerOptions) {
    this.#store = options.store;
    this.#log = options.log;
    this.#clock = options.clock ?? Date.now;
    this.#connectionRequest = options.connectionRequest ?? null;
  }

  /** Tick every `intervalMs` until `stop()`; the timer does not keep the process alive. */
  start(intervalMs: number): void {
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => {
      this.tick().catch((error: unknown) =>
        this.#log('campaign-tick-error', { error: (error as Error).message }),
      );
    }, intervalMs);
    this.#timer.unref();
  }

  /** Stop ticking; resolves when a tick under way has finished. */
  async stop(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.#ticking?.catch(() => undefined);
  }

  /** One step of every campaign; a call while a tick runs waits for that one. */
  tick(): Promise<void> {
    this.#ticking ??= this.#tickAll().finally(() => {
      this.#ticking = null;
    });
    return this.#ticking;
  }

  async #tickAll(): Promise<void> {
    const store = this.#store;
    const active = await store.campaigns.list({ states: ['running', 'paused'], limit: MAX_PAGE });
    // Stopped campaigns still record the outcome of devices that were under way when they stopped.
    const stopped = await store.campaigns.list({ states: ['halted', 'aborted'], limit: MAX_PAGE });
    for (const campaign of [...active, ...stopped]) {
      try {
        await this.#tickOne(campaign);
      } catch (error) {
        this.#log('campaign-tick-error', {
          campaignId: campaign.id,
          error: (error as Error).message,
        });
      }
    }
  }

  async #tickOne(campaign: CampaignRecord): Promise<void> {
    const store = this.#store;
    const stopped = campaign.state === 'halted' || campaign.state === 'aborted';
    const inProgress = await store.campaigns.devices(campaign.id, {
      states: ['in-progress'],
      limit: MAX_PAGE,
    });
    if (stopped && inProgress.length === 0) return;
    let definition: CampaignDefinition;
    let file: FileRecord;
    try {
      definition = definitionOf(campaign);
      file = await firmwareFile(store, definition.fileId);
    } catch (error) {
      if (!stopped) await this.#halt(campaign, (error as Error).message);
      return;
    }
    const windowOpen = isWindowOpen(
      this.#clock(),
      definition.maintenanceWindows,
      definition.utcOffsetMinutes,
    );
    for (const row of inProgress) {
      await this.#settle(campaign, definition, file, row, windowOpen);
    }
    if (stopped) return;

    const progress = await store.campaigns.progress(campaign.id);
    const halt = stopReason(progress.counts, definition.stopRules);
    if (halt !== null) {
      await this.#halt(campaign, halt);
      return;
    }
    if (campaign.state !== 'running') return;
    if (progress.counts.pending === 0 && progress.counts['in-progress'] === 0) {
      await store.campaigns.transition(campaign.id, ['running'], 'completed');
      await this.#audit(campaign.id, 'campaign.completed', null, { counts: progress.counts });
      this.#log('campaign-completed', { campaignId: campaign.id, counts: progress.counts });
      return;
    }
    if (!windowOpen) return;
    const slots = definition.concurrency - progress.counts['in-progress'];
    if (slots <= 0) return;
    // The current stage: that of the first device, in campaign order, not finished yet.
    const [first] = await store.campaigns.devices(campaign.id, {
      states: ['pending', 'in-progress'],
      limit: 1,
    });
    if (first?.stage == null) return;
    const next = await store.campaigns.devices(campaign.id, {
      states: ['pending'],
      stage: first.stage,
      limit: slots,
    });
    for (const row of next) await this.#startDevice(campaign, definition, file, row);
  }

  /** Record what became of a device in progress. */
  async #settle(
    campaign: CampaignRecord,
    definition: CampaignDefinition,
    file: FileRecord,
    row: CampaignDeviceRecord,
    windowOpen: boolean,
  ): Promise<void> {
    const store = this.#store;
    const id = campaign.id;
    const now = this.#clock();
    const stopped = campaign.state === 'halted' || campaign.state === 'aborted';
    if (row.taskId === null) {
      // Started by a tick that stopped before queueing its task: nothing was sent.
      await this.#update(id, row, stopped ? cancelled(campaign, now) : backToPending());
      return;
    }
    const task = await store.tasks.get(row.taskId);
    const device = await store.devices.get(row.deviceId);
    const cancelTask = row.cancelTaskId === null ? null : await store.tasks.get(row.cancelTaskId);
    const verdict: Verdict = judge(row, task, device, {
      definition,
      now,
      windowOpen,
      stopped,
      cancelTask,
    });
    switch (verdict.kind) {
      case 'wait':
        return;
      case 'cancel-transfer':
        // Stopped while a session had the ScheduleDownload on the wire: it became awaiting afterwards.
        if (task !== null) {
          await cancelHeldTransfer(
            store,
            id,
            row,
            task,
            `campaign ${campaign.state}`,
            this.#stop(),
          );
        }
        return;
      case 'cancelled':
        await this.#update(id, row, {
          state: 'cancelled',
          reason: `scheduled download cancelled (campaign ${campaign.state})`,
          finishedAt: now,
        });
        // Its awaiting task would otherwise time out into a transfer fault nobody needs to look at.
        if (task !== null && isMoot(task)) {
          await this.#cancelTask(id, row, task.id, 'scheduled download cancelled');
        }
        return;
      case 'succeeded':
        await this.#update(id, row, {
          state: 'succeeded',
          finishedAt: now,
          reason: null,
          detail: verdict.detail,
        });
        return;
      case 'failed':
        if (verdict.cancelTask && task !== null)
          await this.#cancelTask(id, row, task.id, 'timeout');
        await this.#update(id, row, {
          state: 'failed',
          finishedAt: now,
          reason: verdict.reason,
          detail: verdict.detail,
        });
        this.#log('campaign-device-failed', {
          campaignId: id,
          deviceId: row.deviceId,
          reason: verdict.reason,
        });
        return;
      case 'fallback':
        if (stopped) {
          await this.#update(id, row, cancelled(campaign, now));
          return;
        }
        await this.#sendTransfer(campaign, definition, file, row, 'download');
        return;
      case 'withdraw':
        if (task === null || !(await this.#cancelTask(id, row, task.id, 'window closed'))) return;
        await this.#update(id, row, stopped ? cancelled(campaign, now) : backToPending());
        return;
    }
  }

  async #startDevice(
    campaign: CampaignRecord,
    definition: CampaignDefinition,
    file: FileRecord,
    row: CampaignDeviceRecord,
  ): Promise<void> {
    try {
      // Claimed only while the campaign still runs (an operator may pause or abort it meanwhile).
      await this.#store.campaigns.updateDevice(
        campaign.id,
        row.deviceId,
        { states: ['pending'], campaignStates: ['running'] },
        { state: 'in-progress', startedAt: this.#clock() },
      );
    } catch (e) {
      if (isStoreError(e, 'conflict')) return;
      throw e;
    }
    const transfer: Transfer =
      definition.transfer === 'download' ||
      (definition.transfer === 'auto' && definition.maintenanceWindows.length === 0)
        ? 'download'
        : 'scheduleDownload';
    await this.#sendTransfer(campaign, definition, file, row, transfer);
  }

  /** Queue the device's transfer (audited), then ask it for a session. */
  async #sendTransfer(
    campaign: CampaignRecord,
    definition: CampaignDefinition,
    file: FileRecord,
    row: CampaignDeviceRecord,
    transfer: Transfer,
  ): Promise<void> {
    const store = this.#store;
    const id = campaign.id;
    const now = this.#clock();
    const args = transferArgs(id, definition, file, transfer, now);
    let task: Awaited<ReturnType<Store['tasks']['enqueue']>>;
    try {
      task = await store.tasks.enqueue(row.deviceId, { args, createdBy: campaignActor(id) });
    } catch (e) {
      if (!isStoreError(e, 'invalid')) throw e;
      await this.#update(id, row, {
        state: 'failed',
        finishedAt: now,
        reason: 'task-refused',
        detail: { message: e.message },
      });
      return;
    }
    await this.#audit(id, 'campaign.task-create', row.deviceId, {
      taskId: task.id,
      type: task.type,
    });
    await this.#update(id, row, { taskId: task.id, transfer, startedAt: now });
    const current = await store.campaigns.get(id);
    if (current?.state === 'halted' || current?.state === 'aborted') {
      // Stopped while this device was being started: withdraw what was just queued.
      if (await this.#cancelTask(id, row, task.id, 'campaign stopped')) {
        await this.#update(id, row, cancelled(current, this.#clock()));
      }
      return;
    }
    if (definition.connectionRequest && this.#connectionRequest !== null) {
      askForSession(this.#connectionRequest, this.#log, id, row.deviceId);
    }
  }

  async #halt(campaign: CampaignRecord, reason: string): Promise<void> {
    try {
      await this.#store.campaigns.transition(campaign.id, ['running', 'paused'], 'halted', reason);
    } catch (e) {
      if (isStoreError(e, 'conflict')) return; // an operator stopped it first
      throw e;
    }
    await this.#audit(campaign.id, 'campaign.halted', null, { reason });
    this.#log('campaign-halted', { campaignId: campaign.id, reason });
    await withdrawUnsent(this.#store, campaign.id, 'campaign halted', this.#clock, this.#stop());
  }

  #stop(): StopOptions {
    return { connectionRequest: this.#connectionRequest, log: this.#log };
  }

  /** Cancel a task the campaign queued, if no session holds it; false when one does. */
  async #cancelTask(id: number, row: CampaignDeviceRecord, taskId: number, why: string) {
    try {
      const task = await this.#store.tasks.cancel(taskId);
      await this.#audit(id, 'campaign.task-cancel', row.deviceId, {
        taskId,
        type: task.type,
        reason: why,
      });
      return true;
    } catch (e) {
      if (isStoreError(e, 'conflict') || isStoreError(e, 'not-found')) return false;
      throw e;
    }
  }

  async #update(
    id: number,
    row: CampaignDeviceRecord,
    patch: Parameters<Store['campaigns']['updateDevice']>[3],
  ): Promise<void> {
    await this.#store.campaigns.updateDevice(id, row.deviceId, { states: ['in-progress'] }, patch);
  }

  async #audit(id: number, action: string, target: string | null, details: JsonValue) {
    await this.#store.audit.record({ actor: campaignActor(id), action, target, details });
  }
}

/** A transfer task the device will never complete: awaiting, or failed only by the ACS's deadline. */
function isMoot(task: TaskRecord): boolean {
  return task.state === 'awaiting' || (task.state === 'failed' && task.fault?.source === 'timeout');
}

function backToPending() {
  return { state: 'pending' as const, taskId: null, transfer: null, startedAt: null };
}

function cancelled(campaign: CampaignRecord, now: number) {
  return { state: 'cancelled' as const, reason: `campaign ${campaign.state}`, finishedAt: now };
}
