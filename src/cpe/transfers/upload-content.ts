/**
 * The file an Upload sends (cwmp-spec.md §8.3): for "1 Vendor Configuration File" (and "3 Vendor Configuration
 * File <i>") the device's configuration file (config-file.ts); for "2 Vendor Log File" (and "4 … <i>") a short log
 * of its life: boot, software version, sessions.
 */
import { formatDateTime } from '../../cwmp/index.ts';
import type { DeviceModel } from '../model/device-model.ts';
import { CONFIG_CONTENT_TYPE, generateConfigFile } from './config-file.ts';

export interface DeviceFacts {
  serialNumber: string;
  now: number;
  bootTime: number;
  sessions: number;
  retryCount: number;
}

export function uploadContent(
  model: DeviceModel,
  fileType: string,
  facts: DeviceFacts,
): { body: Buffer; contentType: string } {
  const time = formatDateTime(new Date(facts.now));
  if (/Configuration File/.test(fileType)) {
    return {
      body: generateConfigFile(model, { serialNumber: facts.serialNumber, time }),
      contentType: CONFIG_CONTENT_TYPE,
    };
  }
  const versionPath = `${model.root}DeviceInfo.SoftwareVersion`;
  const version =
    model.resolve(versionPath)?.kind === 'parameter' ? model.getValue(versionPath) : '';
  const log = [
    `${time} ${facts.serialNumber} corral-cpe: log file (${fileType})`,
    `${formatDateTime(new Date(facts.bootTime))} boot`,
    `${time} software ${version}, ${facts.sessions} sessions, retry count ${facts.retryCount}`,
  ];
  return { body: Buffer.from(`${log.join('\n')}\n`), contentType: 'text/plain; charset=utf-8' };
}
