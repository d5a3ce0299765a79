import type { ParameterRecord } from '../../../store/parameters.ts';
import type { ScriptScalar } from '../script/types.ts';
import { valuesEqual } from './compare.ts';
import type { MergedDeclarations, Owner } from './merge.ts';
import type { DiffEntry, ProvisioningContext } from './plan.ts';
import { leavesUnder, type On, own } from './plan-work.ts';

/** The instance paths (`Obj.N.`) the tree knows under a multi-instance object, by instance number. */
export function instancesOf(
  params: ReadonlyMap<string, ParameterRecord>,
  object: string,
): string[] {
  const found = new Set<string>();
  for (const p of params.keys()) {
    if (!p.startsWith(object)) continue;
    const rest = p.slice(object.length);
    const dot = rest.indexOf('.');
    if (dot > 0 && /^\d+$/.test(rest.slice(0, dot))) found.add(object + rest.slice(0, dot + 1));
  }
  return [...found].sort(
    (a, b) => Number(a.slice(object.length, -1)) - Number(b.slice(object.length, -1)),
  );
}

/** 'match', 'differ', or 'unknown' (some key parameter not read yet). */
function keysMatch(
  params: ReadonlyMap<string, ParameterRecord>,
  instance: string,
  keys: Record<string, ScriptScalar>,
): 'match' | 'differ' | 'unknown' {
  let unknown = false;
  for (const [name, want] of Object.entries(keys)) {
    const r = params.get(instance + name);
    if (!r || r.value === null || r.type === null) unknown = true;
    else if (!valuesEqual(r.value, r.type, want)) return 'differ';
  }
  return unknown ? 'unknown' : 'match';
}

export function planInstances(
  m: MergedDeclarations,
  ctx: ProvisioningContext,
  on: On,
  diff: DiffEntry[],
  planValue: (
    path: string,
    value: ScriptScalar,
    type: string | undefined,
    owner: Owner,
    secret: boolean,
  ) => void,
): string[] {
  const params = ctx.parameters;
  const pending = ctx.pendingInstances ?? new Map<string, string>();
  const settled: string[] = [];
  const known = (object: string) => params.has(object) || instancesOf(params, object).length > 0;
  const readObject = (path: string, owner: Owner) => {
    on(owner.channel).refresh.add(path);
    diff.push({ kind: 'read', path, reason: 'instance-unknown', ...own(owner) });
  };
  for (const [id, d] of m.instances) {
    if (!known(d.object)) {
      readObject(d.object, d);
      continue;
    }
    const all = instancesOf(params, d.object);
    const states = all.map((i) => [i, keysMatch(params, i, d.keys)] as const);
    const hit = states.find(([, s]) => s === 'match')?.[0];
    const mine = all.find((i) => pending.get(i) === id);
    if (hit !== undefined) {
      if (mine === hit) settled.push(hit);
      for (const [name, value] of Object.entries(d.values))
        planValue(hit + name, value, undefined, d, d.secret?.includes(name) === true);
    } else if (mine !== undefined) {
      // Created by an earlier addObject, whose response names only the instance number: read what the new
      // instance holds first (its own row is no listing of it), then give it its keys and values.
      if (leavesUnder(params, mine).length === 0) readObject(mine, d);
      else
        for (const [name, value] of Object.entries({ ...d.keys, ...d.values }))
          planValue(mine + name, value, undefined, d, d.secret?.includes(name) === true);
    } else if (states.some(([, s]) => s === 'unknown')) {
      for (const [i, s] of states) if (s === 'unknown') readObject(i, d);
    } else if (![...pending.values()].includes(id)) {
      on(d.channel).adds.push({ object: d.object, id });
      diff.push({ kind: 'add-instance', object: d.object, keys: d.keys, ...own(d) });
    }
  }
  for (const d of m.absentInstances.values()) {
    if (!known(d.object)) {
      readObject(d.object, d);
      continue;
    }
    for (const i of instancesOf(params, d.object)) {
      const s = keysMatch(params, i, d.keys);
      if (s === 'unknown') readObject(i, d);
      else if (s === 'match') {
        on(d.channel).deletes.push(i);
        diff.push({ kind: 'delete-instance', path: i, keys: d.keys, ...own(d) });
      }
    }
  }
  return settled;
}
