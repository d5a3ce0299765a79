import type pg from 'pg';
import { StoreError } from '../errors.ts';
import { SecretBox } from '../secret-box.ts';
import { settingsOf } from '../settings.ts';
import type { Store, StoreOptions } from '../store.ts';
import { PgContext, poolOf } from './context.ts';
import { migrate } from './migrations.ts';
import { PgApiKeys } from './pg-api-keys.ts';
import { PgAudit } from './pg-audit.ts';
import { PgCampaigns } from './pg-campaigns.ts';
import { PgCredentials } from './pg-credentials.ts';
import { PgDevices } from './pg-devices.ts';
import { PgFiles } from './pg-files.ts';
import { PgParameters } from './pg-parameters.ts';
import { PgPresets } from './pg-presets.ts';
import { PgTasks } from './pg-tasks.ts';
import { PgTraces } from './pg-traces.ts';
import { PgUserSessions } from './pg-user-sessions.ts';
import { PgUsers } from './pg-users.ts';

export interface PostgresStoreOptions extends StoreOptions {
  /** `postgres://user:password@host:port/database`; or give `pool` instead. */
  url?: string;
  /** node-postgres pool settings (host, user, ssl, max, …), merged over `url`. */
  pool?: pg.PoolConfig;
}

/**
 * The store on PostgreSQL (node-postgres, pooled): the SQLite store's schema and statements translated,
 * so both pass the same suite. Several Corral nodes may share one database: migrations run once under an
 * advisory lock, and writes are SERIALIZABLE transactions retried on conflict (context.ts).
 */
export class PostgresStore implements Store {
  readonly devices: PgDevices;
  readonly parameters: PgParameters;
  readonly tasks: PgTasks;
  readonly credentials: PgCredentials;
  readonly apiKeys: PgApiKeys;
  readonly traces: PgTraces;
  readonly files: PgFiles;
  readonly presets: PgPresets;
  readonly audit: PgAudit;
  readonly campaigns: PgCampaigns;
  readonly users: PgUsers;
  readonly userSessions: PgUserSessions;
  readonly schemaVersion: number;
  readonly #ctx: PgContext;

  private constructor(ctx: PgContext, schemaVersion: number) {
    this.#ctx = ctx;
    this.schemaVersion = schemaVersion;
    this.parameters = new PgParameters(ctx);
    this.devices = new PgDevices(ctx, this.parameters);
    this.tasks = new PgTasks(ctx, this.parameters);
    this.credentials = new PgCredentials(ctx);
    this.apiKeys = new PgApiKeys(ctx);
    this.traces = new PgTraces(ctx);
    this.files = new PgFiles(ctx);
    this.presets = new PgPresets(ctx);
    this.audit = new PgAudit(ctx);
    this.campaigns = new PgCampaigns(ctx);
    this.users = new PgUsers(ctx);
    this.userSessions = new PgUserSessions(ctx);
  }

  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const box = new SecretBox(options.secretKey);
    const settings = settingsOf(options);
    const clock = options.clock ?? Date.now;
    if (options.url === undefined && options.pool === undefined) {
      throw new StoreError('invalid', 'store', 'a PostgreSQL store needs a url or pool settings');
    }
    const pool = poolOf({
      connectionTimeoutMillis: POOL_WAIT_MS,
      ...(options.url === undefined ? {} : poolSettingsOf(options.url)),
      ...options.pool,
    });
    // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    try {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (e) {
        throw connectionError(e as Error & { code?: string });
      }
      let version: number;
      try {
        version = await migrate(client, clock());
      } finally {
        client.release();
      }
      return new PostgresStore(new PgContext(pool, box, settings, clock), version);
    } catch (e) {
      await pool.end().catch(() => {});
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.#ctx.close();
  }
}

/** A failed connection, named without the URL (it may hold a password). */
function connectionError(e: Error & { code?: string }): StoreError {
  const why = e.code === undefined ? 'the connection failed' : `error ${e.code}`;
  return new StoreError('invalid', 'store', `cannot connect to PostgreSQL (${why})`);
}

export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  return PostgresStore.open(options);
}

/** How long a call waits for a free connection before it fails as the database being unavailable (a 503). */
const POOL_WAIT_MS = 10_000;

/**
 * The URL as node-postgres takes it, and `?max=N`, the pool's size (node-postgres's default 10), which
 * node-postgres reads from its options only.
 */
function poolSettingsOf(url: string): pg.PoolConfig {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { connectionString: url };
  }
  const max = parsed.searchParams.get('max');
  if (max === null) return { connectionString: url };
  const n = Number(max);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new StoreError(
      'invalid',
      'store',
      `the pool size ?max= is from 1 to 1000, not "${max.slice(0, 20)}"`,
    );
  parsed.searchParams.delete('max');
  return { connectionString: parsed.toString(), max: n };
}
