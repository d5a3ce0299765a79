/**
 * One end of `corral store copy`: a SQLite file or a PostgreSQL database, read and written as plain rows.
 * Values cross between the ends in one neutral form (`Cell`): integers as bigint, text unescaped (PostgreSQL's
 * U+0000 escape undone, text-escape.ts), bytes as Buffer. Each end converts to and from its own form.
 */
import type { Cell } from '../secret-key-check.ts';

export type { Cell };
export type Engine = 'sqlite' | 'postgres';

export interface TableInfo {
  /** The columns, in the table's order. */
  columns: string[];
  /** The primary key's columns (empty: none, as PostgreSQL's credential tables keyed by md5 of the id). */
  key: string[];
  /** The generated integer key (an identity column, SQLite's INTEGER PRIMARY KEY), or null. */
  serial: string | null;
}

/** What the copy reads from and writes to; the progress of a copy is kept in the target. */
export interface CopyEndpoint {
  readonly engine: Engine;
  /** Where it is, for messages: `sqlite:DIR` or `postgres://host:port/db`, never a password. */
  readonly place: string;
  tables(): Promise<Map<string, TableInfo>>;
  count(table: string): Promise<number>;
  /** A source's reads from here on see one snapshot, until `close`. */
  snapshot(): Promise<void>;
  /** Rows in `key` order after `after` (null: from the first). */
  readBatch(
    table: string,
    columns: readonly string[],
    key: readonly string[],
    after: readonly Cell[] | null,
    limit: number,
  ): Promise<Cell[][]>;
  /** The first row of a query written in SQL both engines speak (no parameters). */
  first(sql: string): Promise<Cell[] | undefined>;
  /** The highest generated key ever handed out (SQLite's sqlite_sequence, PostgreSQL's sequence), or 0. */
  highWater(table: string, column: string): Promise<bigint>;
  /** A target's generator hands out keys above `value` from now on. */
  raiseHighWater(table: string, column: string, value: bigint): Promise<void>;
  /** The progress table's rows, or null when no copy is under way in this target. */
  readProgress(): Promise<Map<string, ProgressRow> | null>;
  /** Create the progress table with the copy's description (name '*'). */
  startProgress(description: string): Promise<void>;
  /** Insert rows and record the progress, in one transaction. */
  writeBatch(
    table: string,
    columns: readonly string[],
    serial: string | null,
    rows: readonly Cell[][],
    progress: ProgressRow & { table: string },
  ): Promise<void>;
  setProgress(progress: ProgressRow & { table: string }): Promise<void>;
  dropProgress(): Promise<void>;
  close(): Promise<void>;
}

export interface ProgressRow {
  rows: number;
  /** The last copied key (cursor.ts encoding), or the copy's description for '*'. */
  lastKey: string | null;
  done: boolean;
}

export const PROGRESS_TABLE = 'store_copy_progress';

/** A SQL identifier, quoted (the names come from the schema, but quoting costs nothing). */
export function quoteId(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
