import { parseBbfXml } from '../bbf/load-xml.ts';
import type { DataModelDefinition } from '../definition.ts';

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
    const [model] = parseBbfXml(read(source), { dataTypes }).models as [DataModelDefinition];
    out[file] = `${JSON.stringify(model)}\n`;
  }
  return out;
}
