import Database from 'better-sqlite3';
import {
  type Cell,
  type CopyEndpoint,
  PROGRESS_TABLE,
  type ProgressRow,
  quoteId,
  type TableInfo,
} from './endpoint.ts';

/** A SQLite database file as one end of a copy. Integers are read as bigint (every one exact). */
export class SqliteEndpoint implements CopyEndpoint {
  readonly engine = 'sqlite' as const;
  readonly place: string;
  readonly #db: Database.Database;
  #inSnapshot = false;

  constructor(path: string, place: string) {
    this.place = place;
    this.#db = new Database(path, { fileMustExist: true, timeout: 5000 });
    this.#db.pragma('foreign_keys = ON');
  }

  async tables(): Promise<Map<string, TableInfo>> {
    const names = this.#db
      .prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
      )
      .all() as { name: string; sql: string }[];
    const tables = new Map<string, TableInfo>();
    for (const { name } of names) {
      const cols = this.#db.prepare(`PRAGMA table_info(${quoteId(name)})`).all() as {
        name: string;
        type: string;
        pk: number;
      }[];
      const key = cols
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      const only = key.length === 1 ? cols.find((c) => c.name === key[0]) : undefined;
      tables.set(name, {
        columns: cols.map((c) => c.name),
        key,
        serial: only !== undefined && only.type.toUpperCase() === 'INTEGER' ? only.name : null,
      });
    }
    return tables;
  }

  async count(table: string): Promise<number> {
    const row = this.#db.prepare(`SELECT count(*) AS n FROM ${quoteId(table)}`).get() as {
      n: number;
    };
    return row.n;
  }

  async snapshot(): Promise<void> {
    // A read transaction holds one snapshot of the WAL database until it ends (close).
    this.#db.exec('BEGIN');
    this.#db.prepare('SELECT count(*) FROM sqlite_master').get();
    this.#inSnapshot = true;
  }

  async readBatch(
    table: string,
    columns: readonly string[],
    key: readonly string[],
    after: readonly Cell[] | null,
    limit: number,
  ): Promise<Cell[][]> {
    const keys = key.map(quoteId).join(', ');
    const where =
      after === null
        ? ''
        : key.length === 1
          ? ` WHERE ${keys} > ?`
          : ` WHERE (${keys}) > (${key.map(() => '?').join(', ')})`;
    const stmt = this.#db.prepare(
      `SELECT ${columns.map(quoteId).join(', ')} FROM ${quoteId(table)}${where} ORDER BY ${keys} LIMIT ?`,
    );
    stmt.safeIntegers(true).raw(true);
    return stmt.all(...(after ?? []), limit) as Cell[][];
  }

  async first(sql: string): Promise<Cell[] | undefined> {
    const stmt = this.#db.prepare(sql).safeIntegers(true).raw(true);
    return stmt.get() as Cell[] | undefined;
  }

  async highWater(table: string, column: string): Promise<bigint> {
    const max = this.#db
      .prepare(`SELECT coalesce(max(${quoteId(column)}), 0) FROM ${quoteId(table)}`)
      .safeIntegers(true)
      .pluck()
      .get() as bigint;
    const seq = this.#hasSequence()
      ? (this.#db
          .prepare('SELECT seq FROM sqlite_sequence WHERE name = ?')
          .safeIntegers(true)
          .pluck()
          .get(table) as bigint | undefined)
      : undefined;
    return seq !== undefined && seq > max ? seq : max;
  }

  async raiseHighWater(table: string, _column: string, value: bigint): Promise<void> {
    // Only AUTOINCREMENT tables keep a high-water mark (sqlite_sequence); the others take max + 1.
    const sql = (
      this.#db
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")
        .get(table) as { sql: string } | undefined
    )?.sql;
    if (sql === undefined || !/AUTOINCREMENT/i.test(sql) || !this.#hasSequence()) return;
    this.#db.transaction(() => {
      const changed = this.#db
        .prepare('UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?')
        .run(value, table).changes;
      if (changed === 0)
        this.#db.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(table, value);
    })();
  }

  async readProgress(): Promise<Map<string, ProgressRow> | null> {
    const exists = this.#db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
      .get(PROGRESS_TABLE);
    if (exists === undefined) return null;
    const rows = this.#db
      .prepare(`SELECT table_name, rows, last_key, done FROM ${PROGRESS_TABLE}`)
      .all() as { table_name: string; rows: number; last_key: string | null; done: number }[];
    return new Map(
      rows.map((r) => [r.table_name, { rows: r.rows, lastKey: r.last_key, done: r.done === 1 }]),
    );
  }

  async startProgress(description: string): Promise<void> {
    this.#db.transaction(() => {
      this.#db.exec(`CREATE TABLE ${PROGRESS_TABLE} (
        table_name TEXT PRIMARY KEY,
        rows INTEGER NOT NULL,
        last_key TEXT,
        done INTEGER NOT NULL
      ) STRICT`);
      this.#progress({ table: '*', rows: 0, lastKey: description, done: false });
    })();
  }

  async writeBatch(
    table: string,
    columns: readonly string[],
    _serial: string | null,
    rows: readonly Cell[][],
    progress: ProgressRow & { table: string },
  ): Promise<void> {
    const insert = this.#db.prepare(
      `INSERT INTO ${quoteId(table)} (${columns.map(quoteId).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    this.#db.transaction(() => {
      for (const row of rows) insert.run(...row);
      this.#progress(progress);
    })();
  }

  async setProgress(progress: ProgressRow & { table: string }): Promise<void> {
    this.#progress(progress);
  }

  async dropProgress(): Promise<void> {
    this.#db.exec(`DROP TABLE IF EXISTS ${PROGRESS_TABLE}`);
  }

  async close(): Promise<void> {
    if (!this.#db.open) return;
    if (this.#inSnapshot && this.#db.inTransaction) this.#db.exec('COMMIT');
    this.#db.close();
  }

  #progress(p: ProgressRow & { table: string }): void {
    this.#db
      .prepare(
        `INSERT INTO ${PROGRESS_TABLE} (table_name, rows, last_key, done) VALUES (?, ?, ?, ?)
         ON CONFLICT (table_name) DO UPDATE SET rows = excluded.rows, last_key = excluded.last_key, done = excluded.done`,
      )
      .run(p.table, p.rows, p.lastKey, p.done ? 1 : 0);
  }

  #hasSequence(): boolean {
    return (
      this.#db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")
        .get() !== undefined
    );
  }
}
