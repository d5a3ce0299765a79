/**
 * Resolving a concrete path (`Device.IP.Interface.2.IPv4Address.1.IPAddress`) against a data model and a set of
 * existing instances: what it names (parameter, single object, table, instance), its schema path and definition.
 * The instance set is a callback so the same walk serves a profile being checked, a shared template and a device
 * with its own added and deleted instances. Alias (`[name]`) and wildcard (`*`) segments are not resolved here.
 */
import type { DataModel, ObjectNode, ParameterNode } from './data-model.ts';

export type ResolvedPath =
  | { kind: 'parameter'; schemaPath: string; node: ParameterNode }
  /** A single-instance object, or the root. */
  | { kind: 'object'; schemaPath: string; node: ObjectNode }
  /** A multi-instance object as a whole: `Device.IP.Interface.`; node is its `{i}` object. */
  | { kind: 'table'; schemaPath: string; node: ObjectNode }
  /** One instance: `Device.IP.Interface.2.`. */
  | { kind: 'instance'; schemaPath: string; node: ObjectNode; table: string; instance: number };

/** Does this concrete table (`Device.IP.Interface.`) hold this instance number? */
export type InstanceExists = (tablePath: string, instance: number) => boolean;

const MAX_INSTANCE = 0xffff_ffff;

/** An instance number as TR-069 writes it: digits, no leading zero, 1..2^32-1; else undefined. */
export function instanceNumber(segment: string): number | undefined {
  const len = segment.length;
  if (len === 0 || len > 10) return undefined;
  const first = segment.charCodeAt(0);
  if (first < 49 || first > 57) return undefined;
  for (let i = 1; i < len; i++) {
    const c = segment.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const n = Number(segment);
  return n <= MAX_INSTANCE ? n : undefined;
}

/** What `path` names, or undefined if it names nothing that exists. '' (the whole tree) is the caller's to handle. */
export function resolvePath(
  model: DataModel,
  path: string,
  exists: InstanceExists,
): ResolvedPath | undefined {
  if (path === '') return undefined;
  const partial = path.endsWith('.');
  const segments = (partial ? path.slice(0, -1) : path).split('.');
  if (`${segments[0]}.` !== model.root || (!partial && segments.length === 1)) return undefined;
  let object: ObjectNode = model.rootObject;
  // Set while the walk stands on a table path (`…Interface.`), waiting for an instance number.
  let table: ObjectNode | undefined;
  let concrete = model.root;
  const last = segments.length - 1;
  for (let i = 1; i <= last; i++) {
    const seg = segments[i]!;
    if (table !== undefined) {
      const n = instanceNumber(seg);
      if (n === undefined || !exists(concrete, n)) return undefined;
      const tablePath = concrete;
      concrete += `${seg}.`;
      object = table;
      table = undefined;
      if (i === last) {
        return partial
          ? {
              kind: 'instance',
              schemaPath: object.path,
              node: object,
              table: tablePath,
              instance: n,
            }
          : undefined;
      }
      continue;
    }
    if (i === last && !partial) {
      const p = model.parameter(object.path + seg);
      return p === undefined ? undefined : { kind: 'parameter', schemaPath: p.path, node: p };
    }
    const single = model.object(`${object.path}${seg}.`);
    if (single !== undefined) {
      object = single;
    } else {
      const t = model.object(`${object.path}${seg}.{i}.`);
      if (t === undefined) return undefined;
      table = t;
    }
    concrete += `${seg}.`;
  }
  if (table !== undefined) {
    return { kind: 'table', schemaPath: table.path.slice(0, -'{i}.'.length), node: table };
  }
  return { kind: 'object', schemaPath: object.path, node: object };
}
