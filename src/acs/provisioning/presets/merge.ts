import { createHash } from 'node:crypto';
import type {
  DeclaredAbsentInstance,
  DeclaredAttributes,
  DeclaredFreshness,
  DeclaredInstance,
  DeclaredValue,
  ScriptScalar,
} from '../script/types.ts';
import type { Preset } from './preset.ts';

/** Which preset (and so which channel) a merged declaration came from. */
export interface Owner {
  preset: string;
  channel: string;
}

export type Owned<T> = T & Owner;

/** The declarations of all matching presets, merged: one entry per path (or per instance identity). */
export interface MergedDeclarations {
  values: Map<string, Owned<DeclaredValue>>;
  attributes: Map<string, Owned<DeclaredAttributes>>;
  /** Keyed by `instanceId`. */
  instances: Map<string, Owned<DeclaredInstance>>;
  absentInstances: Map<string, Owned<DeclaredAbsentInstance>>;
  fresh: Map<string, Owned<DeclaredFreshness>>;
  /** tag → owner; a tag is in at most one of the two. */
  addTags: Map<string, Owner>;
  removeTags: Map<string, Owner>;
}

/** The identity of a declared instance: its object and key parameters (names sorted, values as text). */
export function instanceId(object: string, keys: Record<string, ScriptScalar>): string {
  const sorted = Object.keys(keys)
    .sort()
    .map((k) => [k, String(keys[k])]);
  return `${object}${JSON.stringify(sorted)}`;
}

/** Apply order: weight ascending, then name; later entries win per path. */
export function byWeight(a: Preset, b: Preset): number {
  return a.weight - b.weight || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/**
 * Merges presets (already filtered to the matching ones) by weight: a later preset's declaration of a path
 * replaces an earlier one's; attributes merge per aspect (notification, access list); freshness keeps the
 * strictest age; declaring an instance present and absent resolves to the later declaration.
 */
export function mergePresets(presets: readonly Preset[]): MergedDeclarations {
  const m: MergedDeclarations = {
    values: new Map(),
    attributes: new Map(),
    instances: new Map(),
    absentInstances: new Map(),
    fresh: new Map(),
    addTags: new Map(),
    removeTags: new Map(),
  };
  for (const p of [...presets].sort(byWeight)) {
    const owner: Owner = { preset: p.name, channel: p.channel };
    const d = p.declarations;
    for (const v of d.values) m.values.set(v.path, { ...v, ...owner });
    for (const a of d.attributes) {
      const prev = m.attributes.get(a.path);
      const merged: Owned<DeclaredAttributes> = { path: a.path, ...owner };
      const notification = a.notification ?? prev?.notification;
      const accessList = a.accessList ?? prev?.accessList;
      if (notification !== undefined) merged.notification = notification;
      if (accessList !== undefined) merged.accessList = accessList;
      m.attributes.set(a.path, merged);
    }
    for (const i of d.instances) {
      const id = instanceId(i.object, i.keys);
      m.absentInstances.delete(id);
      m.instances.set(id, { ...i, ...owner });
    }
    for (const i of d.absentInstances) {
      const id = instanceId(i.object, i.keys);
      m.instances.delete(id);
      m.absentInstances.set(id, { ...i, ...owner });
    }
    for (const f of d.fresh) {
      const prev = m.fresh.get(f.path);
      if (prev === undefined || f.maxAgeSeconds < prev.maxAgeSeconds)
        m.fresh.set(f.path, { ...f, ...owner });
    }
    for (const t of d.addTags) {
      m.removeTags.delete(t);
      m.addTags.set(t, owner);
    }
    for (const t of d.removeTags) {
      m.addTags.delete(t);
      m.removeTags.set(t, owner);
    }
  }
  return m;
}

/**
 * The ParameterKey of a declared state: a short hash of every declared value and instance (paths, types,
 * values; not owners, weights or channels). The same declared state always gives the same key, so a device
 * that converged reports it back in its Inform. 16 characters (the CPE keeps at most 32).
 */
export function parameterKeyOf(m: MergedDeclarations): string {
  const values = [...m.values.values()]
    .map((v) => [v.path, v.type ?? '', typeof v.value, String(v.value)])
    .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  const instances = [...m.instances.entries()]
    .map(([id, i]) => [
      id,
      Object.keys(i.values)
        .sort()
        .map((k) => [k, typeof i.values[k], String(i.values[k])]),
    ])
    .sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
  const absent = [...m.absentInstances.keys()].sort();
  const digest = createHash('sha256')
    .update(JSON.stringify({ values, instances, absent }))
    .digest('base64url');
  return `cp-${digest.slice(0, 13)}`;
}

/** Lists remembered per first preset (a few: the same presets match most devices of a fleet). */
const MERGES_PER_FIRST = 4;
const merges = new WeakMap<
  Preset,
  { presets: readonly Preset[]; merged: MergedDeclarations; parameterKey: string }[]
>();

/**
 * `mergePresets` and `parameterKeyOf` of a list of presets, remembered by the presets' identities: every
 * session's every round plans the same few lists of the same stored presets (provisioning/inputs.ts), and what
 * a merge makes is never changed afterwards. A list with a scripted preset is not remembered: what its script
 * declared is that run's.
 */
export function mergedOf(presets: readonly Preset[]): {
  merged: MergedDeclarations;
  parameterKey: string;
} {
  const first = presets[0];
  const known = first === undefined ? undefined : merges.get(first);
  const hit = known?.find(
    (k) => k.presets.length === presets.length && k.presets.every((p, i) => p === presets[i]),
  );
  if (hit !== undefined) return hit;
  const merged = mergePresets(presets);
  const entry = { presets: [...presets], merged, parameterKey: parameterKeyOf(merged) };
  if (first !== undefined && presets.every((p) => p.script === undefined)) {
    const list = known ?? [];
    list.unshift(entry);
    if (list.length > MERGES_PER_FIRST) list.pop();
    merges.set(first, list);
  }
  return entry;
}
