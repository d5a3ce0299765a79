import { deepFreeze, type JsonValue } from '../json.ts';
import {
  definitionText,
  type PresetRow,
  presetName,
  presetOf,
  SEALED,
  sealContext,
  updatedByOf,
} from '../preset-rows.ts';
import type { PresetRecord, PresetStore } from '../presets.ts';
import type { Context } from './context.ts';

/** The `Context.table` name of the presets' records: every session's provisioning lists them. */
const PRESETS_TABLE = 'presets';

/**
 * Presets in one table keyed by name. `Secret`s in a definition are sealed (AES-256-GCM, bound to the preset's
 * name) and come back as Secrets. A replacement keeps the creation time; the definition is stored as
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
    const text = definitionText(definition, (secret) => ({
      [SEALED]: ctx.box.seal(secret.reveal(), sealContext(key)).toString('base64'),
    }));
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
      ctx.forgetTable(PRESETS_TABLE);
      return presetOf(ctx, ctx.stmt('SELECT * FROM presets WHERE name = ?').get(key) as PresetRow);
    });
  }

  async get(name: string): Promise<PresetRecord | null> {
    const row = this.#ctx.stmt('SELECT * FROM presets WHERE name = ?').get(String(name)) as
      | PresetRow
      | undefined;
    return row === undefined ? null : presetOf(this.#ctx, row);
  }

  /**
   * Parsed once and frozen while unchanged: every session's provisioning lists them, and it checks a definition
   * once, not once a session, by its identity (acs/provisioning/inputs.ts).
   */
  async list(): Promise<PresetRecord[]> {
    const ctx = this.#ctx;
    const records = ctx.read(() =>
      ctx.table(PRESETS_TABLE, () =>
        (ctx.stmt('SELECT * FROM presets ORDER BY name').all() as PresetRow[]).map((r) =>
          deepFreeze(presetOf(ctx, r)),
        ),
      ),
    );
    return [...records];
  }

  async delete(name: string): Promise<boolean> {
    const ctx = this.#ctx;
    return ctx.write(() => {
      ctx.forgetTable(PRESETS_TABLE);
      return ctx.stmt('DELETE FROM presets WHERE name = ?').run(String(name)).changes > 0;
    });
  }
}
