/**
 * The definitions a device's own tree is held against (device-check.ts): the standard ones Corral ships
 * (StandardDefinitions satisfies the interface as it is) or models loaded from BBF XML — published `-full.xml`
 * files and vendors' models in the BBF format — which also carry profiles and the version each name appeared in.
 */
import { readDescriptions } from './bbf/descriptions.ts';
import { parseBbfXml } from './bbf/load-xml.ts';
import { readModelExtras } from './bbf/model-extras.ts';
import { DataModel } from './data-model.ts';
import type { DataTypeTable } from './data-types.ts';
import type { DataModelDefinition, ObjectDefinition } from './definition.ts';
import type { ModelProfileDefinition } from './model-profile.ts';
import { type ModelProfile, resolveModelProfile } from './model-profile.ts';
import { type ResolvedPath, resolvePath } from './resolve.ts';
import { mountedUnderServices } from './services-mount.ts';

export interface DeviceDefinitions {
  /** What a concrete path names, any instance number standing for any instance; undefined when not defined. */
  resolve(path: string): ResolvedPath | undefined;
  /** The model a root object follows (`Device:2.17` for `Device.`), when defined. */
  modelName(root: string): string | undefined;
  /** A profile of the root's model with what it inherits; absent or undefined when the definitions carry none. */
  profile?(root: string, name: string): ModelProfile | undefined;
  /** The names of the root's profiles (`Baseline:1`, …); absent or empty when the definitions carry none. */
  profileNames?(root: string): string[];
  /** The version a schema path appeared in (`2.12`); absent or undefined when not known. */
  versionOf?(schemaPath: string): string | undefined;
  /** The description of a schema path, from a user's BBF file loaded with its descriptions; else undefined. */
  describe?(schemaPath: string): string | undefined;
}

interface LoadedModel {
  model: DataModel;
  versions: Map<string, string>;
  profiles: Map<string, ModelProfileDefinition>;
}

const anyInstance = () => true;

/** Definitions loaded from BBF XML documents. */
export class BbfDefinitions implements DeviceDefinitions {
  private constructor(
    private readonly byRoot: ReadonlyMap<string, LoadedModel>,
    /** Service models (TR-104's `VoiceService.{i}.`), mounted as devices mount them, under `Services.`. */
    private readonly services: ReadonlyMap<string, LoadedModel>,
    /** By schema path as the document writes it; loaded only when asked for (fromXml's `descriptions`). */
    private readonly descriptions: ReadonlyMap<string, string> = new Map(),
  ) {}

  /**
   * From the documents' text (`dataTypes`: tr-106-types.xml's, for files that import them). A document that
   * defines a root another one already defines adds its objects and parameters to it: a vendor's model in the
   * BBF format extends the published one. Throws DataModelLoadError or DataModelError.
   */
  static fromXml(
    texts: readonly string[],
    options: { dataTypes?: DataTypeTable; descriptions?: boolean } = {},
  ) {
    const roots = new Map<string, { def: DataModelDefinition } & Omit<LoadedModel, 'model'>>();
    const services = new Map<string, { def: DataModelDefinition } & Omit<LoadedModel, 'model'>>();
    for (const text of texts) {
      const { models } = parseBbfXml(
        text,
        options.dataTypes === undefined ? {} : { dataTypes: options.dataTypes },
      );
      const extras = readModelExtras(text);
      for (const def of models) {
        const extra = extras.find((e) => e.name === def.name);
        const first = def.objects[0]?.path ?? '';
        const service = first.endsWith('{i}.');
        const key = service ? first.slice(0, first.indexOf('.') + 1) : first;
        const into = service ? services : roots;
        const known = into.get(key);
        if (known === undefined) {
          into.set(key, {
            def: service ? mountedUnderServices(def) : def,
            versions: extra?.versions ?? new Map(),
            profiles: extra?.profiles ?? new Map(),
          });
        } else {
          known.def = merged(known.def, service ? mountedUnderServices(def) : def);
          for (const [k, v] of extra?.versions ?? [])
            if (!known.versions.has(k)) known.versions.set(k, v);
          for (const [k, v] of extra?.profiles ?? [])
            if (!known.profiles.has(k)) known.profiles.set(k, v);
        }
      }
    }
    const build = (m: typeof roots) =>
      new Map(
        [...m].map(([k, v]) => [
          k,
          { model: new DataModel(v.def), versions: v.versions, profiles: v.profiles },
        ]),
      );
    const descriptions = new Map<string, string>();
    if (options.descriptions === true)
      for (const text of texts)
        for (const [k, v] of readDescriptions(text))
          if (!descriptions.has(k)) descriptions.set(k, v);
    return new BbfDefinitions(build(roots), build(services), descriptions);
  }

  describe(schemaPath: string): string | undefined {
    return this.descriptions.get(schemaPath);
  }

  /** The roots defined (`Device.`), for messages. */
  get roots(): string[] {
    return [...this.byRoot.keys()];
  }

  private locate(path: string): { loaded: LoadedModel; path: string } | undefined {
    const service =
      /^(?:Device|InternetGatewayDevice)\.(Services\.([A-Za-z0-9_-]+)\.[1-9]\d*\..*)$/.exec(path);
    if (service !== null) {
      const loaded = this.services.get(`${service[2]}.`);
      if (loaded !== undefined) return { loaded, path: service[1]! };
    }
    const loaded = this.byRoot.get(path.slice(0, path.indexOf('.') + 1));
    return loaded === undefined ? undefined : { loaded, path };
  }

  resolve(path: string): ResolvedPath | undefined {
    const at = this.locate(path);
    return at === undefined ? undefined : resolvePath(at.loaded.model, at.path, anyInstance);
  }

  modelName(root: string): string | undefined {
    return this.byRoot.get(root)?.model.name;
  }

  profile(root: string, name: string): ModelProfile | undefined {
    const loaded = this.byRoot.get(root);
    return loaded === undefined ? undefined : resolveModelProfile(loaded.profiles, name);
  }

  profileNames(root: string): string[] {
    return [...(this.byRoot.get(root)?.profiles.keys() ?? [])];
  }

  /** Root models only: a service model counts its own versions (VoiceService:2.0), not the device's. */
  versionOf(schemaPath: string): string | undefined {
    return this.byRoot
      .get(schemaPath.slice(0, schemaPath.indexOf('.') + 1))
      ?.versions.get(schemaPath);
  }
}

/** `base` with the objects and parameters of `more` it lacks. */
function merged(base: DataModelDefinition, more: DataModelDefinition): DataModelDefinition {
  const objects = base.objects.map((o) => ({ ...o, parameters: [...o.parameters] }));
  const byPath = new Map(objects.map((o) => [o.path, o]));
  for (const o of more.objects) {
    const have = byPath.get(o.path);
    if (have === undefined) {
      const copy: ObjectDefinition & { parameters: ObjectDefinition['parameters'][number][] } = {
        ...o,
        parameters: [...o.parameters],
      };
      objects.push(copy);
      byPath.set(o.path, copy);
      continue;
    }
    for (const p of o.parameters)
      if (!have.parameters.some((q) => q.name === p.name)) have.parameters.push(p);
  }
  return { name: base.name, objects };
}
