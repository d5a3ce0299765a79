import type { CampaignDeviceInput } from '../../store/campaigns.ts';
import type { DeviceView } from '../../store/devices.ts';
import type { FileRecord } from '../../store/files.ts';
import { MAX_PAGE, type Store } from '../../store/store.ts';
import { targetMismatch } from '../files/target.ts';
import type { CampaignDefinition } from './definition.ts';
import { CampaignError } from './errors.ts';
import { stageBoundaries, stageOf } from './stages.ts';

/** The most devices one campaign takes; a larger fleet is updated by several campaigns (narrower filters). */
export const MAX_CAMPAIGN_DEVICES = 100_000;

/** Why a device of the set is not to be updated, or null when it is. */
export function skipReason(device: DeviceView, file: FileRecord, version: string): string | null {
  if (device.softwareVersion === version) return 'already-on-version';
  return targetMismatch(file, device) === null ? null : 'not-targeted';
}

/**
 * The campaign's device set, resolved once, when it starts: every device the filter matches, in device-id
 * order, each eligible one with its stage, the others skipped with why (`already-on-version`, `not-targeted`:
 * outside the file's OUI, ProductClass or from-version).
 */
export async function resolveDeviceSet(
  store: Store,
  definition: CampaignDefinition,
  file: FileRecord,
): Promise<CampaignDeviceInput[]> {
  const eligible: string[] = [];
  const skipped: CampaignDeviceInput[] = [];
  for (let offset = 0; ; offset += MAX_PAGE) {
    const page = await store.devices.list({
      filter: definition.devices.filter,
      sort: { field: 'id' },
      limit: MAX_PAGE,
      offset,
      projection: { fields: ['oui', 'productClass', 'softwareVersion'], tags: false },
    });
    for (const device of page) {
      const reason = skipReason(device, file, definition.softwareVersion);
      if (reason === null) eligible.push(device.id);
      else
        skipped.push({
          deviceId: device.id,
          stage: null,
          state: 'skipped',
          reason,
          detail: { softwareVersion: device.softwareVersion ?? null },
        });
    }
    if (eligible.length + skipped.length > MAX_CAMPAIGN_DEVICES) {
      throw new CampaignError(
        'invalid',
        `the filter matches more than ${MAX_CAMPAIGN_DEVICES} devices: narrow it`,
        'devices.filter',
      );
    }
    if (page.length < MAX_PAGE) break;
  }
  const boundaries = stageBoundaries(eligible.length, definition.stages);
  return [
    ...eligible.map(
      (deviceId, i): CampaignDeviceInput => ({
        deviceId,
        stage: stageOf(i, boundaries),
        state: 'pending',
      }),
    ),
    ...skipped,
  ];
}
