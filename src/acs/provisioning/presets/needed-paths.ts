import { parentPath } from '../../../cwmp/path.ts';
import { PARAMETER_KEY_PATHS } from './plan.ts';
import type { Precondition } from './precondition.ts';
import type { Preset } from './preset.ts';

/**
 * The part of a device's cached tree that planning these presets can look at, as paths and partial paths for
 * `ParameterStore.list({ paths })`: what their preconditions test, what they declare (a value's parent too, whose
 * listing says whether a missing parameter exists), the objects whose instances they manage, and the
 * ParameterKey. Null when a preset has a script, which may read anything. A gateway's tree runs to thousands of
 * rows (≈ 5 ms to read 3,000 here), and a session plans once per round: reading only this much keeps presets off
 * the session's critical path.
 */
export function neededPaths(presets: readonly Preset[]): string[] | null {
  const paths = new Set<string>(PARAMETER_KEY_PATHS);
  const parentOf = (path: string) => {
    const parent = parentPath(path);
    if (parent !== undefined && parent !== '') paths.add(parent);
  };
  for (const preset of presets) {
    if (preset.script !== undefined) return null;
    for (const path of preconditionPaths(preset.precondition)) paths.add(path);
    const d = preset.declarations;
    for (const v of d.values) {
      paths.add(v.path);
      parentOf(v.path);
    }
    for (const a of d.attributes) {
      paths.add(a.path);
      parentOf(a.path);
    }
    for (const i of [...d.instances, ...d.absentInstances]) paths.add(i.object);
    for (const f of d.fresh) {
      paths.add(f.path);
      parentOf(f.path);
    }
  }
  return [...paths].sort();
}

function preconditionPaths(p: Precondition): string[] {
  if ('all' in p) return p.all.flatMap(preconditionPaths);
  if ('any' in p) return p.any.flatMap(preconditionPaths);
  if ('not' in p) return preconditionPaths(p.not);
  if ('parameter' in p) return [p.parameter];
  return [];
}
