/**
 * What a device must report, whatever else it has: the parameters TR-069 sends in every Inform (forcedInform in
 * the definitions) and, where the definitions carry profiles, everything the profiles the device claims require.
 */
import type { ObjectNode } from './data-model.ts';
import { compareVersions, type DeviceClaims } from './device-claims.ts';
import type { DeviceDefinitions } from './device-definitions.ts';

export interface RequiredObject {
  /** Schema path: `Device.ManagementServer.`, `Device.IP.Interface.{i}.`. */
  readonly object: string;
  /** Parameter name → `readOnly` / `readWrite` / `writeOnceReadOnly`. */
  readonly parameters: ReadonlyMap<string, string>;
  /** The object itself must be there; false: its parameters only in the instances the device has. */
  readonly objectRequired: boolean;
  /** Who requires it, for messages: `profile Baseline:1`. */
  readonly why: string;
}

// Forced into the Inform only by a device that supports alias-based addressing (TR-069 Annex A.3.3.1).
const OPTIONAL_FORCED = new Set(['AliasBasedAddressing']);

export function requiredItems(
  definitions: DeviceDefinitions,
  claims: DeviceClaims,
): { items: RequiredObject[]; unknownProfiles: string[]; profilesChecked: boolean } {
  const items: RequiredObject[] = [];
  const root = definitions.resolve(claims.root);
  if (root === undefined || root.kind !== 'object')
    return { items, unknownProfiles: [], profilesChecked: false };
  const walk = (node: ObjectNode) => {
    const params = new Map<string, string>();
    for (const p of node.parameters) {
      const d = p.definition;
      if (d.forcedInform !== true || OPTIONAL_FORCED.has(d.name)) continue;
      if (d.status === 'deprecated' || d.status === 'obsoleted') continue;
      const since = definitions.versionOf?.(p.path);
      if (
        since !== undefined &&
        claims.version !== undefined &&
        compareVersions(since, claims.version) > 0
      )
        continue;
      params.set(d.name, d.access);
    }
    if (params.size > 0)
      items.push({
        object: node.path,
        parameters: params,
        // A forced parameter of a table (WANIPConnection.{i}.ExternalIPAddress) in each instance there is.
        objectRequired: !node.table,
        why: "TR-069's Inform (forcedInform)",
      });
    for (const o of node.objects) walk(o);
  };
  walk(root.node);
  const unknownProfiles: string[] = [];
  const profilesChecked = definitions.profile !== undefined;
  if (definitions.profile !== undefined) {
    for (const name of claims.profiles) {
      const profile = definitions.profile(claims.root, name);
      if (profile === undefined) {
        unknownProfiles.push(name);
        continue;
      }
      for (const [object, parameters] of profile.objects)
        items.push({ object, parameters, objectRequired: true, why: `profile ${name}` });
    }
  }
  return { items, unknownProfiles, profilesChecked };
}
