/**
 * The definitions the API checks and reports against, with the BBF files uploaded through it
 * (`PUT /api/v1/datamodel/files/{name}`): kept in the data directory and loaded again at start, layered over the
 * base (the `--datamodel` files over the shipped definitions). A file that does not load with the others is
 * refused and changes nothing.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DefinitionsLoadError,
  definitionsFromTexts,
  TYPES_FILE,
} from '../datamodel/bbf/definition-texts.ts';
import type { BbfDefinitions, DeviceDefinitions } from '../datamodel/device-definitions.ts';
import { LayeredDefinitions } from '../datamodel/layered-definitions.ts';

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

/** Every uploaded file's definitions together (null: no model among them); throws DefinitionsFileRefused. */
function build(files: ReadonlyMap<string, string>): BbfDefinitions | null {
  try {
    return definitionsFromTexts(
      [...files].map(([file, text]) => ({ file, text })),
      { descriptions: true },
    );
  } catch (error) {
    if (error instanceof DefinitionsLoadError) throw new DefinitionsFileRefused(error.message);
    throw error;
  }
}

export class DefinitionsRegistry {
  #files: Map<string, string>;
  #current: DeviceDefinitions;
  #listing: UploadedFile[] | undefined;

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

  /** Worked out once per change: each file's roots take a parse of it. */
  list(): UploadedFile[] {
    this.#listing ??= this.#list();
    return this.#listing;
  }

  #list(): UploadedFile[] {
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
    this.#listing = undefined;
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
    this.#listing = undefined;
    return true;
  }
}
