import type { FileRecord, FileTarget } from '../../store/files.ts';

/** What a file's target is compared with: the device as the store knows it. */
export interface TargetedDevice {
  oui?: string | undefined;
  productClass?: string | undefined;
  softwareVersion?: string | null | undefined;
}

/**
 * The first field of a file's target the device does not match (null target fields admit any device), or null
 * when the file is meant for it. The target's software version is the version the image upgrades from. One rule
 * for direct Download tasks (the API) and firmware campaigns.
 */
export function targetMismatch(
  file: Pick<FileRecord, 'target'>,
  device: TargetedDevice,
): keyof FileTarget | null {
  const { oui, productClass, softwareVersion } = file.target;
  if (oui !== null && device.oui !== oui) return 'oui';
  if (productClass !== null && device.productClass !== productClass) return 'productClass';
  if (softwareVersion !== null && device.softwareVersion !== softwareVersion)
    return 'softwareVersion';
  return null;
}
