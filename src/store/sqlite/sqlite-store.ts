import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../errors.ts';
import { SecretBox } from '../secret-box.ts';
import { settingsOf } from '../settings.ts';
import type { Store, StoreOptions } from '../store.ts';
import { Checkpointer, DEFAULT_CHECKPOINT_INTERVAL_MS } from './checkpointer.ts';
import { Context } from './context.ts';
import { migrate } from './migrations.ts';
import { SqliteApiKeys } from './sqlite-api-keys.ts';
import { SqliteAudit } from './sqlite-audit.ts';
import { SqliteCampaigns } from './sqlite-campaigns.ts';
import { SqliteCredentials } from './sqlite-credentials.ts';
import { SqliteDevices } from './sqlite-devices.ts';
import { SqliteFiles } from './sqlite-files.ts';
import { SqliteParameters } from './sqlite-parameters.ts';
import { SqlitePresets } from './sqlite-presets.ts';
import { SqliteTasks } from './sqlite-tasks.ts';
import { SqliteTraces } from './sqlite-traces.ts';
import { SqliteUserSessions } from './sqlite-user-sessions.ts';
import { SqliteUsers } from './sqlite-users.ts';
import { WalSync } from './wal-sync.ts';

export const DEFAULT_SQLITE_PATH = './data/corral.db';

export interface SqliteStoreOptions extends StoreOptions {
  /** The database file (created with its directory, owner-only); default `./data/corral.db`. */
  path?: string;
  /**
   * 'full' (default): a committed write — a queued task, a result — survives a power loss. 'normal':
   * it survives a crash of the ACS process, but the last transactions may be lost with the machine.
   */
  synchronous?: 'full' | 'normal';
  /** How long a write waits for another process's write lock; default 5 s. */
  busyTimeoutMs?: number;
  /**
   * Group commit (group-commit.ts): commits come at most this often, each carrying every write made since the
   * previous one; a call resolves once its write is committed. 0: a transaction per call. Default 2 ms.
   */
  groupCommitMs?: number;
  /**
   * WAL checkpoints in a thread of their own (checkpointer.ts) rather than inside whichever COMMIT takes the WAL
   * past 1,000 pages: what a server wants (`corral serve`); a short-lived store (a CLI command, a test) has no
   * use for the thread. Default false.
   */
  backgroundCheckpoints?: boolean;
  /** Checkpoints stopped in the background (the store carries on, checkpointing as it commits). */
  onBackgroundError?: (message: string) => void;
  /** With background checkpoints: the WAL's length, in frames, at which it is started over (checkpointer.ts). */
  walRestartFrames?: number;
}

export const DEFAULT_GROUP_COMMIT_MS = 2;
/** SQLite's own default: a connection checkpoints when its commit takes the WAL past this many pages. */
const AUTOCHECKPOINT_PAGES = 1000;

/**
 * The store on embedded SQLite (better-sqlite3): WAL journal, foreign keys on, prepared statements,
 * schema migrations. Each store call is atomic (a savepoint of a group commit, group-commit.ts); better-sqlite3
 * is synchronous, so a call holds the event loop for its duration (microseconds to milliseconds).
 */
export class SqliteStore implements Store {
  readonly path: string;
  readonly devices: SqliteDevices;
  readonly parameters: SqliteParameters;
  readonly tasks: SqliteTasks;
  readonly credentials: SqliteCredentials;
  readonly apiKeys: SqliteApiKeys;
  readonly traces: SqliteTraces;
  readonly files: SqliteFiles;
  readonly presets: SqlitePresets;
  readonly audit: SqliteAudit;
  readonly campaigns: SqliteCampaigns;
  readonly users: SqliteUsers;
  readonly userSessions: SqliteUserSessions;
  readonly schemaVersion: number;
  readonly #ctx: Context;
  readonly #checkpointer: Checkpointer | null;

  private constructor(
    path: string,
    ctx: Context,
    schemaVersion: number,
    checkpointer: Checkpointer | null,
  ) {
    this.path = path;
    this.#ctx = ctx;
    this.#checkpointer = checkpointer;
    this.schemaVersion = schemaVersion;
    this.parameters = new SqliteParameters(ctx);
    this.devices = new SqliteDevices(ctx, this.parameters);
    this.tasks = new SqliteTasks(ctx, this.parameters);
    this.credentials = new SqliteCredentials(ctx);
    this.apiKeys = new SqliteApiKeys(ctx);
    this.traces = new SqliteTraces(ctx);
    this.files = new SqliteFiles(ctx);
    this.presets = new SqlitePresets(ctx);
    this.audit = new SqliteAudit(ctx);
    this.campaigns = new SqliteCampaigns(ctx);
    this.users = new SqliteUsers(ctx);
    this.userSessions = new SqliteUserSessions(ctx);
  }

  static open(options: SqliteStoreOptions): SqliteStore {
    const box = new SecretBox(options.secretKey);
    const settings = settingsOf(options);
    const clock = options.clock ?? Date.now;
    const path = options.path ?? DEFAULT_SQLITE_PATH;
    const memory = path === ':memory:' || path === '';
    if (!memory) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      closeSync(openSync(path, 'a', 0o600)); // SQLite gives its -wal and -shm files the same mode
    }
    const db = new Database(path);
    let sync: WalSync | null = null;
    try {
      if (!memory) {
        const mode = db.pragma('journal_mode = WAL', { simple: true });
        if (mode !== 'wal')
          throw new StoreError('invalid', 'store', `WAL is unavailable (${mode})`);
      }
      db.pragma('foreign_keys = ON');
      const groupCommitMs = options.groupCommitMs ?? DEFAULT_GROUP_COMMIT_MS;
      if (!(Number.isFinite(groupCommitMs) && groupCommitMs >= 0 && groupCommitMs <= 1000))
        throw new StoreError('invalid', 'store', 'groupCommitMs is from 0 to 1000');
      db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
      db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
      const version = migrate(db, clock());
      // The migrations above committed with SQLite's own fsync; from now on FULL is kept with the fsync in the
      // thread pool: a group's COMMIT only writes the WAL (wal-sync.ts).
      if (!memory && options.synchronous !== 'normal' && groupCommitMs > 0) {
        sync = WalSync.open(path);
        db.pragma('synchronous = NORMAL');
      }
      const checkpointer =
        options.backgroundCheckpoints === true && !memory
          ? backgroundCheckpointer(db, path, options)
          : null;
      const ctx = new Context(db, box, settings, clock, {
        intervalMs: groupCommitMs,
        committed: () => checkpointer?.committed(),
        sync,
      });
      return new SqliteStore(path, ctx, version, checkpointer);
    } catch (e) {
      sync?.close();
      db.close();
      throw e;
    }
  }

  async close(): Promise<void> {
    this.traces.stop();
    // The thread's connection goes first: the store's, closed last, checkpoints what is left and removes the WAL.
    await this.#checkpointer?.close();
    this.#ctx.close();
  }
}

function backgroundCheckpointer(
  db: Database.Database,
  path: string,
  options: SqliteStoreOptions,
): Checkpointer {
  db.pragma('wal_autocheckpoint = 0');
  return new Checkpointer(
    path,
    {
      synchronous: options.synchronous ?? 'full',
      intervalMs: DEFAULT_CHECKPOINT_INTERVAL_MS,
      ...(options.walRestartFrames === undefined
        ? {}
        : { restartFrames: options.walRestartFrames }),
    },
    {
      fallBack: () => {
        if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
      },
      topUp: () => {
        try {
          db.pragma('wal_checkpoint(PASSIVE)');
        } catch {
          // Busy or failing: the WAL is started over at a later top-up; the thread reports what keeps failing.
        }
      },
      failed: options.onBackgroundError ?? (() => {}),
    },
  );
}

export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  return SqliteStore.open(options);
}
