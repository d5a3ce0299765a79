/**
 * The parameters a device must put in every Inform (cwmp-spec.md §7.4): those its data model marks forcedInform,
 * for every instance that exists. Value changes are separate (DeviceModel.pendingValueChanges): the session engine
 * merges the two, a parameter appearing once.
 */
import type { ParameterValue } from '../../cwmp/parameter-value.ts';
import type { DeviceModel } from './device-model.ts';
import { concretePaths } from './traversal.ts';

export function forcedInformParameters(device: DeviceModel): ParameterValue[] {
  const out: ParameterValue[] = [];
  for (const node of device.template.forcedInform) {
    for (const path of concretePaths(device, node.path)) out.push(device.readForAcs(path, node));
  }
  return out;
}

/** Forced-inform parameters followed by pending value changes not already among them. */
export function informParameterList(device: DeviceModel): ParameterValue[] {
  const forced = forcedInformParameters(device);
  const seen = new Set(forced.map((p) => p.name));
  return [...forced, ...device.pendingValueChanges().filter((p) => !seen.has(p.name))];
}
