/**
 * Walking a device's tree in the order its answers list things: an object, its parameters in definition order, then
 * its child objects; a table, then its instances in ascending order. GetParameterNames, GetParameterValues and
 * GetParameterAttributes all select with these walks.
 */
import type { ObjectNode, ParameterNode } from '../../datamodel/data-model.ts';
import type { ResolvedPath } from '../../datamodel/resolve.ts';
import type { DeviceModel } from './device-model.ts';

export type TreeEntry =
  | { kind: 'parameter'; path: string; node: ParameterNode }
  | { kind: 'object' | 'table' | 'instance'; path: string; node: ObjectNode };

/** The entry a resolved path stands for. */
export function entryOf(path: string, r: ResolvedPath): TreeEntry {
  return r.kind === 'parameter'
    ? { kind: 'parameter', path, node: r.node }
    : { kind: r.kind, path, node: r.node };
}

/** The root object's entry: what '' stands for. */
export function rootEntry(device: DeviceModel): TreeEntry {
  const node = device.template.model.rootObject;
  return { kind: 'object', path: node.path, node };
}

/** The immediate children of an object, table or instance entry (none for a parameter). */
export function* childrenOf(device: DeviceModel, entry: TreeEntry): Generator<TreeEntry> {
  if (entry.kind === 'parameter') return;
  const node = entry.node;
  if (entry.kind === 'table') {
    for (const n of device.instances(entry.path)) {
      yield { kind: 'instance', path: `${entry.path}${n}.`, node };
    }
    return;
  }
  for (const p of node.parameters)
    yield { kind: 'parameter', path: entry.path + p.definition.name, node: p };
  for (const o of node.objects) {
    yield { kind: o.table ? 'table' : 'object', path: `${entry.path}${o.segment}.`, node: o };
  }
}

/** The entry itself (if `includeSelf`) and everything below it, depth first. */
export function* subtree(
  device: DeviceModel,
  entry: TreeEntry,
  includeSelf = true,
): Generator<TreeEntry> {
  if (includeSelf) yield entry;
  for (const child of childrenOf(device, entry)) yield* subtree(device, child, true);
}

/** Every parameter at or below the entry. */
export function* parametersUnder(
  device: DeviceModel,
  entry: TreeEntry,
): Generator<{ path: string; node: ParameterNode }> {
  for (const e of subtree(device, entry)) if (e.kind === 'parameter') yield e;
}

/**
 * The concrete paths a schema parameter stands for on this device:
 * `Device.IP.Interface.{i}.Enable` → `Device.IP.Interface.1.Enable`, `Device.IP.Interface.2.Enable`, ….
 */
export function* concretePaths(device: DeviceModel, schemaPath: string): Generator<string> {
  const at = schemaPath.indexOf('{i}');
  if (at === -1) {
    yield schemaPath;
    return;
  }
  const table = schemaPath.slice(0, at);
  const rest = schemaPath.slice(at + 3);
  for (const n of device.instances(table)) yield* concretePaths(device, `${table}${n}${rest}`);
}
