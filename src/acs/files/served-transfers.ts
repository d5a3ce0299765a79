import type { Store } from '../../store/store.ts';
import type { TaskArgs } from '../../store/task-args.ts';

/** What the session needs of the file server: URLs signed for one device, expiring. */
export interface FileUrlSigner {
  signedUrl(fileId: string, deviceId: string, ttlMs: number): string;
  uploadUrl(
    deviceId: string,
    ttlMs: number,
    options?: { fileType?: string; name?: string },
  ): string;
}

export type ResolvedTransfer = { ok: true; args: TaskArgs } | { ok: false; message: string };

/** A URL stays valid this long past the last moment the CPE may start the transfer. */
const URL_MARGIN_MS = 3_600_000;

/**
 * The RPC arguments of a transfer the ACS serves or receives itself, completed at send time: a Download or
 * ScheduleDownload naming a stored file gets a URL signed for this device, the file's size and (unless the task
 * names one) its FileType; an Upload to the ACS gets a signed upload URL. The URL lives as long as the CPE may
 * wait before using it (DelaySeconds, or the end of the last time window) plus an hour. Other tasks pass as they
 * are.
 */
export async function resolveServedTransfer(
  store: Store,
  fileServer: FileUrlSigner | null,
  deviceId: string,
  args: TaskArgs,
): Promise<ResolvedTransfer> {
  if (args.type === 'upload' && args.toAcs === true) {
    if (fileServer === null) return { ok: false, message: 'this ACS runs no file server' };
    const ttl = args.delaySeconds * 1000 + URL_MARGIN_MS;
    const url = fileServer.uploadUrl(deviceId, ttl, {
      fileType: args.fileType,
      name: args.commandKey === '' ? 'upload' : args.commandKey,
    });
    return { ok: true, args: { ...args, url } };
  }
  if ((args.type !== 'download' && args.type !== 'scheduleDownload') || args.fileId === undefined) {
    return { ok: true, args };
  }
  if (fileServer === null) return { ok: false, message: 'this ACS runs no file server' };
  const file = await store.files.get(args.fileId);
  if (file === null) return { ok: false, message: `file ${args.fileId} no longer exists` };
  const waitMs =
    args.type === 'download'
      ? args.delaySeconds * 1000
      : Math.max(0, ...args.timeWindows.map((w) => w.windowEnd)) * 1000;
  return {
    ok: true,
    args: {
      ...args,
      url: fileServer.signedUrl(file.id, deviceId, waitMs + URL_MARGIN_MS),
      fileSize: file.size,
      fileType: args.fileType === '' ? file.fileType : args.fileType,
    },
  };
}
