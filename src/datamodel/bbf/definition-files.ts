/**
 * `--datamodel FILE…` (corral check, corral serve): BBF data-model XML files — published `-full.xml` files,
 * vendors' models in the BBF format — as definitions. Named data types come from tr-106-types.xml beside a file, or
 * from a types file given among them. Any problem is one line naming the option and the file.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { DataTypeTable } from '../data-types.ts';
import type { BbfDefinitions } from '../device-definitions.ts';
import {
  DefinitionsLoadError,
  definitionsFromTexts,
  oneLine,
  TYPES_FILE,
  typesOf,
} from './definition-texts.ts';

export class DefinitionsFileError extends Error {
  override readonly name = 'DefinitionsFileError';
}

async function read(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new DefinitionsFileError(`--datamodel ${file}: cannot read it (${oneLine(error)})`);
  }
}

export async function loadDefinitionFiles(
  files: readonly string[],
  /** Keep the files' description text (the ACS shows it with a definition; the lab has no use for it). */
  options: { descriptions?: boolean } = {},
): Promise<BbfDefinitions> {
  const given = new Set(files.map((f) => resolve(f)));
  const texts: { file: string; text: string }[] = [];
  let definitions: BbfDefinitions | null;
  try {
    let dataTypes: DataTypeTable = new Map();
    for (const file of files) {
      const beside = join(dirname(file), TYPES_FILE);
      if (!given.has(resolve(beside)) && existsSync(beside))
        dataTypes = new Map([...dataTypes, ...typesOf(beside, await read(beside))]);
    }
    for (const file of files) texts.push({ file, text: await read(file) });
    definitions = definitionsFromTexts(texts, { dataTypes, ...options });
  } catch (error) {
    if (!(error instanceof DefinitionsLoadError)) throw error;
    const where = error.file === undefined ? '' : ` ${error.file}`;
    throw new DefinitionsFileError(`--datamodel${where}: ${error.reason}`);
  }
  if (definitions === null || definitions.roots.length === 0)
    throw new DefinitionsFileError(
      `--datamodel ${files.join(', ')}: no device model (a root such as Device. or InternetGatewayDevice.), only service models`,
    );
  return definitions;
}
