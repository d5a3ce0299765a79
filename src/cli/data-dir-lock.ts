import { join } from 'node:path';
import Database from 'better-sqlite3';

const LOCK_FILE = 'corral.lock';

/** Another process holds the data directory. */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
}

export interface DataDirLock {
  release(): void;
}

/**
 * One `corral serve` per data directory: two would each accept what the other refused (Digest nonces,
 * a device's second session). The lock is a write transaction held on `<dataDir>/corral.lock` for the
 * process's life — an fcntl lock, which the kernel drops when the process dies however it dies, so a
 * kill -9 leaves nothing that blocks the next start (a lock *file* alone would).
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  // timeout 0: a second process is told at once rather than after SQLite's busy wait.
  const db = new Database(path, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // SQLite takes no lock on an empty file: give it a table, then take the write lock and keep it.
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER)');
    db.exec('BEGIN EXCLUSIVE');
    db.prepare('DELETE FROM holder').run();
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new DataDirLockedError(
        `the data directory ${dataDir} is in use by another corral serve (${path} is locked)`,
      );
    }
    throw error;
  }
  return {
    release: () => {
      if (db.open) db.close();
    },
  };
}
