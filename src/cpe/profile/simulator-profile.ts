/**
 * A profile as the simulator runs it. The simulator implements more RPCs than DEFAULT_CPE_RPC_METHODS lists
 * (queued transfers, ScheduleDownload, CancelTransfer, ChangeDUState), so a profile that does not name its own
 * methods gets them all; and ChangeDUState needs a SoftwareModules object to put deployment units in, so a profile
 * without one gets TR-157's (software-modules.ts). A profile that names its methods, or has SoftwareModules, keeps
 * its own. Built once per profile and shared, like the template.
 */
import type { DeviceProfile } from '../../datamodel/profile.ts';
import { DEFAULT_CPE_RPC_METHODS } from '../model/template.ts';
import { softwareModulesPart } from './software-modules.ts';

/** Every CPE method the simulated devices answer (GetOptions and SetVouchers answer 9000). */
export const SIMULATOR_RPC_METHODS: readonly string[] = Object.freeze([
  ...DEFAULT_CPE_RPC_METHODS,
  'GetQueuedTransfers',
  'GetAllQueuedTransfers',
  'ScheduleDownload',
  'CancelTransfer',
  'ChangeDUState',
]);

const cache = new WeakMap<DeviceProfile, DeviceProfile>();

export function simulatorProfile(profile: DeviceProfile): DeviceProfile {
  const cached = cache.get(profile);
  if (cached !== undefined) return cached;
  const root = profile.model.objects[0]?.path ?? 'Device.';
  const hasSoftwareModules = profile.model.objects.some(
    (o) => o.path === `${root}SoftwareModules.`,
  );
  const part = hasSoftwareModules ? undefined : softwareModulesPart(root);
  const extended: DeviceProfile = {
    ...profile,
    rpcMethods: profile.rpcMethods ?? SIMULATOR_RPC_METHODS,
    model:
      part === undefined
        ? profile.model
        : { ...profile.model, objects: [...profile.model.objects, ...part.objects] },
    instances: { ...profile.instances, ...part?.instances },
    values: { ...profile.values, ...part?.values },
  };
  cache.set(profile, extended);
  return extended;
}
