/**
 * The shared, read-only half of every simulated device of one profile: the indexed data model, the instance tree
 * and values the profile starts with, the forced-inform parameters. Built once per profile; a hundred thousand
 * DeviceModels point at the same one and keep only what differs (device-model.ts).
 */
import { REQUIRED_CPE_METHODS } from '../../cwmp/index.ts';
import { DataModel, type ParameterNode } from '../../datamodel/data-model.ts';
import {
  checkProfile,
  type DeviceProfile,
  type ProfileAttributes,
  type ProfileIssue,
} from '../../datamodel/profile.ts';

/**
 * What a device answers GetRPCMethods with when its profile does not say: the methods TR-069 makes REQUIRED of a
 * CPE (Annex A.3.1-A.3.2) and the optional ones home gateways commonly implement. GetOptions and SetVouchers are
 * deliberately absent: the simulated devices lack them and answer 9000.
 */
export const DEFAULT_CPE_RPC_METHODS: readonly string[] = Object.freeze([
  ...REQUIRED_CPE_METHODS,
  'Upload',
  'FactoryReset',
  'ScheduleInform',
]);

export interface TemplateOptions {
  /**
   * Refuse profile values that do not fit their syntax. Right for hand-written profiles; a dump of a real device
   * may hold such values on purpose (an empty dateTime), so it is off by default.
   */
  strictValues?: boolean;
}

export class ProfileError extends Error {
  override readonly name = 'ProfileError';
  readonly issues: readonly ProfileIssue[];
  constructor(profileId: string, issues: readonly ProfileIssue[]) {
    const shown = issues
      .slice(0, 10)
      .map((i) => `  ${i.path}: ${i.message}`)
      .join('\n');
    const more = issues.length > 10 ? `\n  … and ${issues.length - 10} more` : '';
    super(`profile ${profileId} is not usable:\n${shown}${more}`);
    this.issues = issues;
  }
}

const EMPTY: readonly number[] = Object.freeze([]);

export class DeviceTemplate {
  readonly profile: DeviceProfile;
  readonly model: DataModel;
  readonly rpcMethods: readonly string[];
  readonly lenientXsiTypes: boolean;
  /** Schema parameters with forcedInform (each may stand for several concrete parameters). */
  readonly forcedInform: readonly ParameterNode[];
  /** `Device.ManagementServer.ParameterKey`, if the model has it. */
  readonly parameterKeyPath: string | undefined;
  private readonly tableInstances = new Map<string, readonly number[]>();
  private readonly tableSets = new Map<string, ReadonlySet<number>>();
  private readonly values = new Map<string, string>();
  private readonly attributes = new Map<string, ProfileAttributes>();

  constructor(profile: DeviceProfile, options: TemplateOptions = {}) {
    this.profile = profile;
    this.model = new DataModel(profile.model);
    const issues = checkProfile(profile, {
      model: this.model,
      strictValues: options.strictValues === true,
    });
    if (issues.length > 0) throw new ProfileError(profile.id, issues);
    for (const [table, numbers] of Object.entries(profile.instances)) {
      const sorted = Object.freeze([...numbers].sort((a, b) => a - b));
      this.tableInstances.set(table, sorted);
      this.tableSets.set(table, new Set(sorted));
    }
    for (const [path, value] of Object.entries(profile.values)) this.values.set(path, value);
    for (const [path, attrs] of Object.entries(profile.attributes ?? {})) {
      this.attributes.set(path, attrs);
    }
    this.rpcMethods = Object.freeze([...(profile.rpcMethods ?? DEFAULT_CPE_RPC_METHODS)]);
    this.lenientXsiTypes = profile.strictXsiTypes !== true;
    this.forcedInform = [...this.model.parameters()].filter(
      (p) => p.definition.forcedInform === true,
    );
    const key = `${this.model.root}ManagementServer.ParameterKey`;
    this.parameterKeyPath = this.model.parameter(key) === undefined ? undefined : key;
  }

  /** The instance numbers a table starts with (ascending), or undefined for a table the profile does not list. */
  instances(table: string): readonly number[] | undefined {
    return this.tableInstances.get(table);
  }

  hasInstance(table: string, instance: number): boolean {
    return this.tableSets.get(table)?.has(instance) === true;
  }

  /** The number AddObject gives first: one above the highest the table starts with. */
  firstFreeInstance(table: string): number {
    const list = this.tableInstances.get(table) ?? EMPTY;
    return list.length === 0 ? 1 : list[list.length - 1]! + 1;
  }

  /** The profile's value for a concrete parameter path, if it gives one. */
  value(path: string): string | undefined {
    return this.values.get(path);
  }

  attributesOf(path: string): ProfileAttributes | undefined {
    return this.attributes.get(path);
  }
}

const cache = new WeakMap<DeviceProfile, DeviceTemplate>();

/** The template of a profile, built on first use and shared from then on. */
export function templateFor(profile: DeviceProfile): DeviceTemplate {
  let t = cache.get(profile);
  if (t === undefined) {
    t = new DeviceTemplate(profile);
    cache.set(profile, t);
  }
  return t;
}
