/** For this folder's tests: a SQLite store in a file of its own, and the way to remove both. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECRET_KEY } from '../suite/harness.ts';
import { openSqliteStore, type SqliteStore } from './sqlite-store.ts';

export interface TempSqliteStore {
  store: SqliteStore;
  /** The database file, for a second connection (another process's, as far as the store can tell). */
  path: string;
  /** Closes the store and removes its directory. */
  destroy: () => Promise<void>;
}

export async function openTempSqliteStore(prefix: string): Promise<TempSqliteStore> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, 'corral.db');
  const store = await openSqliteStore({ path, secretKey: SECRET_KEY, synchronous: 'normal' });
  return {
    store,
    path,
    destroy: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
