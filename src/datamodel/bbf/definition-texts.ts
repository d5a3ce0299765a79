/**
 * BBF data-model documents as definitions, whatever they came from (files named on a command line, files uploaded
 * through the API): each model document checked on its own first, so that a problem names its file, then all of
 * them together (a vendor's model extends the published one of its root). A document named tr-106-types.xml holds
 * the named data types the others import.
 */
import { basename } from 'node:path';
import type { DataTypeTable } from '../data-types.ts';
import { BbfDefinitions } from '../device-definitions.ts';
import { parseBbfXml } from './load-xml.ts';

/** The one file name that holds named data types rather than a model, as beside any BBF file. */
export const TYPES_FILE = 'tr-106-types.xml';

/** Why documents do not load: `file` is the one at fault, when one is. */
export class DefinitionsLoadError extends Error {
  override readonly name = 'DefinitionsLoadError';
  constructor(
    readonly reason: string,
    readonly file?: string,
  ) {
    super(file === undefined ? reason : `${file}: ${reason}`);
  }
}

/** An error's message on one line. */
export function oneLine(error: unknown): string {
  return String((error as Error).message ?? error).replace(/\s*\n\s*/g, ' ');
}

/** The named data types of a types document; throws DefinitionsLoadError naming it. */
export function typesOf(file: string, text: string): DataTypeTable {
  try {
    return parseBbfXml(text).dataTypes;
  } catch (error) {
    throw new DefinitionsLoadError(oneLine(error), file);
  }
}

/**
 * The definitions of `documents` (a types document among them serves the others, over `dataTypes`); null when
 * there is no model document. Throws DefinitionsLoadError.
 */
export function definitionsFromTexts(
  documents: readonly { file: string; text: string }[],
  options: { dataTypes?: DataTypeTable; descriptions?: boolean } = {},
): BbfDefinitions | null {
  let dataTypes: DataTypeTable = options.dataTypes ?? new Map();
  for (const d of documents.filter((x) => basename(x.file) === TYPES_FILE))
    dataTypes = new Map([...dataTypes, ...typesOf(d.file, d.text)]);
  const models = documents.filter((x) => basename(x.file) !== TYPES_FILE);
  if (models.length === 0) return null;
  for (const d of models) {
    try {
      if (parseBbfXml(d.text, { dataTypes }).models.length === 0)
        throw new Error('it defines no <model>');
    } catch (error) {
      throw new DefinitionsLoadError(oneLine(error), d.file);
    }
  }
  try {
    return BbfDefinitions.fromXml(
      models.map((d) => d.text),
      { dataTypes, descriptions: options.descriptions === true },
    );
  } catch (error) {
    throw new DefinitionsLoadError(oneLine(error));
  }
}
