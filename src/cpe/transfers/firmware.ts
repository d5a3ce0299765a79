/**
 * What a downloaded file does to the device (cwmp-spec.md §8.1): a firmware image is "flashed" — SoftwareVersion
 * becomes the image's version and the device reboots; a vendor configuration file is applied and the device
 * reboots; web content, tone and ringer files are stored (nothing in the data model shows them).
 *
 * A firmware image's version: a first line `CORRAL-FIRMWARE version=<v>` if the file has one, else the first
 * version-like token (`4.3.0`, `v2.1-rc1`) of TargetFileName or of the URL's file name, else the current version
 * with the image's digest appended — so two different images never look the same.
 */
import { CwmpFault, DOWNLOAD_FILE_TYPES, FaultCode, FIRMWARE_FILE_TYPE } from '../../cwmp/index.ts';
import type { DeviceModel } from '../model/device-model.ts';
import { applyConfigFile } from './config-file.ts';
import type { FetchedFile } from './file-client.ts';

/** The Download FileTypes of TR-069 and the vendor form (cwmp-spec.md §8.1): anything else is refused with 9003. */
export function checkDownloadFileType(fileType: string): void {
  if (/^[1-9]\d*( \S+)+$/.test(fileType) || /^X \S+ .+$/.test(fileType)) return;
  throw new CwmpFault(FaultCode.InvalidArguments, undefined, { cause: `FileType "${fileType}"` });
}

const VERSION = /v?(\d+(?:\.\d+)+(?:[-_][A-Za-z0-9]+)*)/;

export function firmwareVersion(
  file: FetchedFile,
  names: { targetFileName: string; url: string },
  current: string,
): string {
  const firstLine = file.head.subarray(0, 256).toString('latin1').split('\n')[0] ?? '';
  const declared = /^CORRAL-FIRMWARE\s+version=(\S{1,64})/.exec(firstLine)?.[1];
  if (declared !== undefined) return declared;
  let urlName = '';
  try {
    urlName = decodeURIComponent(new URL(names.url).pathname.split('/').pop() ?? '');
  } catch {
    urlName = '';
  }
  for (const name of [names.targetFileName, urlName]) {
    const m = VERSION.exec(name);
    if (m !== null) return m[1]!.slice(0, 64);
  }
  return `${current.slice(0, 48)}+${file.sha256.slice(0, 8)}`;
}

/** Applies a downloaded file; returns whether the device must reboot. Throws CwmpFault (9018) for a bad file. */
export function applyDownloadedFile(
  model: DeviceModel,
  fileType: string,
  file: FetchedFile,
  names: { targetFileName: string; url: string },
): { reboot: boolean } {
  if (fileType === FIRMWARE_FILE_TYPE) {
    const path = `${model.root}DeviceInfo.SoftwareVersion`;
    const current = model.resolve(path)?.kind === 'parameter' ? model.getValue(path) : '';
    if (file.size === 0)
      throw new CwmpFault(FaultCode.FileCorrupted, undefined, { cause: 'empty image' });
    if (current !== '') model.setLocalValue(path, firmwareVersion(file, names, current), 'device');
    return { reboot: true };
  }
  if (fileType === DOWNLOAD_FILE_TYPES.vendorConfiguration) {
    if (file.head.length < file.size) {
      throw new CwmpFault(FaultCode.FileCorrupted, undefined, {
        cause: 'configuration file too large',
      });
    }
    applyConfigFile(model, file.head);
    return { reboot: true };
  }
  return { reboot: false };
}
