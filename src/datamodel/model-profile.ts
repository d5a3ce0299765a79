/**
 * A BBF profile (`Baseline:1`, `EthernetLink:1`): the objects and parameters a device that claims it must
 * implement, as the data-model document states them (`<profile>` elements), and the same with its `base` and
 * `extends` profiles folded in. Not to be confused with a DeviceProfile (profile.ts), the simulator's device.
 */

export interface ProfileObjectRequirement {
  /** Schema path: `Device.IP.Interface.{i}.`. */
  readonly path: string;
  /** `notSpecified`, `present`, `create`, `delete`, `createDelete`. */
  readonly requirement: string;
  /** Parameter names within the object, each `readOnly`, `readWrite` or `writeOnceReadOnly`. */
  readonly parameters: readonly { readonly name: string; readonly requirement: string }[];
}

export interface ModelProfileDefinition {
  readonly name: string;
  readonly base?: string;
  readonly extends?: readonly string[];
  readonly objects: readonly ProfileObjectRequirement[];
}

/** A profile with everything it inherits: required objects and, per object, required parameters. */
export interface ModelProfile {
  readonly name: string;
  /** Schema object path → parameter name → requirement. */
  readonly objects: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** Folds `base` and `extends` into one requirement set; undefined when `name` is not defined. */
export function resolveModelProfile(
  profiles: ReadonlyMap<string, ModelProfileDefinition>,
  name: string,
): ModelProfile | undefined {
  if (!profiles.has(name)) return undefined;
  const objects = new Map<string, Map<string, string>>();
  const seen = new Set<string>();
  const add = (n: string) => {
    const p = profiles.get(n);
    if (p === undefined || seen.has(n)) return;
    seen.add(n);
    if (p.base !== undefined) add(p.base);
    for (const e of p.extends ?? []) add(e);
    for (const o of p.objects) {
      if (o.requirement === 'notSpecified' && o.parameters.length === 0) continue;
      const params = objects.get(o.path) ?? new Map<string, string>();
      // readWrite wins over readOnly when two profiles name the same parameter.
      for (const q of o.parameters)
        if (params.get(q.name) !== 'readWrite') params.set(q.name, q.requirement);
      objects.set(o.path, params);
    }
  };
  add(name);
  return { name, objects };
}
