import type { Database } from 'better-sqlite3';
import { StoreError } from '../errors.ts';

/**
 * The schema, as numbered migrations recorded in `schema_migrations`. Append only: a released migration is
 * never edited; a change is a new one.
 *
 * For PostgreSQL the same tables translate one for one:
 * - `INTEGER PRIMARY KEY AUTOINCREMENT` → `bigint GENERATED ALWAYS AS IDENTITY`; times stay `bigint` ms
 *   (or `timestamptz` with conversion at the edge); `BLOB` → `bytea`; 0/1 flags → `boolean`; JSON text →
 *   `jsonb` where it is read back whole (never indexed).
 * - Every text key and range compare needs `COLLATE "C"` (byte order, as SQLite's BINARY), or prefix
 *   ranges and sort order differ.
 * - A B-tree entry is limited to ~2.7 kB in PostgreSQL: the partial (path, value) index must index
 *   `left(value, 1024)` (re-checking the full value) or a hash of it; hostile 10 kB values otherwise fail
 *   to insert. Device columns likewise, or index `md5(serial_number)` for equality.
 * - `WITHOUT ROWID` → ordinary heap tables with the same primary keys; the partial index syntax is the same.
 * - `STRICT` has no equivalent (PostgreSQL is strict already). `ON CONFLICT … DO UPDATE` is the same.
 * - Distribution (Citus) or hash partitioning by `device_key`: every per-device table carries it and
 *   every hot-path statement filters on it. Task ids and event ids come from sequences, which do not
 *   serialise transactions.
 * - Text in PostgreSQL may not contain NUL: device strings must be stored as `bytea` or escaped there
 *   (SQLite keeps NUL in TEXT). This is the one place the translation is not mechanical.
 */
interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'devices, parameters, tasks, credentials, api keys, traces',
    sql: `
CREATE TABLE devices (
  key INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  manufacturer TEXT NOT NULL,
  oui TEXT NOT NULL,
  product_class TEXT NOT NULL,
  serial_number TEXT NOT NULL,
  software_version TEXT,
  hardware_version TEXT,
  remote_address TEXT,
  first_inform_at INTEGER NOT NULL,
  last_inform_at INTEGER NOT NULL,
  last_boot_at INTEGER,
  last_bootstrap_at INTEGER,
  provisioning TEXT
) STRICT;
CREATE INDEX devices_oui ON devices (oui);
CREATE INDEX devices_product_class ON devices (product_class);
CREATE INDEX devices_serial_number ON devices (serial_number);
CREATE INDEX devices_software_version ON devices (software_version);
CREATE INDEX devices_hardware_version ON devices (hardware_version);
CREATE INDEX devices_remote_address ON devices (remote_address);
CREATE INDEX devices_last_inform_at ON devices (last_inform_at);

CREATE TABLE device_tags (
  device_key INTEGER NOT NULL REFERENCES devices (key) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  PRIMARY KEY (device_key, tag)
) STRICT, WITHOUT ROWID;
CREATE INDEX device_tags_tag ON device_tags (tag, device_key);

CREATE TABLE device_events (
  id INTEGER PRIMARY KEY,
  device_key INTEGER NOT NULL REFERENCES devices (key) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  code TEXT NOT NULL,
  command_key TEXT NOT NULL
) STRICT;
CREATE INDEX device_events_device ON device_events (device_key, id);

CREATE TABLE parameters (
  device_key INTEGER NOT NULL REFERENCES devices (key) ON DELETE CASCADE,
  path TEXT NOT NULL,
  value TEXT,
  type TEXT,
  sealed BLOB,
  writable INTEGER,
  notification INTEGER,
  access_list TEXT,
  value_at INTEGER,
  attributes_at INTEGER,
  indexed INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (device_key, path),
  CHECK (sealed IS NULL OR (value IS NULL AND indexed = 0))
) STRICT, WITHOUT ROWID;
CREATE INDEX parameters_indexed ON parameters (path, value, device_key) WHERE indexed = 1;

CREATE TABLE indexed_parameters (
  pattern TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  device_key INTEGER NOT NULL REFERENCES devices (key) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  type TEXT NOT NULL,
  args TEXT NOT NULL,
  command_key TEXT,
  state TEXT NOT NULL
    CHECK (state IN ('pending', 'running', 'awaiting', 'done', 'failed', 'cancelled')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by TEXT,
  not_before INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  claim_session TEXT,
  claimed_at INTEGER,
  lease_until INTEGER,
  deadline INTEGER,
  result TEXT,
  fault_source TEXT,
  fault_code INTEGER,
  fault_message TEXT,
  fault_detail TEXT,
  fault_at INTEGER,
  fault_permanent INTEGER,
  finished_at INTEGER,
  UNIQUE (device_key, position)
) STRICT;
CREATE INDEX tasks_device_state ON tasks (device_key, state, position);
CREATE INDEX tasks_state ON tasks (state, id);
CREATE INDEX tasks_running_lease ON tasks (lease_until) WHERE state = 'running';
CREATE INDEX tasks_awaiting_deadline ON tasks (deadline) WHERE state = 'awaiting';
CREATE INDEX tasks_faulted ON tasks (id)
  WHERE fault_source IS NOT NULL AND state IN ('pending', 'failed');
CREATE INDEX tasks_command_key ON tasks (device_key, command_key) WHERE command_key IS NOT NULL;

CREATE TABLE cpe_credentials (
  device_id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password BLOB NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE connection_request_credentials (
  device_id TEXT PRIMARY KEY,
  sealed BLOB NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE bootstrap_credentials (
  username TEXT PRIMARY KEY,
  password BLOB NOT NULL,
  allow_ouis TEXT NOT NULL,
  allow_product_classes TEXT NOT NULL,
  serial_pattern TEXT,
  enabled INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'read-only')),
  secret_hash BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT,
  expires_at INTEGER,
  revoked_at INTEGER,
  last_used_at INTEGER
) STRICT;

CREATE TABLE trace_sessions (
  id INTEGER PRIMARY KEY,
  device_key INTEGER NOT NULL REFERENCES devices (key) ON DELETE CASCADE,
  session_id TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  messages INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0,
  truncated INTEGER NOT NULL DEFAULT 0,
  UNIQUE (device_key, session_id)
) STRICT;

CREATE TABLE trace_messages (
  id INTEGER PRIMARY KEY,
  trace_id INTEGER NOT NULL REFERENCES trace_sessions (id) ON DELETE CASCADE,
  device_key INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  at INTEGER NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('cpe-to-acs', 'acs-to-cpe')),
  body TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  truncated INTEGER NOT NULL DEFAULT 0,
  UNIQUE (trace_id, seq)
) STRICT;
`,
  },
  {
    version: 2,
    name: 'files and device uploads',
    sql: `
CREATE TABLE files (
  key INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  file_type TEXT NOT NULL,
  target_oui TEXT,
  target_product_class TEXT,
  target_software_version TEXT,
  size INTEGER NOT NULL CHECK (size >= 0),
  sha256 TEXT NOT NULL,
  blob_id TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  created_by TEXT
) STRICT;
CREATE INDEX files_file_type ON files (file_type, key);

CREATE TABLE device_uploads (
  key INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  device_key INTEGER NOT NULL REFERENCES devices (key) ON DELETE CASCADE,
  file_type TEXT NOT NULL,
  name TEXT NOT NULL,
  size INTEGER NOT NULL CHECK (size >= 0),
  sha256 TEXT NOT NULL,
  blob_id TEXT NOT NULL UNIQUE,
  received_at INTEGER NOT NULL
) STRICT;
CREATE INDEX device_uploads_device ON device_uploads (device_key, key);
`,
  },
  {
    version: 3,
    name: 'provisioning presets',
    sql: `
CREATE TABLE presets (
  name TEXT PRIMARY KEY,
  definition TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by TEXT
) STRICT;
`,
  },
  {
    version: 4,
    name: 'audit log',
    sql: `
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT,
  outcome INTEGER,
  details TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, at);
CREATE INDEX audit_log_target ON audit_log (target, at);
-- Append-only even to a buggy caller (PostgreSQL: the same triggers, or REVOKE UPDATE, DELETE).
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`,
  },
  {
    version: 5,
    name: 'firmware campaigns',
    sql: `
CREATE TABLE campaigns (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN
    ('draft', 'approved', 'running', 'paused', 'completed', 'halted', 'aborted')),
  state_reason TEXT,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  approved_at INTEGER,
  approved_by TEXT,
  started_at INTEGER,
  finished_at INTEGER,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX campaigns_state ON campaigns (state, id);

-- One outcome row per device of a started campaign; the device by its integer key (store.ts).
CREATE TABLE campaign_devices (
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  device_key INTEGER NOT NULL REFERENCES devices (key) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  stage INTEGER,
  state TEXT NOT NULL CHECK (state IN
    ('pending', 'in-progress', 'succeeded', 'failed', 'skipped', 'cancelled')),
  task_id INTEGER,
  transfer TEXT,
  started_at INTEGER,
  finished_at INTEGER,
  reason TEXT,
  detail TEXT,
  PRIMARY KEY (campaign_id, device_key)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX campaign_devices_position ON campaign_devices (campaign_id, position);
CREATE INDEX campaign_devices_state ON campaign_devices (campaign_id, state, stage, position);
CREATE INDEX campaign_devices_device ON campaign_devices (device_key);
`,
  },
  {
    version: 6,
    name: 'campaign devices: the CancelTransfer queued when a campaign stops',
    sql: `
ALTER TABLE campaign_devices ADD COLUMN cancel_task_id INTEGER;
`,
  },
  {
    version: 7,
    name: 'file names unique; each signed upload URL used once',
    sql: `
-- Names given twice before this: every copy but the oldest gets its id appended, so none is lost.
UPDATE files SET name = name || ' (' || id || ')'
  WHERE key NOT IN (SELECT min(key) FROM files GROUP BY name);
CREATE UNIQUE INDEX files_name ON files (name);
-- The signed upload URL (its MAC) an upload came through: NULL for uploads recorded before this.
ALTER TABLE device_uploads ADD COLUMN grant_id TEXT;
CREATE UNIQUE INDEX device_uploads_grant ON device_uploads (grant_id) WHERE grant_id IS NOT NULL;
`,
  },
  {
    version: 8,
    name: 'console users and their browser sessions',
    sql: `
CREATE TABLE users (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT,
  password_changed_at INTEGER NOT NULL,
  last_login_at INTEGER
) STRICT, WITHOUT ROWID;
CREATE TABLE user_sessions (
  token_hash BLOB PRIMARY KEY,
  user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  idle_ms INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX user_sessions_user ON user_sessions (user_name);
CREATE INDEX user_sessions_expires ON user_sessions (expires_at);
`,
  },
  {
    version: 9,
    name: 'session traces: the HTTP status of each response',
    sql: `ALTER TABLE trace_messages ADD COLUMN http_status INTEGER;`,
  },
  {
    version: 10,
    name: 'indexed parameters: ready once every stored row is flagged',
    sql: `ALTER TABLE indexed_parameters ADD COLUMN ready INTEGER NOT NULL DEFAULT 1;`,
  },
  {
    version: 11,
    name: 'device list: a page of one product class or OUI in id order without a sort; indexes for every sort field',
    // Columns an Inform never rewrites (first_inform_at, the identity) or rewrites at a boot only: no cost on the
    // periodic Inform's hot path. (product_class, id): id order groups by product class, since ids begin with it.
    sql: `
DROP INDEX devices_product_class;
CREATE INDEX devices_product_class ON devices (product_class, id);
DROP INDEX devices_oui;
CREATE INDEX devices_oui ON devices (oui, id);
CREATE INDEX devices_first_inform_at ON devices (first_inform_at);
CREATE INDEX devices_last_boot_at ON devices (last_boot_at);
CREATE INDEX devices_last_bootstrap_at ON devices (last_bootstrap_at);
CREATE INDEX devices_manufacturer ON devices (manufacturer);
`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/** Bring the database up to SCHEMA_VERSION; each migration in its own transaction. */
export function migrate(db: Database, now: number): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const current = (): number =>
    (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null })
      .v ?? 0;
  const found = current();
  if (found > SCHEMA_VERSION) {
    throw new StoreError(
      'schema-too-new',
      'store',
      `the database has schema version ${found}; this Corral knows up to ${SCHEMA_VERSION}`,
    );
  }
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  for (const m of MIGRATIONS) {
    const apply = db.transaction(() => {
      if (current() >= m.version) return; // another process got there first
      db.exec(m.sql);
      record.run(m.version, m.name, now);
    });
    apply.immediate();
  }
  return current();
}
