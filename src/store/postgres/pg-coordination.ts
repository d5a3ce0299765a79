import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import type { Coordination, Leadership } from '../coordination.ts';

/** The database's clock in ms: holds are judged by one clock, whatever the nodes' own say. */
const DB_NOW = '(extract(epoch from clock_timestamp()) * 1000)::bigint';
/** Advisory lock space of Corral's roles (the other key is the role's hashtext). */
const LOCK_SPACE = 0x436f7272; // 'Corr'
/** How often a node that does not lead tries again, and how soon it reconnects a lost listener. */
const RETRY_MS = 2_000;

/**
 * Coordination of the ACS nodes on one PostgreSQL database (store/coordination.ts):
 * - device holds are rows of `device_holds`, keyed by md5 of the device id, valid until a time on the database's
 *   clock; a node takes a lapsed hold, or one of its own (its session registry decides among its own sessions);
 * - a role is a session-level advisory lock held by the node's own connection: when the node dies, its
 *   connection does, and another node's next try (every 2 s) takes the role;
 * - broadcasts are NOTIFY on that connection's channels, tagged with the sender so it ignores its own.
 * The node's own connection is reopened when lost (the database restarted): roles are given up meanwhile and
 * competed for again.
 */
export class PgCoordination implements Coordination {
  readonly exclusive = false;
  readonly nodeId: string;
  readonly #pool: pg.Pool;
  readonly #connect: () => pg.Client;
  #client: pg.Client | null = null;
  #connecting: Promise<pg.Client> | null = null;
  readonly #channels = new Map<string, Set<(message: string) => void>>();
  readonly #roles = new Map<string, Role>();
  #closed = false;
  #retry: NodeJS.Timeout | null = null;
  readonly #onError: (error: Error) => void;

  /** `pool` runs the holds and broadcasts; `connect` makes the node's own connection (roles, LISTEN). */
  constructor(options: {
    pool: pg.Pool;
    connect: () => pg.Client;
    nodeId?: string;
    onError?: (error: Error) => void;
  }) {
    this.#pool = options.pool;
    this.#connect = options.connect;
    this.nodeId =
      options.nodeId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.#onError = options.onError ?? (() => {});
  }

  async holdDevice(deviceId: string, sessionId: string, ttlMs: number): Promise<boolean> {
    const result = await this.#pool.query(
      `INSERT INTO device_holds (device_hash, node_id, session_id, until)
         VALUES (decode(md5($1), 'hex'), $2, $3, ${DB_NOW} + $4)
       ON CONFLICT (device_hash) DO UPDATE
         SET node_id = excluded.node_id, session_id = excluded.session_id, until = excluded.until
         WHERE device_holds.until < ${DB_NOW} OR device_holds.node_id = excluded.node_id`,
      [deviceId, this.nodeId, sessionId, Math.trunc(ttlMs)],
    );
    return result.rowCount === 1;
  }

  async releaseDevice(deviceId: string, sessionId: string): Promise<void> {
    // Only this session's: a late release must not free the hold of the session that replaced it.
    await this.#pool.query(
      `DELETE FROM device_holds
        WHERE device_hash = decode(md5($1), 'hex') AND node_id = $2 AND session_id = $3`,
      [deviceId, this.nodeId, sessionId],
    );
  }

  lead(role: string, onChange: (leading: boolean) => void): Leadership {
    const entry: Role = { name: role, onChange, leading: false };
    this.#roles.set(role, entry);
    void this.#tryRoles();
    return {
      stop: async () => {
        this.#roles.delete(role);
        if (!entry.leading) return;
        entry.leading = false;
        onChange(false);
        await this.#client
          ?.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_SPACE, role])
          .catch(() => undefined);
      },
    };
  }

  async broadcast(channel: string, message: string): Promise<void> {
    await this.#pool.query('SELECT pg_notify($1, $2)', [channel, `${this.nodeId}\n${message}`]);
  }

  listen(channel: string, onMessage: (message: string) => void): () => void {
    let listeners = this.#channels.get(channel);
    if (listeners === undefined) {
      listeners = new Set();
      this.#channels.set(channel, listeners);
      void this.#client?.query(`LISTEN ${identifier(channel)}`).catch(() => undefined);
      void this.#ensureClient().catch(() => this.#schedule()); // retried until it connects
    }
    listeners.add(onMessage);
    return () => listeners.delete(onMessage);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry !== null) clearTimeout(this.#retry);
    for (const role of this.#roles.values()) {
      if (role.leading) {
        role.leading = false;
        role.onChange(false);
      }
    }
    this.#roles.clear();
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => undefined);
  }

  /** The node's own connection, opened (with its LISTENs) if there is none. */
  #ensureClient(): Promise<pg.Client> {
    if (this.#client !== null) return Promise.resolve(this.#client);
    this.#connecting ??= (async () => {
      const client = this.#connect();
      client.on('error', (error) => this.#lost(client, error));
      client.on('end', () => this.#lost(client, null));
      client.on('notification', (n) => this.#deliver(n.channel, n.payload ?? ''));
      try {
        await client.connect();
        if (this.#closed) throw new Error('coordination closed');
        // Set first: a channel listened to from now on is LISTENed at once, the others here.
        this.#client = client;
        for (const channel of this.#channels.keys())
          await client.query(`LISTEN ${identifier(channel)}`);
      } catch (error) {
        if (this.#client === client) this.#client = null;
        await client.end().catch(() => undefined);
        throw error;
      }
      return client;
    })().finally(() => {
      this.#connecting = null;
    });
    return this.#connecting;
  }

  /** The connection is gone: its locks went with it, so every role held is lost; try again shortly. */
  #lost(client: pg.Client, error: Error | null): void {
    if (this.#client !== client) return;
    this.#client = null;
    if (error !== null) this.#onError(error);
    for (const role of this.#roles.values()) {
      if (role.leading) {
        role.leading = false;
        role.onChange(false);
      }
    }
    this.#schedule();
  }

  async #tryRoles(): Promise<void> {
    if (this.#closed) return;
    try {
      const client = await this.#ensureClient();
      for (const role of this.#roles.values()) {
        if (role.leading) continue;
        const r = await client.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [
          LOCK_SPACE,
          role.name,
        ]);
        if (r.rows[0]?.ok === true && this.#roles.get(role.name) === role && !this.#closed) {
          role.leading = true;
          role.onChange(true);
        }
      }
    } catch (error) {
      this.#onError(error as Error);
    }
    this.#schedule();
  }

  #schedule(): void {
    if (this.#closed || this.#retry !== null) return;
    const waiting = [...this.#roles.values()].some((r) => !r.leading);
    if (!waiting && (this.#client !== null || this.#channels.size === 0)) return;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      void this.#tryRoles();
    }, RETRY_MS);
    this.#retry.unref();
  }

  #deliver(channel: string, payload: string): void {
    const newline = payload.indexOf('\n');
    if (newline === -1 || payload.slice(0, newline) === this.nodeId) return;
    const message = payload.slice(newline + 1);
    for (const listener of this.#channels.get(channel) ?? []) listener(message);
  }
}

interface Role {
  name: string;
  onChange: (leading: boolean) => void;
  leading: boolean;
}

/** A channel name as an SQL identifier (LISTEN takes no parameter): letters, digits and underscores only. */
function identifier(channel: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`bad channel name ${channel}`);
  return channel;
}
