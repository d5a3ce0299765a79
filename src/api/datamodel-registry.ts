/**
 * The definitions the API checks and reports against, with the BBF files uploaded through it
 * (`PUT /api/v1/datamodel/files/{name}`): kept in the data directory and loaded again at start, layered over the
 * base (the `--datamodel` files over the shipped definitions). A file that does not load with the others is
 * refused and changes nothing.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseBbfXml } from '../datamodel/bbf/load-xml.ts';
import type { DataTypeTable } from '../datamodel/data-types.ts';
import { BbfDefinitions, type DeviceDefinitions } from '../datamodel/device-definitions.ts';
import { LayeredDefinitions } from '../datamodel/layered-definitions.ts';

/** The one name that holds named data types rather than a model, as beside any BBF file. */
export const TYPES_FILE = 'tr-106-types.xml';
/** No leading dot: the registry writes its temporary files as `.name.tmp` beside them. */
export const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}\.xml$/;

export class DefinitionsFileRefused extends Error {
  override readonly name = 'DefinitionsFileRefused';
}

export interface UploadedFile {
  name: string;
  bytes: number;
  /** The roots it defines (`Device.`), empty for the types file or a service model. */
  roots: string[];
}

function oneLine(error: unknown): string {
  return String((error as Error).message ?? error).replace(/\s*\n\s*/g, ' ');
}

/** Every uploaded file's definitions together, or the reason they do not load. */
function build(files: ReadonlyMap<string, string>): BbfDefinitions | null {
  const types = files.get(TYPES_FILE);
  let dataTypes: DataTypeTable = new Map();
  if (types !== undefined) {
    try {
      dataTypes = parseBbfXml(types).dataTypes;
    } catch (error) {
      throw new DefinitionsFileRefused(`${TYPES_FILE}: ${oneLine(error)}`);
    }
  }
  const models = [...files].filter(([name]) => name !== TYPES_FILE);
  if (models.length === 0) return null;
  for (const [name, text] of models) {
    try {
      if (parseBbfXml(text, { dataTypes }).models.length === 0)
        throw new Error('it defines no <model>');
    } catch (error) {
      throw new DefinitionsFileRefused(`${name}: ${oneLine(error)}`);
    }
  }
  try {
    return BbfDefinitions.fromXml(
      models.map(([, text]) => text),
      { dataTypes, descriptions: true },
    );
  } catch (error) {
    throw new DefinitionsFileRefused(oneLine(error));
  }
}

export class DefinitionsRegistry {
  #files: Map<string, string>;
  #current: DeviceDefinitions;

  private constructor(
    private readonly base: DeviceDefinitions,
    private readonly dir: string | null,
    files: Map<string, string>,
  ) {
    this.#files = files;
    this.#current = this.#layered(build(files));
  }

  /** With the files kept in `dir` (null: nothing is kept, uploads last as long as the process). */
  static async open(base: DeviceDefinitions, dir: string | null): Promise<DefinitionsRegistry> {
    const files = new Map<string, string>();
    if (dir !== null) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      for (const name of (await readdir(dir)).sort())
        if (FILE_NAME.test(name)) files.set(name, await readFile(join(dir, name), 'utf8'));
    }
    return new DefinitionsRegistry(base, dir, files);
  }

  #layered(uploaded: BbfDefinitions | null): DeviceDefinitions {
    return uploaded === null ? this.base : new LayeredDefinitions([uploaded, this.base]);
  }

  current(): DeviceDefinitions {
    return this.#current;
  }

  list(): UploadedFile[] {
    const types = this.#files.get(TYPES_FILE);
    return [...this.#files].map(([name, text]) => {
      let roots: string[] = [];
      if (name !== TYPES_FILE) {
        const alone = new Map([[name, text]]);
        if (types !== undefined) alone.set(TYPES_FILE, types);
        try {
          roots = build(alone)?.roots ?? [];
        } catch {
          // Loads only with another uploaded file: its roots count with that one's.
        }
      }
      return { name, bytes: Buffer.byteLength(text), roots };
    });
  }

  /** Adds or replaces `name`; throws DefinitionsFileRefused (one line) when the set no longer loads. */
  async put(name: string, text: string): Promise<{ created: boolean }> {
    if (!FILE_NAME.test(name))
      throw new DefinitionsFileRefused(
        'a file name is 1-128 letters, digits, _ . or -, ending in .xml',
      );
    const next = new Map(this.#files).set(name, text);
    const definitions = build(next);
    if (this.dir !== null) {
      const tmp = join(this.dir, `.${name}.tmp`);
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, join(this.dir, name));
    }
    const created = !this.#files.has(name);
    this.#files = next;
    this.#current = this.#layered(definitions);
    return { created };
  }

  /** False when there is no such file; throws DefinitionsFileRefused when the others need it (the types). */
  async remove(name: string): Promise<boolean> {
    if (!this.#files.has(name)) return false;
    const next = new Map(this.#files);
    next.delete(name);
    const definitions = build(next);
    if (this.dir !== null) await rm(join(this.dir, name), { force: true });
    this.#files = next;
    this.#current = this.#layered(definitions);
    return true;
  }
}
