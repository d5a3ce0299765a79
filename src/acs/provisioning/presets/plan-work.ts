import type { ParameterRecord } from '../../../store/parameters.ts';
import type { TaskParameterAttribute, TaskParameterValue } from '../../../store/task-args.ts';
import type { Owner } from './merge.ts';

/** What the plan gathers for one channel before it becomes tasks. */
export interface ChannelWork {
  refresh: Set<string>;
  get: Set<string>;
  deletes: string[];
  adds: { object: string; id: string }[];
  sets: Map<string, TaskParameterValue>;
  attributes: Map<string, TaskParameterAttribute>;
  /** A firmware file to download (presets' `software`), sent after everything else. */
  download: string | null;
}

export type On = (channel: string) => ChannelWork;

/** Just the owner of a merged declaration (its other fields must not leak into a diff entry). */
export function own(o: Owner): Owner {
  return { preset: o.preset, channel: o.channel };
}

export function leavesUnder(
  params: ReadonlyMap<string, ParameterRecord>,
  prefix: string,
): ParameterRecord[] {
  const out: ParameterRecord[] = [];
  for (const r of params.values()) if (!r.object && r.path.startsWith(prefix)) out.push(r);
  return out;
}
