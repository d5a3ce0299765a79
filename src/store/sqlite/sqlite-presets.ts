import { StoreError } from '../errors.ts';
import type { JsonValue } from '../json.ts';
import type { PresetRecord, PresetStore } from '../presets.ts';
import type { Context } from './context.ts';

interface PresetRow {
  name: string;
  definition: string;
  created_at: number;
  updated_at: number;
  updated_by: string | null;
}

export const MAX_PRESET_NAME = 128;
/** A definition's JSON text, at most (the API's body limit is the same order). */
export const MAX_DEFINITION_BYTES = 1 << 20;
/** Nesting deeper than this is no preset, and would only cost stack. */
const MAX_DEPTH = 64;
const MAX_UPDATED_BY = 256;
const CONTROL = /[\u0000-\u001f\u007f]/;

function presetName(value: unknown): string {
  if (
    typeof value !== 'string' ||
    value === '' ||
    value.length > MAX_PRESET_NAME ||
    !value.isWellFormed() ||
    CONTROL.test(value)
  ) {
    throw new StoreError(
      'invalid',
      'preset',
      `a preset name is 1-${MAX_PRESET_NAME} characters of text without control characters`,
    );
  }
  return value;
}

/** Only what JSON carries unchanged: no undefined, functions, NaN or Infinity, lone surrogates, class instances. */
function checkJson(value: unknown, depth: number): void {
  if (depth > MAX_DEPTH) {
    throw new StoreError('invalid', 'preset', `a definition nests at most ${MAX_DEPTH} deep`);
  }
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return;
  } else if (typeof value === 'string') {
    if (value.isWellFormed()) return;
  } else if (Array.isArray(value)) {
    for (const item of value) checkJson(item, depth + 1);
    return;
  } else if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      for (const [key, item] of Object.entries(value)) {
        if (!key.isWellFormed()) throw new StoreError('invalid', 'preset', 'a key is not text');
        checkJson(item, depth + 1);
      }
      return;
    }
  }
  throw new StoreError('invalid', 'preset', 'a definition is a JSON value');
}

function definitionText(value: unknown): string {
  checkJson(value, 0);
  const text = JSON.stringify(value);
  if (Buffer.byteLength(text) > MAX_DEFINITION_BYTES) {
    throw new StoreError(
      'invalid',
      'preset',
      `a definition is at most ${MAX_DEFINITION_BYTES} bytes of JSON`,
    );
  }
  return text;
}

function updatedByOf(value: unknown): string | null {
  if (value == null) return null;
  if (
    typeof value !== 'string' ||
    value === '' ||
    value.length > MAX_UPDATED_BY ||
    !value.isWellFormed()
  ) {
    throw new StoreError(
      'invalid',
      'preset',
      `updatedBy is 1-${MAX_UPDATED_BY} characters of text`,
    );
  }
  return value;
}

function presetOf(r: PresetRow): PresetRecord {
  return {
    name: r.name,
    definition: JSON.parse(r.definition) as JsonValue,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

/**
 * Presets in one table keyed by name. A replacement keeps the creation time; the definition is stored as
 * JSON text and read back whole (jsonb in PostgreSQL). Listing is in name order (byte order, as BINARY).
 */
export class SqlitePresets implements PresetStore {
  readonly #ctx: Context;

  constructor(ctx: Context) {
    this.#ctx = ctx;
  }

  async put(
    name: string,
    definition: JsonValue,
    updatedBy: string | null = null,
  ): Promise<PresetRecord> {
    const ctx = this.#ctx;
    const key = presetName(name);
    const text = definitionText(definition);
    const by = updatedByOf(updatedBy);
    return ctx.write(() => {
      const now = ctx.now();
      ctx
        .stmt(
          `INSERT INTO presets (name, definition, created_at, updated_at, updated_by)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET definition = excluded.definition,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        )
        .run(key, text, now, now, by);
      return presetOf(ctx.stmt('SELECT * FROM presets WHERE name = ?').get(key) as PresetRow);
    });
  }

  async get(name: string): Promise<PresetRecord | null> {
    const row = this.#ctx.stmt('SELECT * FROM presets WHERE name = ?').get(String(name)) as
      | PresetRow
      | undefined;
    return row === undefined ? null : presetOf(row);
  }

  async list(): Promise<PresetRecord[]> {
    return (this.#ctx.stmt('SELECT * FROM presets ORDER BY name').all() as PresetRow[]).map(
      presetOf,
    );
  }

  async delete(name: string): Promise<boolean> {
    const ctx = this.#ctx;
    return ctx.write(
      () => ctx.stmt('DELETE FROM presets WHERE name = ?').run(String(name)).changes > 0,
    );
  }
}
