/** The presets table's row, its mapping to a PresetRecord, and the checks and sealing of what is written to it. */
import { StoreError } from './errors.ts';
import type { JsonValue } from './json.ts';
import type { PresetRecord } from './presets.ts';
import { isSecret, Secret } from './secret.ts';
import type { SecretBox } from './secret-box.ts';

export interface PresetRow {
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

export function presetName(value: unknown): string {
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
export const SEALED = '$sealed';

export function sealContext(name: string): string {
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

export function definitionText(value: unknown, seal: (s: Secret) => JsonValue): string {
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

export function updatedByOf(value: unknown): string | null {
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

export function presetOf(ctx: { readonly box: SecretBox }, r: PresetRow): PresetRecord {
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
