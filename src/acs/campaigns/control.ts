import type { CampaignRecord } from '../../store/campaigns.ts';
import { isStoreError } from '../../store/errors.ts';
import type { FileRecord } from '../../store/files.ts';
import { MAX_PAGE, type Store } from '../../store/store.ts';
import {
  type CampaignDefinition,
  definitionJson,
  FIRMWARE_FILE_TYPE,
  validateCampaignDefinition,
} from './definition.ts';
import { resolveDeviceSet } from './device-set.ts';
import { CampaignError } from './errors.ts';

/**
 * What an operator does to a campaign (the API calls these; the runner shares `withdrawUnsent` and
 * `definitionOf`): create a draft, approve it, start it (resolving its device set), pause, resume, abort.
 * Each state change is one conditional store transition, so concurrent calls cannot both win.
 */

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

/** No new devices; what was not sent yet is withdrawn; devices under way finish and are counted. */
export async function abortCampaign(
  store: Store,
  id: number,
  by: string,
  clock: () => number,
): Promise<CampaignRecord> {
  const aborted = await store.campaigns.transition(
    id,
    ['draft', 'approved', 'running', 'paused'],
    'aborted',
    `aborted by ${by}`,
  );
  await withdrawUnsent(store, id, 'campaign aborted', clock);
  return aborted;
}

/**
 * Withdraw everything of the campaign not yet sent to a device: tasks still queued (not claimed by a session)
 * are cancelled and their devices become `cancelled`, as do devices not started. A task a session has already
 * claimed or sent is left to finish: its device stays in progress and its outcome is still recorded.
 */
export async function withdrawUnsent(
  store: Store,
  id: number,
  reason: string,
  clock: () => number,
): Promise<void> {
  const rows = await store.campaigns.devices(id, { states: ['in-progress'], limit: MAX_PAGE });
  for (const row of rows) {
    if (row.taskId === null) continue; // being started: the runner sees the campaign stopped
    const task = await store.tasks.get(row.taskId);
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
