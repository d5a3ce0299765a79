import type { DeviceRecord, InformEvent } from '../../store/devices.ts';
import type { ParameterRecord } from '../../store/parameters.ts';
import type { PresetRecord } from '../../store/presets.ts';
import type { Store } from '../../store/store.ts';
import { MAX_PAGE } from '../../store/store.ts';
import {
  neededPaths,
  type Preset,
  type PresetFieldError,
  type PresetResult,
  presetFromRecord,
  type SoftwareTransfer,
} from './presets/index.ts';

export interface LoadedPresets {
  presets: Preset[];
  /** Stored rows that fail validation: left out, and reported (a bad row never stops the others). */
  invalid: ({ name: string } & PresetFieldError)[];
}

/**
 * Definitions already checked, by identity: the SQLite store hands back the same frozen definition until the
 * preset changes, so a session pays for the presets' checks only after an edit (others' stores: every time).
 */
const checkedDefinitions = new WeakMap<object, PresetResult>();

function checkedPreset(record: PresetRecord): PresetResult {
  const { definition } = record;
  const memo = typeof definition === 'object' && definition !== null && Object.isFrozen(definition);
  const known = memo ? checkedDefinitions.get(definition) : undefined;
  if (known !== undefined) return known;
  const checked = presetFromRecord(record.name, definition);
  if (memo) checkedDefinitions.set(definition, checked);
  return checked;
}

/** Every stored preset, validated: what sessions plan with and the dry run shows. */
export async function loadPresets(store: Store): Promise<LoadedPresets> {
  const loaded: LoadedPresets = { presets: [], invalid: [] };
  for (const record of await store.presets.list()) {
    const checked = checkedPreset(record);
    if (checked.ok) loaded.presets.push(checked.value);
    else loaded.invalid.push({ name: record.name, ...checked.error });
  }
  return loaded;
}

/** The events of the device's last Inform, with their CommandKeys (what preset scripts see). */
export async function lastInformEvents(store: Store, device: DeviceRecord): Promise<InformEvent[]> {
  const history = await store.devices.events(device.id);
  return history
    .filter((e) => e.at === device.lastInformAt)
    .map((e) => ({ code: e.code, commandKey: e.commandKey }));
}

/**
 * The device's Downloads of stored files, which presets' `software` plans against; none are read when no preset
 * declares software (the common case costs nothing).
 */
export async function softwareTransfers(
  store: Store,
  deviceId: string,
  presets: readonly Preset[],
): Promise<SoftwareTransfer[]> {
  if (!presets.some((p) => p.software !== undefined)) return [];
  const tasks = await store.tasks.list({ deviceId, types: ['download'], limit: MAX_PAGE });
  return tasks.flatMap((t) =>
    t.args.type === 'download' && t.args.fileId !== undefined
      ? [{ fileId: t.args.fileId, state: t.state, at: t.finishedAt ?? t.updatedAt }]
      : [],
  );
}

/** The cached parameters planning these presets can look at (presets/needed-paths.ts), by path. */
export async function planningParameters(
  store: Store,
  deviceId: string,
  presets: readonly Preset[],
): Promise<Map<string, ParameterRecord>> {
  const needed = neededPaths(presets);
  const rows = await store.parameters.list(
    deviceId,
    needed === null ? {} : { rows: needed.rows, paths: needed.subtrees },
  );
  return new Map(rows.map((r) => [r.path, r]));
}
