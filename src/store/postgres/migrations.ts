import type pg from 'pg';
import { StoreError } from '../errors.ts';
import { MIGRATIONS } from './schema.ts';

/** The schema's numbered steps are in schema.ts. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/** Any constant: the advisory lock every Corral node takes to migrate, so nodes starting together migrate once. */
const MIGRATION_LOCK = 0x636f7272616c; // "corral"

/**
 * Bring the database up to SCHEMA_VERSION in one transaction under a transaction-scoped advisory lock: a
 * second node starting at the same moment waits, then finds the work done. Refuses a newer database.
 */
export async function migrate(client: pg.ClientBase, now: number): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_version (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at bigint NOT NULL
    )`);
    const current = async (): Promise<number> =>
      Number((await client.query('SELECT max(version) AS v FROM schema_version')).rows[0]?.v ?? 0);
    const found = await current();
    if (found > SCHEMA_VERSION) {
      throw new StoreError(
        'schema-too-new',
        'store',
        `the database has schema version ${found}; this Corral knows up to ${SCHEMA_VERSION}`,
      );
    }
    for (const m of MIGRATIONS) {
      if (m.version <= found) continue;
      await client.query(m.sql);
      await client.query(
        'INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)',
        [m.version, m.name, now],
      );
    }
    await client.query('COMMIT');
    return SCHEMA_VERSION;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}
