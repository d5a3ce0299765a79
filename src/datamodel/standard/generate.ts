import { parseBbfXml } from '../bbf/load-xml.ts';
import { readModelExtras } from '../bbf/model-extras.ts';
import type { DataModelDefinition } from '../definition.ts';
import type { ModelProfileDefinition } from '../model-profile.ts';

/**
 * What a table's `.extras.json` holds beside it: the version each object appeared in, and each parameter's where
 * it differs from its object's; and the model's profiles as the document states them (base and extends unfolded).
 */
export interface StandardExtras {
  versions: Record<string, string>;
  profiles: ModelProfileDefinition[];
}

/** `device-2.json` → `device-2.extras.json`. */
export function extrasFileOf(tableFile: string): string {
  return tableFile.replace(/\.json$/, '.extras.json');
}

/** The BBF full XML files each shipped table comes from, with the data types they all import. */
export const STANDARD_SOURCES = {
  types: 'tr-106-types.xml',
  tables: {
    'device-2.json': 'tr-181-2-17-0-cwmp-full.xml',
    'internet-gateway-device-1.json': 'tr-098-1-8-0-full.xml',
    'voice-service-2.json': 'tr-104-2-0-2-cwmp-full.xml',
  },
} as const;

/** The tables' text (one JSON definition each, compact) from a reader of the BBF files. */
export function standardTablesFrom(read: (file: string) => string): Record<string, string> {
  const dataTypes = parseBbfXml(read(STANDARD_SOURCES.types)).dataTypes;
  const out: Record<string, string> = {};
  for (const [file, source] of Object.entries(STANDARD_SOURCES.tables)) {
    const text = read(source);
    const [model] = parseBbfXml(text, { dataTypes }).models as [DataModelDefinition];
    out[file] = `${JSON.stringify(model)}\n`;
    // Root models only: a device claims its root's profiles and version, not TR-104's own.
    const extras = readModelExtras(text).find((e) => e.name === model.name);
    if (extras === undefined || file === 'voice-service-2.json') continue;
    const versions: Record<string, string> = {};
    for (const o of model.objects) {
      const own = extras.versions.get(o.path);
      if (own !== undefined) versions[o.path] = own;
      for (const p of o.parameters) {
        const v = extras.versions.get(o.path + p.name);
        if (v !== undefined && v !== own) versions[o.path + p.name] = v;
      }
    }
    const table: StandardExtras = { versions, profiles: [...extras.profiles.values()] };
    out[extrasFileOf(file)] = `${JSON.stringify(table)}\n`;
  }
  return out;
}
