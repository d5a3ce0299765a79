/**
 * Selecting what a name in GetParameterValues, GetParameterAttributes or SetParameterAttributes stands for: a full
 * parameter name selects itself; a partial path (ending in '.') every parameter below it; '' the whole tree.
 * A name that selects nothing that exists is fault 9005; so is an object named without its trailing '.'.
 */
import { CwmpFault, FaultCode } from '../../cwmp/faults.ts';
import type { ParameterNode } from '../../datamodel/data-model.ts';
import type { DeviceModel } from '../model/device-model.ts';
import { entryOf, parametersUnder, rootEntry, type TreeEntry } from '../model/traversal.ts';

/** The tree entry a name stands for ('' is the root). Throws CwmpFault 9005. */
export function entryFor(device: DeviceModel, name: string): TreeEntry {
  if (name === '') return rootEntry(device);
  const r = device.resolve(name);
  if (r === undefined) {
    throw new CwmpFault(FaultCode.InvalidParameterName, undefined, {
      cause: `${name} names no parameter or object of this device`,
    });
  }
  return entryOf(name, r);
}

/** The parameters a name selects, in tree order. Throws CwmpFault 9005. */
export function selectParameters(
  device: DeviceModel,
  name: string,
): Iterable<{ path: string; node: ParameterNode }> {
  const entry = entryFor(device, name);
  return entry.kind === 'parameter' ? [entry] : parametersUnder(device, entry);
}
