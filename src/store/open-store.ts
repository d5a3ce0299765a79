/**
 * One way to name a store on the command line or in a config file: `sqlite:DIR` or a plain DIR (SQLite, the
 * default: the database is DIR/corral.db, as `--data-dir` has it), `postgres://…` or `postgresql://…`
 * (PostgreSQL). A wrong spec is a one-line 'invalid' StoreError that never repeats the spec (it may carry a
 * password).
 */
import { join, resolve } from 'node:path';
import type pg from 'pg';
import { StoreError } from './errors.ts';
import { openPostgresStore } from './postgres/postgres-store.ts';
import { openSqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store.ts';
import type { Store, StoreOptions } from './store.ts';

export interface OpenStoreOptions extends StoreOptions {
  /** SQLite settings other than the path (the spec gives its directory). */
  sqlite?: Omit<SqliteStoreOptions, keyof StoreOptions | 'path'>;
  /** node-postgres pool settings (pool size, TLS, …) over the URL's. */
  postgres?: { pool?: pg.PoolConfig };
}

export type StoreSpec = { engine: 'sqlite'; dir: string } | { engine: 'postgres'; url: string };

/** The SQLite database's file in its data directory. */
export const SQLITE_FILE = 'corral.db';

/** A URL scheme of two or more letters (a one-letter one is a Windows drive: `C:\data\corral.db`). */
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]+):/;

export function parseStoreSpec(spec: string): StoreSpec {
  if (typeof spec !== 'string' || spec.trim() === '') {
    throw new StoreError('invalid', 'store', 'a store is a directory, sqlite:DIR or postgres://…');
  }
  const scheme = SCHEME.exec(spec)?.[1]?.toLowerCase();
  if (scheme === undefined) return { engine: 'sqlite', dir: spec };
  if (scheme === 'sqlite') {
    const rest = spec.slice('sqlite:'.length);
    const dir = rest.startsWith('//') ? rest.slice(2) : rest;
    if (dir === '') throw new StoreError('invalid', 'store', 'sqlite: needs a directory');
    return { engine: 'sqlite', dir };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    try {
      new URL(spec);
    } catch {
      throw new StoreError('invalid', 'store', `the ${scheme}: URL is malformed`);
    }
    return { engine: 'postgres', url: spec };
  }
  // Only the scheme, cut short: the rest of an unknown URL may hold a password.
  throw new StoreError(
    'invalid',
    'store',
    `unknown store '${scheme.slice(0, 32)}:' (use a directory, sqlite:DIR or postgres://…)`,
  );
}

/** Where a store is, for messages: `sqlite:/abs/dir`, or `postgres://host:port/db` (never the user or password). */
export function placeOf(spec: StoreSpec): string {
  if (spec.engine === 'sqlite') return `sqlite:${resolve(spec.dir)}`;
  const u = new URL(spec.url);
  return `postgres://${u.hostname}:${u.port || '5432'}${u.pathname}`;
}

export async function openStore(spec: string, options: OpenStoreOptions): Promise<Store> {
  const parsed = parseStoreSpec(spec);
  const { sqlite, postgres, ...common } = options;
  if (parsed.engine === 'sqlite') {
    return openSqliteStore({ ...sqlite, ...common, path: join(parsed.dir, SQLITE_FILE) });
  }
  return openPostgresStore({ ...common, ...postgres, url: parsed.url });
}
