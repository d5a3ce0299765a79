import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type Coordination, LocalCoordination } from '../store/coordination.ts';
import { parseStoreSpec, placeOf, SQLITE_FILE, type StoreSpec } from '../store/open-store.ts';
import { type Cell, checkSecretKey, type FirstRow } from '../store/secret-key-check.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import type { Logger } from './logger.ts';
import type { ServeConfig } from './serve-config.ts';

export interface OpenedStore {
  store: Store;
  coordination: Coordination;
  /** Where it is, for messages: the SQLite file, or PostgreSQL's host and database (never the password). */
  where: string;
}

/** `--store`, or SQLite in the data directory when none is given. */
export function storeSpecOf(config: ServeConfig): StoreSpec {
  return config.store === null
    ? { engine: 'sqlite', dir: config.dataDir }
    : parseStoreSpec(config.store);
}

/**
 * The store `corral serve` runs on, and how it shares it: SQLite alone (its data directory is locked to this
 * process), PostgreSQL with every other node on the database (device holds, the campaign runner's leader, the
 * change feed: pg-coordination.ts). Errors name the place, never the password.
 */
export async function openServeStore(
  config: ServeConfig,
  secretKey: Uint8Array,
  log: Logger,
): Promise<OpenedStore> {
  const spec = storeSpecOf(config);
  if (spec.engine === 'sqlite') {
    const path = join(spec.dir, SQLITE_FILE);
    const store = await openSqliteStore({
      path,
      secretKey,
      synchronous: config.sqliteSynchronous,
      groupCommitMs: config.sqliteGroupCommitMs,
      backgroundCheckpoints: true,
      onBackgroundError: (message) => log('sqlite-checkpoint-error', { error: message }, 'warn'),
    }).catch((error: unknown) => {
      throw new Error(`cannot open the database ${path}: ${(error as Error).message}`);
    });
    await keyOpensSecrets(store, secretKey, async (first) => {
      const db = new Database(path, { readonly: true, fileMustExist: true });
      try {
        return await first((sql) =>
          Promise.resolve(db.prepare(sql).raw().get() as Cell[] | undefined),
        );
      } finally {
        db.close();
      }
    });
    return { store, coordination: new LocalCoordination(), where: path };
  }
  // Loaded only when asked for: a SQLite installation never loads the PostgreSQL driver.
  const [{ default: pg }, { openPostgresStore }, { PgCoordination }, { fromDb }] =
    await Promise.all([
      import('pg'),
      import('../store/postgres/postgres-store.ts'),
      import('../store/postgres/pg-coordination.ts'),
      import('../store/postgres/text-escape.ts'),
    ]);
  const where = placeOf(spec);
  const store = await openPostgresStore({ url: spec.url, secretKey }).catch((error: unknown) => {
    throw new Error(`cannot open the database ${where}: ${(error as Error).message}`);
  });
  await keyOpensSecrets(store, secretKey, async (first) => {
    const client = new pg.Client({ connectionString: spec.url });
    await client.connect();
    try {
      return await first(async (sql) => {
        const row = (await client.query({ text: sql, rowMode: 'array' })).rows[0] as
          | Cell[]
          | undefined;
        return row?.map((v) => (typeof v === 'string' ? fromDb(v) : v));
      });
    } finally {
      await client.end();
    }
  });
  const pool = new pg.Pool({ connectionString: spec.url, max: 2 });
  pool.on('error', () => {}); // an idle connection lost: the next query opens another
  const coordination = new PgCoordination({
    pool,
    connect: () => new pg.Client({ connectionString: spec.url }),
    onError: (error) => log('coordination-error', { error: error.message }, 'warn'),
  });
  const close = coordination.close.bind(coordination);
  coordination.close = async () => {
    await close();
    await pool.end();
  };
  log('store', { engine: 'postgres', database: where, node: coordination.nodeId });
  return { store, coordination, where };
}

/**
 * A node given another key than the one the database's secrets were sealed with refuses to start (closing the
 * store), rather than failing on each secret later. `withReader` opens a plain connection for the check.
 */
async function keyOpensSecrets(
  store: Store,
  key: Uint8Array,
  withReader: (check: (first: FirstRow) => Promise<number>) => Promise<number>,
): Promise<void> {
  try {
    await withReader((first) => checkSecretKey(first, key, "the database's"));
  } catch (error) {
    await store.close();
    throw error;
  }
}
