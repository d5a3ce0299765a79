import { StoreError } from '../errors.ts';
import type { JsonValue } from '../json.ts';
import type { PresetRecord, PresetStore } from '../presets.ts';
import { isSecret, Secret } from '../secret.ts';
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

/** How a Secret inside a definition is kept: `{ "$sealed": <base64 of the SecretBox seal> }`. */
const SEALED = '$sealed';

function sealContext(name: string): string {
  return `preset:${name}`;
}

/**
 * Only what JSON carries unchanged: no undefined, functions, NaN or Infinity, lone surrogates, class instances —
 * except `Secret`s, which are sealed (encrypted, bound to the preset's name). A `$sealed` key of the caller's
 * own is refused: it would read back as a secret.
 */
function checkJson(value: unknown, depth: number, seal: (s: Secret) => JsonValue): JsonValue {
  if (depth > MAX_DEPTH) {
    throw new StoreError('invalid', 'preset', `a definition nests at most ${MAX_DEPTH} deep`);
  }
  if (isSecret(value)) return seal(value);
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
  } else if (typeof value === 'string') {
    if (value.isWellFormed()) return value;
  } else if (Array.isArray(value)) {
    return value.map((item) => checkJson(item, depth + 1, seal));
  } else if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      const out: Record<string, JsonValue> = {};
      for (const [key, item] of Object.entries(value)) {
        if (!key.isWellFormed()) throw new StoreError('invalid', 'preset', 'a key is not text');
        if (key === SEALED)
          throw new StoreError('invalid', 'preset', `${SEALED} is a reserved key`);
        out[key] = checkJson(item, depth + 1, seal);
      }
      return out;
    }
  }
  throw new StoreError('invalid', 'preset', 'a definition is a JSON value');
}

/** A stored definition with its sealed values opened back into Secrets. */
function revive(value: JsonValue, open: (sealed: string) => Secret): JsonValue {
  if (Array.isArray(value)) return value.map((item) => revive(item, open));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  const sealed = value[SEALED];
  if (keys.length === 1 && typeof sealed === 'string') return open(sealed) as unknown as JsonValue;
  return Object.fromEntries(keys.map((k) => [k, revive(value[k] as JsonValue, open)]));
}

function definitionText(value: unknown, seal: (s: Secret) => JsonValue): string {
  const text = JSON.stringify(checkJson(value, 0, seal));
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

function presetOf(ctx: Context, r: PresetRow): PresetRecord {
  const open = (sealed: string) =>
    new Secret(ctx.box.open(Buffer.from(sealed, 'base64'), sealContext(r.name)));
  return {
    name: r.name,
    definition: revive(JSON.parse(r.definition) as JsonValue, open),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

/**
 * Presets in one table keyed by name. `Secret`s in a definition are sealed (AES-256-GCM, bound to the preset's
 * name) and come back as Secrets. A replacement keeps the creation time; the definition is stored as
 * JSON text and read back whole (jsonb in PostgreSQL). Listing is in name order (byte order, as BINARY).
 */
export class PgPresets implements PresetStore {
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
    const text = definitionText(definition, (secret) => ({
      [SEALED]: ctx.box.seal(secret.reveal(), sealContext(key)).toString('base64'),
    }));
    const by = updatedByOf(updatedBy);
    return ctx.write(async () => {
      const now = ctx.now();
      await ctx
        .stmt(
          `INSERT INTO presets (name, definition, created_at, updated_at, updated_by)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET definition = excluded.definition,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        )
        .run(key, text, now, now, by);
      return presetOf(
        ctx,
        (await ctx.stmt('SELECT * FROM presets WHERE name = ?').get(key)) as PresetRow,
      );
    });
  }

  async get(name: string): Promise<PresetRecord | null> {
    const row = (await this.#ctx.stmt('SELECT * FROM presets WHERE name = ?').get(String(name))) as
      | PresetRow
      | undefined;
    return row === undefined ? null : presetOf(this.#ctx, row);
  }

  async list(): Promise<PresetRecord[]> {
    const ctx = this.#ctx;
    return ((await ctx.stmt('SELECT * FROM presets ORDER BY name').all()) as PresetRow[]).map((r) =>
      presetOf(ctx, r),
    );
  }

  async delete(name: string): Promise<boolean> {
    const ctx = this.#ctx;
    return ctx.write(
      async () => (await ctx.run('DELETE FROM presets WHERE name = ?', String(name))) > 0,
    );
  }
}
