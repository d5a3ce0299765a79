import type { ParameterRow } from '../parameter-diff.ts';

/**
 * Parameter rows this connection last read or wrote, by device key and path; `null` remembers that a path has no
 * row. It answers the exact-path reads a session repeats (an Inform's parameters before their upsert, each
 * provisioning round's declared paths, a task's result before its upsert) without the driver, which takes a few
 * µs a row to hand one back. Like all the store remembers (context.ts), it is forgotten on a rollback and on
 * another connection's commit; our own writes keep it true (sqlite-parameters.ts writes through, and forgets what
 * it deletes). Bounded: past `limit` rows it starts again empty, as the device-key cache does: sessions reread
 * within seconds, so what matters is the last few thousand devices, not which of them.
 */
export class ParameterRowCache {
  readonly #limit: number;
  readonly #devices = new Map<number, Map<string, ParameterRow | null>>();
  #size = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** The row; null: known to have none; undefined: not remembered. */
  get(key: number, path: string): ParameterRow | null | undefined {
    return this.#devices.get(key)?.get(path);
  }

  /** What the table now holds at this path (null: no row). The row must not be changed afterwards. */
  set(key: number, path: string, row: ParameterRow | null): void {
    let rows = this.#devices.get(key);
    if (rows?.has(path) !== true) {
      if (this.#size >= this.#limit) {
        this.clear();
        rows = undefined;
      }
      this.#size++;
    }
    if (rows === undefined) {
      rows = new Map();
      this.#devices.set(key, rows);
    }
    rows.set(path, row);
  }

  forgetDevice(key: number): void {
    const rows = this.#devices.get(key);
    if (rows === undefined) return;
    this.#size -= rows.size;
    this.#devices.delete(key);
  }

  clear(): void {
    this.#devices.clear();
    this.#size = 0;
  }

  /** Rows remembered. */
  get size(): number {
    return this.#size;
  }
}
