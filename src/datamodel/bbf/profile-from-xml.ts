/**
 * A runnable device profile from a BBF data-model XML (a published `-full.xml`, or a vendor's model written in the
 * BBF format): the model as the XML defines it, every parameter starting from its definition (default, else the
 * first value its syntax allows: initial-value.ts), plus the identity and a few table instances from cpe-seed.ts.
 * The RPC methods are left to the runner (the simulator offers every one it implements). A model a CPE cannot run
 * on — no DeviceInfo identity, no ManagementServer.URL — is refused: the device could not even inform.
 */
import { DataModel } from '../data-model.ts';
import { type DataModelDefinition, TABLE_SUFFIX } from '../definition.ts';
import { fittingValue } from '../fitting-value.ts';
import { startingValue } from '../initial-value.ts';
import { DataModelLoadError } from '../load-error.ts';
import { type DeviceProfile, profileFromDefinition } from '../profile.ts';
import { resolvePath } from '../resolve.ts';
import { validateValue } from '../validate.ts';
import { type CpeSeed, DEVICE2_SEED, IGD_SEED } from './cpe-seed.ts';
import { type BbfLoadOptions, parseBbfXml } from './load-xml.ts';

export interface XmlProfileOptions extends BbfLoadOptions {
  id: string;
  /** Which model, when the document has several; by default the one a CPE can run on. */
  model?: string;
}

export interface XmlProfile {
  profile: DeviceProfile;
  /** Seed values the model refused (a vendor's narrower syntax), one line each. */
  warnings: string[];
}

/** What a CPE cannot inform without (relative to the root). */
const REQUIRED = [
  'DeviceInfo.Manufacturer',
  'DeviceInfo.ManufacturerOUI',
  'DeviceInfo.ProductClass',
  'DeviceInfo.SerialNumber',
  'ManagementServer.URL',
];

function rootOf(model: DataModelDefinition): string {
  return model.objects[0]?.path ?? '';
}

function missing(model: DataModelDefinition): string[] {
  const root = rootOf(model);
  const have = new Set<string>();
  for (const o of model.objects)
    for (const p of o.parameters) have.add(`${o.path.slice(root.length)}${p.name}`);
  return REQUIRED.filter((r) => !have.has(r));
}

function pickModel(models: readonly DataModelDefinition[], wanted?: string): DataModelDefinition {
  if (wanted !== undefined) {
    const m = models.find((x) => x.name === wanted);
    if (m === undefined) {
      throw new DataModelLoadError(
        'no-model',
        `no model ${wanted}; the document has ${models.map((x) => x.name).join(', ') || 'none'}`,
      );
    }
    return m;
  }
  if (models.length === 0)
    throw new DataModelLoadError('no-model', 'the document defines no <model>');
  if (models.length === 1) return models[0]!;
  // A vendor file may carry service models beside its device model: take the one a CPE runs on.
  const runnable = models.filter((m) => missing(m).length === 0);
  if (runnable.length === 1) return runnable[0]!;
  throw new DataModelLoadError(
    'ambiguous-model',
    `the document has several models (${models.map((m) => m.name).join(', ')}); say which`,
  );
}

/** The concrete paths of a schema object at first boot: one per combination of existing instances. */
function concretePaths(
  schemaPath: string,
  instances: Readonly<Record<string, number[]>>,
): string[] {
  const parts = schemaPath.split(TABLE_SUFFIX);
  let paths = [parts[0]!];
  for (const part of parts.slice(1)) {
    paths = paths.flatMap((table) => (instances[table] ?? []).map((n) => `${table}${n}.${part}`));
  }
  return paths;
}

function seedFor(root: string): CpeSeed {
  return root === 'InternetGatewayDevice.' ? IGD_SEED : DEVICE2_SEED;
}

/** Builds the profile from a model already loaded. Throws DataModelLoadError when a CPE cannot run on it. */
export function profileFromBbfModel(
  definition: DataModelDefinition,
  id: string,
  description = `${definition.name} from BBF XML: every object, seeded identity and tables`,
): XmlProfile {
  const root = rootOf(definition);
  const lacking = missing(definition);
  if (lacking.length > 0) {
    throw new DataModelLoadError(
      'no-model',
      `${definition.name} is not a model a CPE can run on: it lacks ${lacking.join(', ')} under ${root} (a CPE needs DeviceInfo and ManagementServer to inform an ACS)`,
    );
  }
  const base = profileFromDefinition(definition, id, description);
  const model = new DataModel(definition);
  const instances: Record<string, number[]> = {};
  const values: Record<string, string> = { ...base.values };
  const warnings: string[] = [];
  const exists = (table: string, n: number) => instances[table]?.includes(n) === true;
  const put = (path: string, value: string) => {
    const r = resolvePath(model, path, exists);
    if (r?.kind !== 'parameter') return; // the model does not have it: fine, the seed is generic
    const check = validateValue(r.node.definition.syntax, value);
    if (check.ok) values[path] = check.value;
    else warnings.push(`${path}: seed value ${JSON.stringify(value)} left out (${check.reason})`);
  };
  const seed = seedFor(root);
  for (const [rel, value] of Object.entries(seed.values)) put(root + rel, value);
  if (root === 'InternetGatewayDevice.') {
    put(`${root}DeviceSummary`, `${definition.name}[](Baseline:1)`);
  }
  for (const t of seed.tables) {
    const table = root + t.table;
    const r = resolvePath(model, table, exists);
    if (r?.kind !== 'table') continue;
    instances[table] = [...t.instances];
    const alias = r.node.parameters.some((p) => p.definition.name === 'Alias');
    for (const n of t.instances) {
      // TR-069 §3.6.1: an Alias the CPE assigns starts with "cpe-".
      if (alias) put(`${table}${n}.Alias`, `cpe-${n}`);
      for (const [name, value] of Object.entries(t.values(n))) put(`${table}${n}.${name}`, value);
    }
  }
  // Where the definition's own starting value is not valid (an OUI of exactly six hex digits, a UUID), start with
  // one that is, so that everything the ACS reads fits its type.
  for (const o of definition.objects) {
    for (const path of concretePaths(o.path, instances)) {
      for (const p of o.parameters) {
        const full = path + p.name;
        if (values[full] !== undefined) continue;
        if (validateValue(p.syntax, startingValue(p.syntax)).ok) continue;
        const v = fittingValue(p.syntax);
        if (v !== undefined) values[full] = v;
        else warnings.push(`${full}: no starting value fits its syntax`);
      }
    }
  }
  return { profile: { ...base, instances, values }, warnings };
}

/** Parses a BBF XML document and builds the profile of its CPE model. Throws DataModelLoadError. */
export function profileFromBbfXml(text: string, options: XmlProfileOptions): XmlProfile {
  const { models } = parseBbfXml(text, options.dataTypes ? { dataTypes: options.dataTypes } : {});
  return profileFromBbfModel(pickModel(models, options.model), options.id);
}
