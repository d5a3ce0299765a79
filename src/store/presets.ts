import type { JsonValue } from './json.ts';

/**
 * Provisioning presets (desired states) as the store keeps them: named, each definition a JSON document that the
 * ACS validates (src/acs/provisioning/presets) — the store is no judge of a preset's meaning, only its keeper.
 */
export interface PresetRecord {
  /** Unique; 1–128 characters. */
  name: string;
  /** Secret values in it (`Secret` instances) are encrypted at rest and come back as Secrets (print redacted). */
  definition: JsonValue;
  createdAt: number;
  updatedAt: number;
  /** Who wrote it last (API key id), for the audit trail. */
  updatedBy: string | null;
}

export interface PresetStore {
  /** Create or replace the preset with this name. */
  put(name: string, definition: JsonValue, updatedBy?: string | null): Promise<PresetRecord>;
  get(name: string): Promise<PresetRecord | null>;
  /** Ordered by name. */
  list(): Promise<PresetRecord[]>;
  /** False when there was none. */
  delete(name: string): Promise<boolean>;
}
