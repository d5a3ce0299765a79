/**
 * A device profile from a parameter dump: the objects and parameters a real device reported, with their types,
 * writability, values and attributes. A dump states no definition, so this infers one, conservatively:
 * - the data model root is the one most rows belong to; rows of other roots (GenieACS's DeviceID., Events., Tags.,
 *   VirtualParameters.) are skipped;
 * - an object is a table when it has numbered children, when its parent counts it with `<Name>NumberOfEntries`, or
 *   when it is a writable object with nothing in it (an empty table AddObject can fill);
 * - a table's instances share one definition: the union of the parameters seen in any of them;
 * - types come from the rows (`string` when a row has none); a parameter is writable if any instance says so;
 * - the parameters TR-069 forces into every Inform are marked forcedInform, and names ending in `Password` hidden,
 *   because devices report those empty anyway.
 * Values are kept as the device reported them, even where they do not fit their type: that is what the device says.
 */
import { isXsdType } from '../../cwmp/parameter-value.ts';
import { toSchemaPath } from '../../cwmp/path.ts';
import type {
  BaseType,
  DataModelDefinition,
  ObjectDefinition,
  ParameterDefinition,
} from '../definition.ts';
import { DataModelLoadError } from '../load-error.ts';
import type { DeviceProfile, ProfileAttributes } from '../profile.ts';
import { instanceNumber } from '../resolve.ts';
import { type DumpRow, localTypeName } from './dump-row.ts';

export interface DumpProfileOptions {
  id: string;
  description?: string;
  /** `Device` or `InternetGatewayDevice`; by default the root most rows belong to. */
  root?: string;
}

export interface DumpProfile {
  profile: DeviceProfile;
  /** What was skipped or guessed, one line each. */
  warnings: string[];
}

/** Forced into every Inform by TR-069 / the data models (cwmp-spec.md §7.4), relative to the root. */
const FORCED_INFORM = new Set([
  'RootDataModelVersion',
  'DeviceSummary',
  'DeviceInfo.SpecVersion',
  'DeviceInfo.HardwareVersion',
  'DeviceInfo.SoftwareVersion',
  'DeviceInfo.ProvisioningCode',
  'ManagementServer.ParameterKey',
  'ManagementServer.ConnectionRequestURL',
  'ManagementServer.AliasBasedAddressing',
]);

interface ObjectDraft {
  path: string;
  table: boolean;
  writable: boolean;
  parameters: Map<string, { def: ParameterDefinition; firstSource: string | undefined }>;
}

function rootOf(path: string): string {
  const dot = path.indexOf('.');
  return dot === -1 ? path : path.slice(0, dot);
}

function pickRoot(rows: readonly DumpRow[]): string | undefined {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const root = rootOf(r.path);
    if (root === 'Device' || root === 'InternetGatewayDevice') {
      counts.set(root, (counts.get(root) ?? 0) + 1);
    }
  }
  let best: string | undefined;
  for (const [root, n] of counts) if (best === undefined || n > counts.get(best)!) best = root;
  return best;
}

function modelName(root: string, values: ReadonlyMap<string, string>): string {
  if (root === 'Device') {
    const v = values.get('Device.RootDataModelVersion');
    return v !== undefined && /^2\.\d+$/.test(v) ? `Device:${v}` : 'Device:2';
  }
  const summary = values.get('InternetGatewayDevice.DeviceSummary');
  const m = summary === undefined ? null : /^InternetGatewayDevice:(1\.\d+)/.exec(summary);
  return m === null ? 'InternetGatewayDevice:1' : `InternetGatewayDevice:${m[1]}`;
}

/** Parent object paths of `path`, nearest last: `A.B.1.C` → `A.`, `A.B.`, `A.B.1.`. */
function ancestors(path: string): string[] {
  const body = path.endsWith('.') ? path.slice(0, -1) : path;
  const out: string[] = [];
  let from = 0;
  for (;;) {
    const dot = body.indexOf('.', from);
    if (dot === -1) return out;
    out.push(body.slice(0, dot + 1));
    from = dot + 1;
  }
}

function lastSegmentOf(objectPath: string): string {
  const body = objectPath.slice(0, -1);
  return body.slice(body.lastIndexOf('.') + 1);
}

export function profileFromDump(
  rows: readonly DumpRow[],
  options: DumpProfileOptions,
): DumpProfile {
  const warnings: string[] = [];
  const root = options.root ?? pickRoot(rows);
  if (root === undefined) {
    throw new DataModelLoadError(
      'bad-dump',
      'no row belongs to a Device. or InternetGatewayDevice. data model',
    );
  }
  const skippedRoots = new Map<string, number>();
  const objectRows = new Map<string, DumpRow>();
  const paramRows = new Map<string, DumpRow>();
  for (const r of rows) {
    const rr = rootOf(r.path);
    if (rr !== root) {
      skippedRoots.set(rr, (skippedRoots.get(rr) ?? 0) + 1);
      continue;
    }
    const path = r.object && !r.path.endsWith('.') ? `${r.path}.` : r.path;
    if (!r.object && path.endsWith('.')) {
      throw new DataModelLoadError('bad-dump', `${path}: a parameter name cannot end with "."`, {
        item: path,
      });
    }
    const target = r.object ? objectRows : paramRows;
    if (target.has(path))
      warnings.push(`${path} appears twice; the later row (${r.source ?? '?'}) wins`);
    target.set(path, { ...r, path });
  }
  for (const [r, n] of skippedRoots)
    warnings.push(`skipped ${n} rows under ${r}. (not the ${root}. data model)`);
  for (const p of paramRows.keys()) {
    if (objectRows.has(`${p}.`)) {
      throw new DataModelLoadError('bad-dump', `${p} is both a parameter and an object`, {
        item: p,
      });
    }
  }

  // Every object: the ones listed and the ones implied by what lies below them.
  const objects = new Set<string>(objectRows.keys());
  for (const p of [...paramRows.keys(), ...objectRows.keys()])
    for (const a of ancestors(p)) objects.add(a);
  const children = new Map<string, number>();
  for (const p of [...paramRows.keys(), ...objects]) {
    const parent = ancestors(p).at(-1);
    if (parent !== undefined) children.set(parent, (children.get(parent) ?? 0) + 1);
  }

  const isInstance = (o: string) => instanceNumber(lastSegmentOf(o)) !== undefined;
  const tables = new Set<string>();
  for (const o of objects) {
    if (isInstance(o)) {
      const table = ancestors(o).at(-1);
      if (table !== undefined) tables.add(table);
    }
  }
  for (const o of objects) {
    if (isInstance(o) || tables.has(o) || o === `${root}.`) continue;
    const parent = ancestors(o).at(-1)!;
    const counted = paramRows.has(`${parent}${lastSegmentOf(o)}NumberOfEntries`);
    const emptyWritable = objectRows.get(o)?.writable === true && !children.has(o);
    if (counted || emptyWritable) tables.add(o);
  }

  const drafts = new Map<string, ObjectDraft>();
  const draftOf = (concreteObject: string): ObjectDraft => {
    const schema = tables.has(concreteObject)
      ? `${toSchemaPath(concreteObject)}{i}.`
      : toSchemaPath(concreteObject);
    let d = drafts.get(schema);
    if (d === undefined) {
      d = { path: schema, table: schema.endsWith('{i}.'), writable: false, parameters: new Map() };
      drafts.set(schema, d);
    }
    return d;
  };
  for (const o of objects) {
    const d = draftOf(o);
    if (objectRows.get(o)?.writable === true && (tables.has(o) || isInstance(o))) d.writable = true;
  }

  const values = new Map<string, string>();
  const attributes: Record<string, ProfileAttributes> = {};
  let untyped = 0;
  for (const [path, r] of paramRows) {
    const parent = ancestors(path).at(-1)!;
    const name = path.slice(parent.length);
    const d = draftOf(parent);
    let type: BaseType = 'string';
    const given = r.type === undefined ? '' : localTypeName(r.type);
    if (given === 'base64Binary') type = 'base64';
    else if (isXsdType(given)) type = given;
    else if (given === '') untyped++;
    else warnings.push(`${path}: unknown type "${r.type}", taken as string`);
    const existing = d.parameters.get(name);
    if (existing === undefined) {
      const relative = `${toSchemaPath(path).slice(root.length + 1)}`;
      const def: { -readonly [K in keyof ParameterDefinition]: ParameterDefinition[K] } = {
        name,
        access: r.writable === true ? 'readWrite' : 'readOnly',
        syntax: /Password$/.test(name) ? { type, hidden: true } : { type },
      };
      if (FORCED_INFORM.has(relative)) def.forcedInform = true;
      d.parameters.set(name, { def, firstSource: r.source });
    } else {
      if (existing.def.syntax.type !== type) {
        warnings.push(
          `${path} is ${type} but ${existing.firstSource ?? 'an earlier row'} made ${d.path}${name} ${existing.def.syntax.type}; the first type wins`,
        );
      }
      if (r.writable === true && existing.def.access === 'readOnly') {
        existing.def = { ...existing.def, access: 'readWrite' };
      }
    }
    if (r.value !== undefined) values.set(path, r.value);
    const attrs: { notification?: number; accessList?: string[] } = {};
    if (r.notification !== undefined && r.notification !== 0) attrs.notification = r.notification;
    if (r.accessList !== undefined && r.accessList.length > 0) attrs.accessList = r.accessList;
    if (attrs.notification !== undefined || attrs.accessList !== undefined)
      attributes[path] = attrs;
  }
  if (untyped > 0) warnings.push(`${untyped} parameters had no type and were taken as strings`);

  const objectDefs: ObjectDefinition[] = [...drafts.values()]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((d) => ({
      path: d.path,
      access: d.writable ? 'readWrite' : 'readOnly',
      minEntries: d.table ? 0 : 1,
      maxEntries: d.table ? 'unbounded' : 1,
      parameters: [...d.parameters.values()].map((p) => p.def),
    }));
  const model: DataModelDefinition = { name: modelName(root, values), objects: objectDefs };

  const instances: Record<string, number[]> = {};
  for (const t of tables) instances[t] = [];
  for (const o of objects) {
    const n = instanceNumber(lastSegmentOf(o));
    if (n !== undefined) instances[ancestors(o).at(-1)!]!.push(n);
  }
  for (const list of Object.values(instances)) list.sort((a, b) => a - b);

  const profile: DeviceProfile = {
    id: options.id,
    description: options.description ?? `from a parameter dump of a ${model.name} device`,
    model,
    instances,
    values: Object.fromEntries(values),
    ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
  };
  return { profile, warnings };
}
