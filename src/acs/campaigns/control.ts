import { FIRMWARE_FILE_TYPE } from '../../cwmp/index.ts';
import type { CampaignDeviceRecord, CampaignRecord } from '../../store/campaigns.ts';
import { isStoreError } from '../../store/errors.ts';
import type { FileRecord } from '../../store/files.ts';
import { MAX_PAGE, type Store } from '../../store/store.ts';
import type { TaskRecord } from '../../store/tasks.ts';
import type { Log } from '../acs.ts';
import { askForSession, type CampaignConnectionRequest } from './connection-request.ts';
import {
  type CampaignDefinition,
  definitionJson,
  validateCampaignDefinition,
} from './definition.ts';
import { resolveDeviceSet } from './device-set.ts';
import { CampaignError } from './errors.ts';

/**
 * What an operator does to a campaign (the API calls these; the runner shares `withdrawUnsent`,
 * `cancelHeldTransfer` and `definitionOf`): create a draft, approve it, start it (resolving its device set),
 * pause, resume, abort. Each state change is one conditional store transition, so concurrent calls cannot both
 * win.
 */

/** How a stopping campaign reaches devices that hold its ScheduleDownload. */
export interface StopOptions {
  /** Ask such a device for a session now (unless the definition says not to); none: its next Inform. */
  connectionRequest?: CampaignConnectionRequest | null;
  /** Where a failed connection request is reported. */
  log?: Log;
}

/** The actor a campaign's own actions are audited under. */
export function campaignActor(id: number): string {
  return `campaign:${id}`;
}

/** A stored definition, validated again (a row is untrusted input, like a body). */
export function definitionOf(campaign: CampaignRecord): CampaignDefinition {
  const checked = validateCampaignDefinition(campaign.definition);
  if (!checked.ok) {
    const { field, reason } = checked.error;
    throw new CampaignError('invalid', `the stored definition is invalid: ${field} ${reason}`);
  }
  return checked.value;
}

/** The campaign's file: it must exist and be a firmware image. */
export async function firmwareFile(store: Store, fileId: string): Promise<FileRecord> {
  const file = await store.files.get(fileId);
  if (file === null) throw new CampaignError('invalid', 'fileId names no stored file', 'fileId');
  if (file.fileType !== FIRMWARE_FILE_TYPE) {
    throw new CampaignError(
      'invalid',
      `fileId names a file of type "${file.fileType}", not "${FIRMWARE_FILE_TYPE}"`,
      'fileId',
    );
  }
  return file;
}

async function required(store: Store, id: number): Promise<CampaignRecord> {
  const campaign = await store.campaigns.get(id);
  if (campaign === null) throw new CampaignError('not-found', 'no such campaign');
  return campaign;
}

/** A new draft from an untrusted definition (without its name); every default filled in and stored. */
export async function createCampaign(
  store: Store,
  input: { name: string; definition: unknown; createdBy: string },
): Promise<CampaignRecord> {
  const checked = validateCampaignDefinition(input.definition);
  if (!checked.ok) {
    const { field, reason } = checked.error;
    throw new CampaignError('invalid', `${field} ${reason}`, field);
  }
  await firmwareFile(store, checked.value.fileId);
  return store.campaigns.create({
    name: input.name,
    definition: definitionJson(checked.value),
    createdBy: input.createdBy,
  });
}

/** approved → running: resolves the device set now (who matches the filter now is who gets updated). */
export async function startCampaign(store: Store, id: number): Promise<CampaignRecord> {
  const campaign = await required(store, id);
  if (campaign.state !== 'approved') {
    throw new CampaignError(
      'conflict',
      `the campaign is ${campaign.state}; it starts once approved`,
    );
  }
  const definition = definitionOf(campaign);
  const file = await firmwareFile(store, definition.fileId);
  let devices: Awaited<ReturnType<typeof resolveDeviceSet>>;
  try {
    devices = await resolveDeviceSet(store, definition, file);
  } catch (e) {
    if (isStoreError(e, 'invalid')) {
      throw new CampaignError('invalid', `devices.filter: ${e.message}`, 'devices.filter');
    }
    throw e;
  }
  return store.campaigns.start(id, devices);
}

export async function pauseCampaign(store: Store, id: number): Promise<CampaignRecord> {
  return store.campaigns.transition(id, ['running'], 'paused');
}

export async function resumeCampaign(store: Store, id: number): Promise<CampaignRecord> {
  return store.campaigns.transition(id, ['paused'], 'running');
}

/**
 * No new devices; what was not sent yet is withdrawn; a ScheduleDownload a device holds is cancelled on the
 * device (`withdrawUnsent`); devices under way finish and are counted.
 */
export async function abortCampaign(
  store: Store,
  id: number,
  by: string,
  clock: () => number,
  options: StopOptions = {},
): Promise<CampaignRecord> {
  const aborted = await store.campaigns.transition(
    id,
    ['draft', 'approved', 'running', 'paused'],
    'aborted',
    `aborted by ${by}`,
  );
  await withdrawUnsent(store, id, 'campaign aborted', clock, options);
  return aborted;
}

/**
 * Withdraw everything of the campaign not yet done on a device: tasks still queued (not claimed by a session)
 * are cancelled and their devices become `cancelled`, as do devices not started; a device holding the
 * campaign's ScheduleDownload (accepted, its window not come) is sent a CancelTransfer (`cancelHeldTransfer`).
 * A task a session has already claimed, or a transfer already started, is left to finish: its device stays in
 * progress and its outcome is still recorded.
 */
export async function withdrawUnsent(
  store: Store,
  id: number,
  reason: string,
  clock: () => number,
  options: StopOptions = {},
): Promise<void> {
  const rows = await store.campaigns.devices(id, { states: ['in-progress'], limit: MAX_PAGE });
  for (const row of rows) {
    if (row.taskId === null) continue; // being started: the runner sees the campaign stopped
    const task = await store.tasks.get(row.taskId);
    if (task?.type === 'scheduleDownload' && task.state === 'awaiting') {
      // A session that claimed it just now becomes awaiting after this: the runner catches that one up.
      if (row.cancelTaskId === null)
        await cancelHeldTransfer(store, id, row, task, reason, options);
      continue;
    }
    if (task?.state !== 'pending') continue;
    try {
      await store.tasks.cancel(task.id);
    } catch (e) {
      if (isStoreError(e, 'conflict')) continue; // a session claimed it just now
      throw e;
    }
    await store.audit.record({
      actor: campaignActor(id),
      action: 'campaign.task-cancel',
      target: row.deviceId,
      details: { taskId: task.id, type: task.type, reason },
    });
    await store.campaigns.updateDevice(
      id,
      row.deviceId,
      { states: ['in-progress'] },
      { state: 'cancelled', reason, finishedAt: clock() },
    );
  }
  await store.campaigns.cancelDevices(id, ['pending'], reason);
}

/**
 * Queue a CancelTransfer for the ScheduleDownload `task` the device accepted but has not started (its
 * CommandKey), remember it on the device's row (`cancelTaskId`, at most one per row), audit it, and ask the
 * device for a session if the campaign asks for sessions and a sender is given. The runner records the outcome:
 * done → the device is `cancelled`; a fault (9021: already started) → it is judged as before. False when the
 * row already had one or left `in-progress` meanwhile.
 */
export async function cancelHeldTransfer(
  store: Store,
  id: number,
  row: CampaignDeviceRecord,
  task: TaskRecord,
  reason: string,
  options: StopOptions = {},
): Promise<boolean> {
  if (task.args.type !== 'scheduleDownload') return false;
  const commandKey = task.args.commandKey;
  const actor = campaignActor(id);
  const cancel = await store.tasks.enqueue(row.deviceId, {
    args: { type: 'cancelTransfer', commandKey },
    createdBy: actor,
  });
  try {
    await store.campaigns.updateDevice(
      id,
      row.deviceId,
      { states: ['in-progress'], noCancelTask: true },
      { cancelTaskId: cancel.id },
    );
  } catch (e) {
    if (!isStoreError(e, 'conflict') && !isStoreError(e, 'not-found')) throw e;
    // Another stop got there first, or the device finished: ours is not needed.
    await store.tasks.cancel(cancel.id).catch((err: unknown) => {
      if (!isStoreError(err, 'conflict')) throw err; // a session took it: a second CancelTransfer is harmless
    });
    return false;
  }
  await store.audit.record({
    actor,
    action: 'campaign.transfer-cancel',
    target: row.deviceId,
    details: { taskId: cancel.id, transferTaskId: task.id, commandKey, reason },
  });
  const { connectionRequest = null, log = () => undefined } = options;
  if (connectionRequest !== null && (await asksForSessions(store, id))) {
    askForSession(connectionRequest, log, id, row.deviceId);
  }
  return true;
}

/** Does the campaign ask devices for sessions (its definition's `connectionRequest`)? */
async function asksForSessions(store: Store, id: number): Promise<boolean> {
  const campaign = await store.campaigns.get(id);
  if (campaign === null) return false;
  try {
    return definitionOf(campaign).connectionRequest;
  } catch {
    return false;
  }
}
