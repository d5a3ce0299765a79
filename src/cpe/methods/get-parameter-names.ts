/**
 * GetParameterNames (TR-069 A.3.2.3, cwmp-spec.md §2.3):
 * - '' with NextLevel true: the root object alone; with NextLevel false: the whole tree, the root included;
 * - a partial path with NextLevel true: its immediate children (parameters, objects, tables, instances), not
 *   itself; with NextLevel false: itself and everything below it;
 * - a parameter name with NextLevel false: that parameter; with NextLevel true: fault 9003 (a parameter has no
 *   next level);
 * - a path that does not exist: fault 9005.
 * Writable is true for a parameter SetParameterValues can change, for a table AddObject can add to, and for an
 * instance DeleteObject can delete.
 */
import { CwmpFault, FaultCode } from '../../cwmp/faults.ts';
import type { GetParameterNames, GetParameterNamesResponse } from '../../cwmp/index.ts';
import type { DeviceModel } from '../model/device-model.ts';
import { childrenOf, rootEntry, subtree, type TreeEntry } from '../model/traversal.ts';
import { entryFor } from './select.ts';

type ParameterInfo = GetParameterNamesResponse['ParameterList'][number];

function writable(device: DeviceModel, e: TreeEntry): boolean {
  switch (e.kind) {
    case 'parameter':
      return device.isWritable(e.path, e.node);
    case 'table':
    case 'instance':
      return e.node.definition.access === 'readWrite';
    case 'object':
      return false;
  }
}

export function getParameterNames(
  device: DeviceModel,
  request: GetParameterNames,
): GetParameterNamesResponse {
  const path = request.ParameterPath;
  const info = (e: TreeEntry): ParameterInfo => ({ Name: e.path, Writable: writable(device, e) });
  if (path === '' && request.NextLevel) {
    return { method: 'GetParameterNamesResponse', ParameterList: [info(rootEntry(device))] };
  }
  const entry = entryFor(device, path);
  if (entry.kind === 'parameter' && request.NextLevel) {
    throw new CwmpFault(FaultCode.InvalidArguments, undefined, {
      cause: `NextLevel must be false for the parameter ${path}`,
    });
  }
  const selected = request.NextLevel ? childrenOf(device, entry) : subtree(device, entry);
  const list: ParameterInfo[] = [];
  for (const e of selected) list.push(info(e));
  return { method: 'GetParameterNamesResponse', ParameterList: list };
}
