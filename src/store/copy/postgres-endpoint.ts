import pg from 'pg';
import { fromDb, toDb } from '../postgres/text-escape.ts';
import {
  type Cell,
  type CopyEndpoint,
  PROGRESS_TABLE,
  type ProgressRow,
  quoteId,
  type TableInfo,
} from './endpoint.ts';

/** int2, int4, int8: read as bigint. */
const INTEGER_TYPES = new Set([20, 21, 23]);
/** Every copy takes this session lock on its target: two copies into one database would mix. */
const COPY_LOCK = 0x636f707921; // "copy!"

/**
 * A PostgreSQL database as one end of a copy, on one connection (a source's reads share one snapshot).
 * Text is escaped as the PostgreSQL store keeps it (text-escape.ts): unescaped on reading, escaped on writing.
 */
export class PostgresEndpoint implements CopyEndpoint {
  readonly engine = 'postgres' as const;
  readonly place: string;
  readonly #client: pg.Client;
  /** Each table's column types (udt names: int8, text, bytea, …), as tables() found them. */
  readonly #types = new Map<string, Map<string, string>>();
  #inSnapshot = false;

  private constructor(client: pg.Client, place: string) {
    this.#client = client;
    this.place = place;
  }

  static async connect(url: string, place: string): Promise<PostgresEndpoint> {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => {}); // a lost connection fails the next query, which says so
    await client.connect();
    return new PostgresEndpoint(client, place);
  }

  /** The target's lock: false when another copy holds it. */
  async lock(): Promise<boolean> {
    const r = await this.#client.query('SELECT pg_try_advisory_lock($1) AS ok', [COPY_LOCK]);
    return r.rows[0].ok === true;
  }

  async tables(): Promise<Map<string, TableInfo>> {
    const cols = await this.#client.query(
      `SELECT c.table_name, c.column_name, c.is_identity, c.udt_name
         FROM information_schema.columns c
         JOIN information_schema.tables t
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
        ORDER BY c.table_name, c.ordinal_position`,
    );
    const keys = await this.#client.query(
      `SELECT cl.relname AS table_name, a.attname AS column_name
         FROM pg_index i
         JOIN pg_class cl ON cl.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = cl.relnamespace AND n.nspname = current_schema()
         JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
         JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum = k.attnum
        WHERE i.indisprimary
        ORDER BY cl.relname, k.ord`,
    );
    const tables = new Map<string, TableInfo>();
    for (const r of cols.rows as {
      table_name: string;
      column_name: string;
      is_identity: string;
      udt_name: string;
    }[]) {
      let t = tables.get(r.table_name);
      if (t === undefined) {
        t = { columns: [], key: [], serial: null };
        tables.set(r.table_name, t);
        this.#types.set(r.table_name, new Map());
      }
      this.#types.get(r.table_name)!.set(r.column_name, r.udt_name);
      t.columns.push(r.column_name);
      if (r.is_identity === 'YES') t.serial = r.column_name;
    }
    for (const r of keys.rows as { table_name: string; column_name: string }[]) {
      tables.get(r.table_name)?.key.push(r.column_name);
    }
    return tables;
  }

  async count(table: string): Promise<number> {
    const r = await this.#client.query(`SELECT count(*)::text AS n FROM ${quoteId(table)}`);
    return Number(r.rows[0].n);
  }

  async snapshot(): Promise<void> {
    await this.#client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
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
          ? ` WHERE ${keys} > $1`
          : ` WHERE (${keys}) > (${key.map((_, i) => `$${i + 1}`).join(', ')})`;
    const args = [...(after ?? []).map(toPg), limit];
    return this.#rows(
      `SELECT ${columns.map(quoteId).join(', ')} FROM ${quoteId(table)}${where} ORDER BY ${keys} LIMIT $${args.length}`,
      args,
    );
  }

  async first(sql: string): Promise<Cell[] | undefined> {
    return (await this.#rows(sql, []))[0];
  }

  async highWater(table: string, column: string): Promise<bigint> {
    const max = await this.#client.query(
      `SELECT coalesce(max(${quoteId(column)}), 0)::text AS n FROM ${quoteId(table)}`,
    );
    let high = BigInt(max.rows[0].n);
    const seq = await this.#sequence(table, column);
    if (seq !== null) {
      const r = await this.#client.query(
        `SELECT last_value::text AS v, is_called FROM ${seq}`, // a regclass name, quoted by PostgreSQL
      );
      const last = BigInt(r.rows[0].v);
      if (r.rows[0].is_called === true && last > high) high = last;
    }
    return high;
  }

  async raiseHighWater(table: string, column: string, value: bigint): Promise<void> {
    if (value <= 0n) return;
    const seq = await this.#sequence(table, column);
    if (seq === null) return;
    await this.#client.query('SELECT setval($1::regclass, $2::bigint, true)', [
      seq,
      value.toString(),
    ]);
  }

  async readProgress(): Promise<Map<string, ProgressRow> | null> {
    const exists = await this.#client.query('SELECT to_regclass($1) IS NOT NULL AS ok', [
      PROGRESS_TABLE,
    ]);
    if (exists.rows[0].ok !== true) return null;
    const r = await this.#client.query(
      `SELECT table_name, rows::text AS rows, last_key, done FROM ${PROGRESS_TABLE}`,
    );
    return new Map(
      (r.rows as { table_name: string; rows: string; last_key: string | null; done: number }[]).map(
        (row) => [
          row.table_name,
          { rows: Number(row.rows), lastKey: row.last_key, done: row.done === 1 },
        ],
      ),
    );
  }

  async startProgress(description: string): Promise<void> {
    await this.#transaction(async () => {
      await this.#client.query(`CREATE TABLE ${PROGRESS_TABLE} (
        table_name text PRIMARY KEY,
        rows bigint NOT NULL,
        last_key text,
        done smallint NOT NULL
      )`);
      await this.#progress({ table: '*', rows: 0, lastKey: description, done: false });
    });
  }

  async writeBatch(
    table: string,
    columns: readonly string[],
    serial: string | null,
    rows: readonly Cell[][],
    progress: ProgressRow & { table: string },
  ): Promise<void> {
    // One array a column, unnested into rows: a statement of as many parameters as columns, whatever the batch.
    const types = this.#types.get(table);
    const cast = columns.map((c) => types?.get(c));
    if (cast.some((t) => t === undefined || !/^[a-z0-9_]+$/.test(t)))
      throw new Error(`the target's table ${table} is not known (tables() first)`);
    const sql = `INSERT INTO ${quoteId(table)} (${columns.map(quoteId).join(', ')})${
      serial === null ? '' : ' OVERRIDING SYSTEM VALUE'
    } SELECT * FROM unnest(${cast.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`;
    const arrays = columns.map((_, c) => rows.map((row) => toPg(row[c] ?? null)));
    await this.#transaction(async () => {
      if (rows.length > 0) await this.#client.query(sql, arrays);
      await this.#progress(progress);
    });
  }

  async setProgress(progress: ProgressRow & { table: string }): Promise<void> {
    await this.#progress(progress);
  }

  async dropProgress(): Promise<void> {
    await this.#client.query(`DROP TABLE IF EXISTS ${PROGRESS_TABLE}`);
  }

  async close(): Promise<void> {
    if (this.#inSnapshot) await this.#client.query('COMMIT').catch(() => {});
    await this.#client.end().catch(() => {});
  }

  async #rows(sql: string, args: unknown[]): Promise<Cell[][]> {
    const r = await this.#client.query({ text: sql, values: args, rowMode: 'array' });
    const integer = r.fields.map((f) => INTEGER_TYPES.has(f.dataTypeID));
    return (r.rows as unknown[][]).map((row) =>
      row.map((v, i): Cell => {
        if (v === null || v === undefined) return null;
        if (integer[i]) return BigInt(v as string | number);
        if (typeof v === 'string') return fromDb(v);
        return v as Cell;
      }),
    );
  }

  async #sequence(table: string, column: string): Promise<string | null> {
    const r = await this.#client.query('SELECT pg_get_serial_sequence($1, $2) AS s', [
      quoteId(table),
      column,
    ]);
    return (r.rows[0]?.s as string | null) ?? null;
  }

  async #progress(p: ProgressRow & { table: string }): Promise<void> {
    await this.#client.query(
      `INSERT INTO ${PROGRESS_TABLE} (table_name, rows, last_key, done) VALUES ($1, $2, $3, $4)
       ON CONFLICT (table_name) DO UPDATE SET rows = excluded.rows, last_key = excluded.last_key, done = excluded.done`,
      [p.table, p.rows, p.lastKey, p.done ? 1 : 0],
    );
  }

  async #transaction(fn: () => Promise<void>): Promise<void> {
    await this.#client.query('BEGIN');
    try {
      await fn();
      await this.#client.query('COMMIT');
    } catch (e) {
      await this.#client.query('ROLLBACK').catch(() => {});
      throw e;
    }
  }
}

/** A neutral cell as a statement parameter: text escaped, integers as decimal text. */
function toPg(c: Cell): unknown {
  if (typeof c === 'string') return toDb(c);
  if (typeof c === 'bigint') return c.toString();
  return c;
}
