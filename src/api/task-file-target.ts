import { targetMismatch } from '../acs/files/target.ts';
import { roleAtLeast } from '../store/api-keys.ts';
import type { DeviceRecord } from '../store/devices.ts';
import type { TaskArgs } from '../store/task-args.ts';
import type { Principal } from './auth.ts';
import { ApiError } from './errors.ts';
import type { FileLookup } from './task-input.ts';

const DEVICE_FIELD = {
  oui: 'OUI',
  productClass: 'ProductClass',
  softwareVersion: 'SoftwareVersion',
};

/**
 * A Download (or ScheduleDownload) of a stored file must fit the file's target (issue 11 item 13: an image meant
 * for one ProductClass was installed on another): 409 naming the field that differs, unless the body says
 * `force: true`, which takes the admin role (the audit log keeps the body, `force` included). Returns the field
 * that was overridden, for the log, or null.
 */
export async function checkFileTarget(
  args: TaskArgs,
  force: boolean,
  device: DeviceRecord,
  principal: Principal,
  files: FileLookup,
): Promise<string | null> {
  if ((args.type !== 'download' && args.type !== 'scheduleDownload') || !args.fileId) return null;
  const file = await files(args.fileId);
  if (file === null) return null; // toTaskArgs has refused it already; a file deleted since fails the task
  const field = targetMismatch(file, device);
  if (field === null) return null;
  const wanted = file.target[field];
  const has = field === 'softwareVersion' ? device.softwareVersion : device[field];
  if (!force) {
    throw new ApiError(
      'conflict',
      `file ${file.id} is meant for ${DEVICE_FIELD[field]} ${JSON.stringify(wanted)}; the device has ${JSON.stringify(has)} (target.${field}; force: true overrides, admin only)`,
      'fileId',
    );
  }
  if (!roleAtLeast(principal.role, 'admin')) {
    throw new ApiError(
      'forbidden',
      'force: true (a file meant for other devices) needs the admin role',
      'force',
    );
  }
  return field;
}
