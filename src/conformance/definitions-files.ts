/**
 * `corral check --datamodel FILE…`: BBF data-model XML files — published `-full.xml` files, vendors' models in the
 * BBF format — as the definitions the data-model cases hold the DUT against. Named data types come from
 * tr-106-types.xml beside a file, or from a types file given among them. Any problem is one line.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseBbfXml } from '../datamodel/bbf/load-xml.ts';
import type { DataTypeTable } from '../datamodel/data-types.ts';
import { BbfDefinitions } from '../datamodel/device-definitions.ts';

export class DefinitionsFileError extends Error {
  override readonly name = 'DefinitionsFileError';
}

const TYPES_FILE = 'tr-106-types.xml';

function oneLine(error: unknown): string {
  return String((error as Error).message ?? error).replace(/\s*\n\s*/g, ' ');
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
  let dataTypes: DataTypeTable = new Map();
  for (const file of files) {
    const beside = join(dirname(file), TYPES_FILE);
    if (!given.has(resolve(beside)) && existsSync(beside)) {
      try {
        dataTypes = new Map([...dataTypes, ...parseBbfXml(await read(beside)).dataTypes]);
      } catch (error) {
        throw new DefinitionsFileError(`--datamodel ${beside}: ${oneLine(error)}`);
      }
    }
  }
  const texts: { file: string; text: string }[] = [];
  for (const file of files) texts.push({ file, text: await read(file) });
  // A types file among those given: its types serve the others.
  for (const t of texts.filter((x) => basename(x.file) === TYPES_FILE)) {
    try {
      dataTypes = new Map([...dataTypes, ...parseBbfXml(t.text).dataTypes]);
    } catch (error) {
      throw new DefinitionsFileError(`--datamodel ${t.file}: ${oneLine(error)}`);
    }
  }
  const models = texts.filter((x) => basename(x.file) !== TYPES_FILE);
  for (const t of models) {
    try {
      if (parseBbfXml(t.text, { dataTypes }).models.length === 0)
        throw new Error('it defines no <model>');
    } catch (error) {
      throw new DefinitionsFileError(`--datamodel ${t.file}: ${oneLine(error)}`);
    }
  }
  let definitions: BbfDefinitions;
  try {
    definitions = BbfDefinitions.fromXml(
      models.map((t) => t.text),
      { dataTypes, descriptions: options.descriptions === true },
    );
  } catch (error) {
    throw new DefinitionsFileError(`--datamodel: ${oneLine(error)}`);
  }
  if (definitions.roots.length === 0)
    throw new DefinitionsFileError(
      `--datamodel ${files.join(', ')}: no device model (a root such as Device. or InternetGatewayDevice.), only service models`,
    );
  return definitions;
}
