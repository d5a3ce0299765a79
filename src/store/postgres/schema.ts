import { keyOf } from './index-key.ts';

/**
 * The schema of sqlite/migrations.ts, translated (same version numbers, same tables, columns and index
 * names), recorded in `schema_version`; past SQLite's last version, what only several nodes need. Append only,
 * like SQLite's.
 *
 * The translation: INTEGER → bigint (times are ms), AUTOINCREMENT keys → identity columns, BLOB → bytea,
 * TEXT → text COLLATE "C" (code-point order as SQLite's BINARY, whatever the database's locale: prefix
 * ranges and sort order depend on it). 0/1 flags stay small integers (`indexed = 1` as in SQLite). JSON
 * stays text: it is read back whole and its key order must survive. Strings carry no U+0000 (escaped by
 * text-escape.ts). A B-tree entry holds ~2.7 kB at most, and device strings may be tens of kB: device
 * columns and marked parameter values are indexed on a prefix (index-key.ts) and devices are unique by
 * md5(id); the statements re-check the whole value.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const T = 'text COLLATE "C"';
/** A device-controlled column's index key: its first KEY_CHARS characters (≤ 1 kB, two fit an entry). */
const key = keyOf;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'devices, parameters, tasks, credentials, api keys, traces',
    sql: `
CREATE FUNCTION corral_number(v text) RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN v ~ '^\\s*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$'
    THEN CASE WHEN abs(trim(v)::numeric) < 1e308 THEN trim(v)::double precision END END
$$;

CREATE TABLE devices (
  key bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id ${T} NOT NULL,
  manufacturer ${T} NOT NULL,
  oui ${T} NOT NULL,
  product_class ${T} NOT NULL,
  serial_number ${T} NOT NULL,
  software_version ${T},
  hardware_version ${T},
  remote_address ${T},
  first_inform_at bigint NOT NULL,
  last_inform_at bigint NOT NULL,
  last_boot_at bigint,
  last_bootstrap_at bigint,
  provisioning text
);
-- Device strings are the device's, up to tens of kB: unique by a hash, ordered and searched by a prefix.
CREATE UNIQUE INDEX devices_id ON devices (md5(id));
CREATE INDEX devices_id_order ON devices (${key('id')});
CREATE INDEX devices_oui ON devices (${key('oui')});
CREATE INDEX devices_product_class ON devices (${key('product_class')});
CREATE INDEX devices_serial_number ON devices (${key('serial_number')});
CREATE INDEX devices_software_version ON devices (${key('software_version')});
CREATE INDEX devices_hardware_version ON devices (${key('hardware_version')});
CREATE INDEX devices_remote_address ON devices (${key('remote_address')});
CREATE INDEX devices_last_inform_at ON devices (last_inform_at);

CREATE TABLE device_tags (
  device_key bigint NOT NULL REFERENCES devices (key) ON DELETE CASCADE,
  tag ${T} NOT NULL,
  PRIMARY KEY (device_key, tag)
);
CREATE INDEX device_tags_tag ON device_tags (tag, device_key);

CREATE TABLE device_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device_key bigint NOT NULL REFERENCES devices (key) ON DELETE CASCADE,
  at bigint NOT NULL,
  code ${T} NOT NULL,
  command_key ${T} NOT NULL
);
CREATE INDEX device_events_device ON device_events (device_key, id);

CREATE TABLE parameters (
  device_key bigint NOT NULL REFERENCES devices (key) ON DELETE CASCADE,
  path ${T} NOT NULL,
  value ${T},
  type ${T},
  sealed bytea,
  writable smallint,
  notification integer,
  access_list text,
  value_at bigint,
  attributes_at bigint,
  indexed smallint NOT NULL DEFAULT 0,
  PRIMARY KEY (device_key, path),
  CHECK (sealed IS NULL OR (value IS NULL AND indexed = 0))
);
CREATE INDEX parameters_indexed ON parameters (path, ${key('value')}, device_key) WHERE indexed = 1;

CREATE TABLE indexed_parameters (
  pattern ${T} PRIMARY KEY,
  created_at bigint NOT NULL
);

CREATE TABLE tasks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device_key bigint NOT NULL REFERENCES devices (key) ON DELETE CASCADE,
  position bigint NOT NULL,
  type ${T} NOT NULL,
  args text NOT NULL,
  command_key ${T},
  state ${T} NOT NULL
    CHECK (state IN ('pending', 'running', 'awaiting', 'done', 'failed', 'cancelled')),
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  created_by ${T},
  not_before bigint NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  claim_session ${T},
  claimed_at bigint,
  lease_until bigint,
  deadline bigint,
  result text,
  fault_source ${T},
  fault_code bigint,
  fault_message ${T},
  fault_detail text,
  fault_at bigint,
  fault_permanent smallint,
  finished_at bigint,
  UNIQUE (device_key, position)
);
CREATE INDEX tasks_device_state ON tasks (device_key, state, position);
CREATE INDEX tasks_state ON tasks (state, id);
CREATE INDEX tasks_running_lease ON tasks (lease_until) WHERE state = 'running';
CREATE INDEX tasks_awaiting_deadline ON tasks (deadline) WHERE state = 'awaiting';
CREATE INDEX tasks_faulted ON tasks (id)
  WHERE fault_source IS NOT NULL AND state IN ('pending', 'failed');
CREATE INDEX tasks_command_key ON tasks (device_key, command_key) WHERE command_key IS NOT NULL;

CREATE TABLE cpe_credentials (
  device_id ${T} NOT NULL,
  username ${T} NOT NULL UNIQUE,
  password bytea NOT NULL,
  updated_at bigint NOT NULL
);

CREATE TABLE connection_request_credentials (
  device_id ${T} NOT NULL,
  sealed bytea NOT NULL,
  updated_at bigint NOT NULL
);

-- Keyed by the device id, which may be tens of kB: unique by its hash.
CREATE UNIQUE INDEX cpe_credentials_device ON cpe_credentials (md5(device_id));
CREATE UNIQUE INDEX connection_request_credentials_device
  ON connection_request_credentials (md5(device_id));

CREATE TABLE bootstrap_credentials (
  username ${T} PRIMARY KEY,
  password bytea NOT NULL,
  allow_ouis text NOT NULL,
  allow_product_classes text NOT NULL,
  serial_pattern ${T},
  enabled smallint NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);

CREATE TABLE api_keys (
  id ${T} PRIMARY KEY,
  name ${T} NOT NULL,
  role ${T} NOT NULL CHECK (role IN ('admin', 'operator', 'read-only')),
  secret_hash bytea NOT NULL,
  created_at bigint NOT NULL,
  created_by ${T},
  expires_at bigint,
  revoked_at bigint,
  last_used_at bigint
);

CREATE TABLE trace_sessions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device_key bigint NOT NULL REFERENCES devices (key) ON DELETE CASCADE,
  session_id ${T} NOT NULL,
  started_at bigint NOT NULL,
  last_at bigint NOT NULL,
  messages bigint NOT NULL DEFAULT 0,
  bytes bigint NOT NULL DEFAULT 0,
  truncated smallint NOT NULL DEFAULT 0,
  UNIQUE (device_key, session_id)
);

CREATE TABLE trace_messages (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  trace_id bigint NOT NULL REFERENCES trace_sessions (id) ON DELETE CASCADE,
  device_key bigint NOT NULL,
  seq bigint NOT NULL,
  at bigint NOT NULL,
  direction ${T} NOT NULL CHECK (direction IN ('cpe-to-acs', 'acs-to-cpe')),
  body text NOT NULL,
  bytes bigint NOT NULL,
  truncated smallint NOT NULL DEFAULT 0,
  UNIQUE (trace_id, seq)
);
`,
  },
  {
    version: 2,
    name: 'files and device uploads',
    sql: `
CREATE TABLE files (
  key bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id ${T} NOT NULL UNIQUE,
  name ${T} NOT NULL,
  file_type ${T} NOT NULL,
  target_oui ${T},
  target_product_class ${T},
  target_software_version ${T},
  size bigint NOT NULL CHECK (size >= 0),
  sha256 ${T} NOT NULL,
  blob_id ${T} NOT NULL UNIQUE,
  created_at bigint NOT NULL,
  created_by ${T}
);
CREATE INDEX files_file_type ON files (file_type, key);

CREATE TABLE device_uploads (
  key bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id ${T} NOT NULL UNIQUE,
  device_key bigint NOT NULL REFERENCES devices (key) ON DELETE CASCADE,
  file_type ${T} NOT NULL,
  name ${T} NOT NULL,
  size bigint NOT NULL CHECK (size >= 0),
  sha256 ${T} NOT NULL,
  blob_id ${T} NOT NULL UNIQUE,
  received_at bigint NOT NULL
);
CREATE INDEX device_uploads_device ON device_uploads (device_key, key);
`,
  },
  {
    version: 3,
    name: 'provisioning presets',
    sql: `
CREATE TABLE presets (
  name ${T} PRIMARY KEY,
  definition text NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  updated_by ${T}
);
`,
  },
  {
    version: 4,
    name: 'audit log',
    sql: `
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at bigint NOT NULL,
  actor ${T} NOT NULL,
  action ${T} NOT NULL,
  target ${T},
  outcome integer,
  details text NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, at);
CREATE INDEX audit_log_target ON audit_log (target, at);
-- Append-only even to a buggy caller, or SQL from outside the store.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
`,
  },
  {
    version: 5,
    name: 'firmware campaigns',
    sql: `
CREATE TABLE campaigns (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name ${T} NOT NULL,
  definition text NOT NULL,
  state ${T} NOT NULL CHECK (state IN
    ('draft', 'approved', 'running', 'paused', 'completed', 'halted', 'aborted')),
  state_reason ${T},
  created_at bigint NOT NULL,
  created_by ${T} NOT NULL,
  approved_at bigint,
  approved_by ${T},
  started_at bigint,
  finished_at bigint,
  updated_at bigint NOT NULL
);
CREATE INDEX campaigns_state ON campaigns (state, id);

CREATE TABLE campaign_devices (
  campaign_id bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  device_key bigint NOT NULL REFERENCES devices (key) ON DELETE CASCADE,
  position bigint NOT NULL,
  stage integer,
  state ${T} NOT NULL CHECK (state IN
    ('pending', 'in-progress', 'succeeded', 'failed', 'skipped', 'cancelled')),
  task_id bigint,
  transfer ${T},
  started_at bigint,
  finished_at bigint,
  reason ${T},
  detail text,
  PRIMARY KEY (campaign_id, device_key)
);
CREATE UNIQUE INDEX campaign_devices_position ON campaign_devices (campaign_id, position);
CREATE INDEX campaign_devices_state ON campaign_devices (campaign_id, state, stage, position);
CREATE INDEX campaign_devices_device ON campaign_devices (device_key);
`,
  },
  {
    version: 6,
    name: 'campaign devices: the CancelTransfer queued when a campaign stops',
    sql: 'ALTER TABLE campaign_devices ADD COLUMN cancel_task_id bigint;',
  },
  {
    version: 7,
    name: 'file names unique; each signed upload URL used once',
    sql: `
UPDATE files SET name = name || ' (' || id || ')'
  WHERE key NOT IN (SELECT min(key) FROM files GROUP BY name);
CREATE UNIQUE INDEX files_name ON files (name);
ALTER TABLE device_uploads ADD COLUMN grant_id ${T};
CREATE UNIQUE INDEX device_uploads_grant ON device_uploads (grant_id) WHERE grant_id IS NOT NULL;
`,
  },
  {
    version: 8,
    name: 'console users and their browser sessions',
    sql: `
CREATE TABLE users (
  name ${T} PRIMARY KEY,
  role ${T} NOT NULL,
  password_hash ${T} NOT NULL,
  created_at bigint NOT NULL,
  created_by ${T},
  password_changed_at bigint NOT NULL,
  last_login_at bigint
);
CREATE TABLE user_sessions (
  token_hash bytea PRIMARY KEY,
  user_name ${T} NOT NULL REFERENCES users (name) ON DELETE CASCADE,
  created_at bigint NOT NULL,
  last_seen_at bigint NOT NULL,
  idle_ms bigint NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX user_sessions_user ON user_sessions (user_name);
CREATE INDEX user_sessions_expires ON user_sessions (expires_at);
`,
  },
  {
    version: 9,
    name: 'session traces: the HTTP status of each response',
    sql: 'ALTER TABLE trace_messages ADD COLUMN http_status integer;',
  },
  {
    version: 10,
    name: 'indexed parameters: ready once every stored row is flagged',
    sql: 'ALTER TABLE indexed_parameters ADD COLUMN ready smallint NOT NULL DEFAULT 1;',
  },
  {
    version: 11,
    name: 'device list: a page of one product class or OUI in id order without a sort; indexes for every sort field',
    sql: `
DROP INDEX devices_product_class;
CREATE INDEX devices_product_class ON devices (${key('product_class')}, ${key('id')});
DROP INDEX devices_oui;
CREATE INDEX devices_oui ON devices (${key('oui')}, ${key('id')});
CREATE INDEX devices_first_inform_at ON devices (first_inform_at);
CREATE INDEX devices_last_boot_at ON devices (last_boot_at);
CREATE INDEX devices_last_bootstrap_at ON devices (last_bootstrap_at);
CREATE INDEX devices_manufacturer ON devices (${key('manufacturer')});
`,
  },
  // From here PostgreSQL's own: what several ACS nodes on one database need, which SQLite (one process) does not.
  {
    version: 12,
    name: 'device holds: one session per device across the ACS nodes (pg-coordination.ts)',
    sql: `
CREATE TABLE device_holds (
  device_hash bytea PRIMARY KEY,
  node_id text NOT NULL,
  session_id text NOT NULL,
  until bigint NOT NULL
);
`,
  },
];
