/**
 * The profile `corral sim --profile` names: one written in the project (by a short name or its id), or a parameter
 * dump of a real device — Corral's JSON export or GenieACS's CSV — turned into a profile.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
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

/** A named profile, or one built from a dump file (.json or .csv). Throws ProfileLoadError. */
export async function loadProfile(
  nameOrFile: string,
): Promise<{ profile: DeviceProfile; warnings: string[] }> {
  const named = PROFILE_NAMES[nameOrFile];
  if (named !== undefined) return { profile: named, warnings: [] };
  const ext = extname(nameOrFile).toLowerCase();
  if (ext !== '.json' && ext !== '.csv') {
    throw new ProfileLoadError(
      `unknown profile "${nameOrFile}": name one of ${Object.keys(PROFILE_NAMES).join(', ')}, or a .json or .csv dump`,
    );
  }
  let text: string;
  try {
    text = await readFile(nameOrFile, 'utf8');
  } catch (error) {
    throw new ProfileLoadError(`cannot read ${nameOrFile}: ${(error as Error).message}`);
  }
  try {
    const rows = ext === '.json' ? readJsonDump(text) : readGenieacsCsv(text);
    const { profile, warnings } = profileFromDump(rows, { id: basename(nameOrFile, ext) });
    return { profile, warnings };
  } catch (error) {
    throw new ProfileLoadError(`${nameOrFile}: ${(error as Error).message}`);
  }
}
