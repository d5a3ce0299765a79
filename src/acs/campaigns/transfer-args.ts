import type { CampaignTransfer } from '../../store/campaigns.ts';
import type { FileRecord } from '../../store/files.ts';
import { Secret } from '../../store/secret.ts';
import type { TaskArgs } from '../../store/task-args.ts';
import type { CampaignDefinition } from './definition.ts';
import { scheduleTimeWindows } from './windows.ts';

export type Transfer = CampaignTransfer;

/**
 * The task for one device: a Download or ScheduleDownload of the campaign's file by `fileId` — the session
 * fills in the URL (signed for this device, expiring), size and FileType when it sends the RPC, so nothing
 * stale or secret sits in the queue. The CommandKey names the campaign and the transfer kind.
 */
export function transferArgs(
  campaignId: number,
  definition: CampaignDefinition,
  file: FileRecord,
  transfer: Transfer,
  now: number,
): TaskArgs {
  const common = {
    commandKey: `campaign-${campaignId}-${transfer === 'download' ? 'dl' : 'sd'}`,
    fileType: file.fileType,
    url: '',
    username: '',
    password: new Secret(''),
    fileSize: file.size,
    targetFileName: '',
    fileId: file.id,
  };
  if (transfer === 'download') {
    return {
      type: 'download',
      ...common,
      delaySeconds: 0,
      successUrl: '',
      failureUrl: '',
    };
  }
  return { type: 'scheduleDownload', ...common, timeWindows: scheduleTimeWindows(now, definition) };
}
