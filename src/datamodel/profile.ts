/**
 * A device profile: the part of a data model a kind of device implements and the state it starts in (which
 * instances exist, what the parameters hold, which notifications are on). Every simulated device of a profile
 * starts from it; see src/cpe/model/ for how devices share it. Profiles are written in the project
 * (./profiles/), built from BBF XML (profileFromDefinition) or from a parameter dump (./dump/).
 */
import { DataModel } from './data-model.ts';
import type { DataModelDefinition } from './definition.ts';
import { resolvePath } from './resolve.ts';
import { validateValue } from './validate.ts';

export interface ProfileAttributes {
  /** 0 off, 1 passive, 2 active (cwmp-spec.md §7.3). */
  readonly notification?: number;
  /** `Subscriber` lets LAN-side management (a web UI) change the parameter. */
  readonly accessList?: readonly string[];
}

export interface DeviceProfile {
  /** Short and stable: `corral-device2-gateway`. */
  readonly id: string;
  readonly description: string;
  readonly model: DataModelDefinition;
  /**
   * Instance numbers of each table at first boot, by concrete table path (`Device.IP.Interface.`,
   * `Device.IP.Interface.1.IPv4Address.`). A table not listed starts empty.
   */
  readonly instances: Readonly<Record<string, readonly number[]>>;
  /** Values at first boot by concrete parameter path; a parameter not listed starts with its default. */
  readonly values: Readonly<Record<string, string>>;
  /** Attributes at first boot, where they differ from what the data model implies. */
  readonly attributes?: Readonly<Record<string, ProfileAttributes>>;
  /** The RPCs the device says it supports (GetRPCMethods); by default the CPE's REQUIRED ones and a few more. */
  readonly rpcMethods?: readonly string[];
  /**
   * SetParameterValues answers 9006 unless a value's xsi:type is exactly its parameter's type. By default a device
   * also takes xsd:string (and one integer type for another), as most real ones do.
   */
  readonly strictXsiTypes?: boolean;
}

export interface ProfileIssue {
  /** The path concerned. */
  path: string;
  message: string;
}

/**
 * The profile of a device that implements `model` whole, in its default state, with every table empty. Only the
 * root's RootDataModelVersion is known here (from the model name, `Device:2.17` → `2.17`); identity values such as
 * the OUI are left for the device to be given.
 */
export function profileFromDefinition(
  model: DataModelDefinition,
  id: string,
  description = `every object and parameter of ${model.name}, all tables empty`,
): DeviceProfile {
  const values: Record<string, string> = {};
  const root = model.objects[0];
  const version = /:(\d+\.\d+)$/.exec(model.name)?.[1];
  if (root?.parameters.some((p) => p.name === 'RootDataModelVersion') && version !== undefined) {
    values[`${root.path}RootDataModelVersion`] = version;
  }
  return { id, description, model, instances: {}, values };
}

/**
 * What is wrong with a profile: instances of things that are not tables (or of tables inside instances that do not
 * exist), values for parameters that do not exist, attributes out of range and, when `strictValues`, values that
 * do not fit their parameter's syntax. A dump of a real device may hold such values on purpose; a hand-written
 * profile must not.
 */
export function checkProfile(
  profile: DeviceProfile,
  options: { model?: DataModel; strictValues?: boolean } = {},
): ProfileIssue[] {
  const model = options.model ?? new DataModel(profile.model);
  const issues: ProfileIssue[] = [];
  const sets = new Map<string, ReadonlySet<number>>();
  for (const [table, numbers] of Object.entries(profile.instances)) {
    sets.set(table, new Set(numbers));
    if (numbers.some((n) => !Number.isInteger(n) || n < 1 || n > 0xffff_ffff)) {
      issues.push({ path: table, message: `instance numbers must be integers 1..4294967295` });
    }
    if (new Set(numbers).size !== numbers.length) {
      issues.push({ path: table, message: 'an instance number is listed twice' });
    }
  }
  const exists = (table: string, n: number) => sets.get(table)?.has(n) === true;
  for (const table of Object.keys(profile.instances)) {
    const r = resolvePath(model, table, exists);
    if (r?.kind !== 'table') {
      issues.push({
        path: table,
        message: 'not a table of the data model (or inside an instance that does not exist)',
      });
    }
  }
  for (const [path, value] of Object.entries(profile.values)) {
    const r = resolvePath(model, path, exists);
    if (r?.kind !== 'parameter') {
      issues.push({
        path,
        message: 'no such parameter (or inside an instance that does not exist)',
      });
      continue;
    }
    if (options.strictValues === true) {
      const check = validateValue(r.node.definition.syntax, value);
      if (!check.ok)
        issues.push({ path, message: `invalid value ${JSON.stringify(value)}: ${check.reason}` });
      else if (check.value !== value) {
        issues.push({
          path,
          message: `value ${JSON.stringify(value)} is not canonical (${JSON.stringify(check.value)})`,
        });
      }
    }
  }
  for (const [path, attrs] of Object.entries(profile.attributes ?? {})) {
    if (resolvePath(model, path, exists)?.kind !== 'parameter') {
      issues.push({ path, message: 'attributes for a parameter that does not exist' });
    }
    const n = attrs.notification;
    if (n !== undefined && !(Number.isInteger(n) && n >= 0 && n <= 6)) {
      issues.push({ path, message: `notification ${n} is not 0..6` });
    }
  }
  return issues;
}
