/**
 * One path's definition as the API shows it: what it names, its syntax and access, the version it appeared in and
 * the profiles that require it. Facts only: Corral ships no description text.
 */
import type { DeviceDefinitions } from '../datamodel/device-definitions.ts';

export interface DefinitionView {
  path: string;
  kind: 'parameter' | 'object' | 'table' | 'instance';
  schemaPath: string;
  model: string | null;
  version: string | null;
  /** Profiles of the model that require it (for an object: that require it present). */
  profiles: string[];
  /** From a BBF file loaded with `--datamodel` (Corral ships no description text); else null. */
  description: string | null;
  object?: {
    access: string;
    minEntries: number;
    maxEntries: number | 'unbounded';
    numEntriesParameter: string | null;
    uniqueKeys: { functional: boolean; parameters: string[] }[];
  };
  parameter?: {
    access: string;
    syntax: Record<string, unknown>;
    forcedInform: boolean;
    activeNotify: string;
    status: string;
  };
}

/** The path a BBF document writes an item under: a table's `{i}.` object, a parameter's full schema path. */
function describedPath(resolved: NonNullable<ReturnType<DeviceDefinitions['resolve']>>): string {
  return resolved.kind === 'parameter' ? resolved.schemaPath : resolved.node.path;
}

/** The definition of a concrete or schema path (`Device.WiFi.SSID.1.SSID`), or null when none is known. */
export function definitionView(
  definitions: DeviceDefinitions,
  path: string,
): DefinitionView | null {
  const resolved = definitions.resolve(path);
  if (resolved === undefined) return null;
  const root = path.slice(0, path.indexOf('.') + 1);
  const { schemaPath } = resolved;
  const requiring: string[] = [];
  for (const name of definitions.profileNames?.(root) ?? []) {
    const profile = definitions.profile?.(root, name);
    if (profile === undefined) continue;
    if (resolved.kind === 'parameter') {
      const object = resolved.node.object.path;
      if (profile.objects.get(object)?.has(resolved.node.definition.name)) requiring.push(name);
    } else if (profile.objects.has(resolved.node.path)) requiring.push(name);
  }
  const view: DefinitionView = {
    path,
    kind: resolved.kind,
    schemaPath,
    model: definitions.modelName(root) ?? null,
    version: definitions.versionOf?.(schemaPath) ?? null,
    profiles: requiring.sort(),
    description: definitions.describe?.(describedPath(resolved)) ?? null,
  };
  if (resolved.kind === 'parameter') {
    const d = resolved.node.definition;
    view.parameter = {
      access: d.access,
      syntax: { ...d.syntax },
      forcedInform: d.forcedInform === true,
      activeNotify: d.activeNotify ?? 'normal',
      status: d.status ?? 'current',
    };
  } else {
    const d = resolved.node.definition;
    view.object = {
      access: d.access,
      minEntries: d.minEntries,
      maxEntries: d.maxEntries,
      numEntriesParameter: d.numEntriesParameter ?? null,
      uniqueKeys: (d.uniqueKeys ?? []).map((k) => ({
        functional: k.functional,
        parameters: [...k.parameters],
      })),
    };
  }
  return view;
}
