/**
 * The profile `corral sim --profile` names: one written in the project (by a short name or its id), a parameter
 * dump of a real device — Corral's JSON export or GenieACS's CSV — turned into a profile, or a BBF data-model XML
 * (a published -full.xml or a vendor's model in the BBF format) with seeded identity and tables.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { TYPES_FILE } from '../../datamodel/bbf/definition-texts.ts';
import { parseBbfXml } from '../../datamodel/bbf/load-xml.ts';
import { profileFromBbfXml } from '../../datamodel/bbf/profile-from-xml.ts';
import type { DataTypeTable } from '../../datamodel/data-types.ts';
import { readGenieacsCsv } from '../../datamodel/dump/genieacs-csv.ts';
import { readJsonDump } from '../../datamodel/dump/json-dump.ts';
import { profileFromDump } from '../../datamodel/dump/profile-from-dump.ts';
import type { DeviceProfile } from '../../datamodel/profile.ts';
import { DEVICE2_GATEWAY, IGD_GATEWAY } from '../../datamodel/profiles/index.ts';

export const PROFILE_NAMES: Readonly<Record<string, DeviceProfile>> = {
  device2: DEVICE2_GATEWAY,
  'device2-gateway': DEVICE2_GATEWAY,
  [DEVICE2_GATEWAY.id]: DEVICE2_GATEWAY,
  igd: IGD_GATEWAY,
  'igd-gateway': IGD_GATEWAY,
  [IGD_GATEWAY.id]: IGD_GATEWAY,
};

export class ProfileLoadError extends Error {
  override readonly name = 'ProfileLoadError';
}

export interface LoadProfileOptions {
  /**
   * For a BBF XML: the file its named data types come from (tr-106-types.xml). By default tr-106-types.xml beside
   * the XML, when there is one — where a vendor's file that imports its types from it normally sits.
   */
  types?: string;
}

async function read(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new ProfileLoadError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** One line, whatever the loader said. */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ');
}

async function loadXmlProfile(
  file: string,
  options: LoadProfileOptions,
): Promise<{ profile: DeviceProfile; warnings: string[] }> {
  const beside = join(dirname(file), TYPES_FILE);
  const typesFile =
    options.types ?? (existsSync(beside) && resolve(beside) !== resolve(file) ? beside : undefined);
  let dataTypes: DataTypeTable | undefined;
  if (typesFile !== undefined) {
    try {
      dataTypes = parseBbfXml(await read(typesFile)).dataTypes;
    } catch (error) {
      if (error instanceof ProfileLoadError) throw error;
      throw new ProfileLoadError(`${typesFile}: ${oneLine((error as Error).message)}`);
    }
  }
  const text = await read(file);
  try {
    return profileFromBbfXml(text, {
      id: basename(file, extname(file)),
      ...(dataTypes === undefined ? {} : { dataTypes }),
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const hint =
      code === 'unknown-data-type' && typesFile === undefined
        ? ` (give its types with --profile-types ${TYPES_FILE}, or put that file beside it)`
        : '';
    throw new ProfileLoadError(`${file}: ${oneLine((error as Error).message)}${hint}`);
  }
}

/**
 * A named profile, or one built from a dump file (.json or .csv) or a BBF data-model XML (.xml). Throws
 * ProfileLoadError, whose message is one line.
 */
export async function loadProfile(
  nameOrFile: string,
  options: LoadProfileOptions = {},
): Promise<{ profile: DeviceProfile; warnings: string[] }> {
  const named = PROFILE_NAMES[nameOrFile];
  if (named !== undefined) return { profile: named, warnings: [] };
  const ext = extname(nameOrFile).toLowerCase();
  if (ext === '.xml') return loadXmlProfile(nameOrFile, options);
  if (ext !== '.json' && ext !== '.csv') {
    throw new ProfileLoadError(
      `unknown profile "${nameOrFile}": name one of ${Object.keys(PROFILE_NAMES).join(', ')}, a .json or .csv dump, or a BBF .xml`,
    );
  }
  const text = await read(nameOrFile);
  try {
    const rows = ext === '.json' ? readJsonDump(text) : readGenieacsCsv(text);
    const { profile, warnings } = profileFromDump(rows, { id: basename(nameOrFile, ext) });
    return { profile, warnings };
  } catch (error) {
    throw new ProfileLoadError(`${nameOrFile}: ${(error as Error).message}`);
  }
}
