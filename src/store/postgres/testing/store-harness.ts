/**
 * The store suite's harness on a real PostgreSQL: each harness a fresh database copied from a template (the
 * schema built once), with the bytes at rest (files after a checkpoint, and the WAL) and every table's row count.
 * Shared by the store's own tests and the distributed layout's.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Store, StoreOptions } from '../../store.ts';
import type { StoreHarness } from '../../store-suite.ts';
import { openPostgresStore, type PostgresStore } from '../postgres-store.ts';
import type { TestPostgres } from './embedded-postgres.ts';

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

let databases = 0;

/** A harness factory: databases named `prefix_N`, each a copy of `template`. */
export function postgresHarness(
  server: TestPostgres,
  template: string,
  prefix: string,
): (options: StoreOptions) => Promise<StoreHarness> {
  return async (options) => {
    const database = `${prefix}_${++databases}`;
    await server.createDatabase(database, template);
    const url = server.url(database);
    let store: PostgresStore = await openPostgresStore({ ...options, url, pool: { max: 4 } });
    return {
      get store(): Store {
        return store;
      },
      async reopen(overrides = {}) {
        await store.close();
        store = await openPostgresStore({ ...options, ...overrides, url, pool: { max: 4 } });
        return store;
      },
      async rawDump() {
        // The bytes at rest: the database's files after a checkpoint, and the write-ahead log.
        const oid = await withClient(url, async (c) => {
          await c.query('CHECKPOINT');
          return (await c.query('SELECT oid FROM pg_database WHERE datname = current_database()'))
            .rows[0].oid as number;
        });
        const files = [
          ...filesUnder(join(server.dataDir, 'base', String(oid))),
          ...filesUnder(join(server.dataDir, 'pg_wal')),
        ];
        return Buffer.concat(files.map((f) => readFileSync(f)));
      },
      async rowCounts() {
        return withClient(url, async (c) => {
          const tables = (
            await c.query(
              "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
            )
          ).rows as { tablename: string }[];
          const counts: Record<string, number> = {};
          for (const { tablename } of tables) {
            const r = await c.query(`SELECT count(*)::int AS n FROM "${tablename}"`);
            counts[tablename] = r.rows[0].n as number;
          }
          return counts;
        });
      },
      async destroy() {
        await store.close();
        await server.admin(`DROP DATABASE "${database}" WITH (FORCE)`);
      },
    };
  };
}
