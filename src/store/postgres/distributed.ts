/**
 * How Corral's PostgreSQL schema (schema.ts) spreads over a distributed PostgreSQL (Citus), as data: where each
 * table goes, the constraint changes Citus requires of the per-device tables, the calls that distribute them,
 * and which of the store's statements stay on one shard. docs/scaling.md explains it; distributed.test.ts
 * applies the constraint changes to plain PostgreSQL and runs the store suite on the result.
 *
 * The device is the unit: every per-device table is hash-distributed by its device's integer key (`devices.key`,
 * `device_key` elsewhere), all in one co-location group, so a device's rows — its row, parameters, tasks,
 * events, tags, traces, uploads, campaign outcomes — live on one shard and a session's statements that name
 * the device's key are routed to that shard alone. Small tables every node reads are reference tables
 * (replicated to every worker); what only the operators' side or the nodes' coordination touches stays a
 * plain table on the coordinator.
 */

/** Every distributed table's shard key is a device key, and they share devices' co-location group. */
export const COLOCATION_TABLE = 'devices';

export type Placement =
  | { kind: 'distributed'; column: string; why: string }
  | { kind: 'reference'; why: string }
  | { kind: 'local'; why: string };

/**
 * Every table of schema.ts and migrations.ts. A table added to the schema and not placed here fails
 * distributed.test.ts.
 */
export const PLACEMENTS: Readonly<Record<string, Placement>> = {
  devices: {
    kind: 'distributed',
    column: 'key',
    why: 'one row per device; the co-location group every per-device table joins',
  },
  device_tags: { kind: 'distributed', column: 'device_key', why: "a device's tags" },
  device_events: { kind: 'distributed', column: 'device_key', why: "a device's Inform events" },
  parameters: {
    kind: 'distributed',
    column: 'device_key',
    why: "a device's cached data model: most of the database's bytes",
  },
  tasks: { kind: 'distributed', column: 'device_key', why: "a device's task queue" },
  trace_sessions: { kind: 'distributed', column: 'device_key', why: "a device's session traces" },
  trace_messages: {
    kind: 'distributed',
    column: 'device_key',
    why: 'the messages of those traces',
  },
  device_uploads: { kind: 'distributed', column: 'device_key', why: 'files a device uploaded' },
  campaign_devices: {
    kind: 'distributed',
    column: 'device_key',
    why: "a device's outcome in a campaign (a campaign's rows span every shard)",
  },
  campaigns: {
    kind: 'reference',
    why: 'few rows, and campaign_devices refers to it (a distributed table may refer only to its own group or a reference table)',
  },
  indexed_parameters: {
    kind: 'reference',
    why: 'a handful of patterns read by every Inform',
  },
  presets: { kind: 'reference', why: 'provisioning presets, read by sessions on every node' },
  files: { kind: 'reference', why: 'the firmware and configuration files sessions hand out' },
  bootstrap_credentials: {
    kind: 'reference',
    why: 'a few shared credentials, read when an unknown device first authenticates',
  },
  cpe_credentials: {
    kind: 'local',
    why: 'keyed twice, by device id (unique by md5) and by username (unique, looked up when a device authenticates): no one shard key serves both, and no query joins it to a device table',
  },
  connection_request_credentials: {
    kind: 'local',
    why: 'keyed by the device id text (unique by md5), not the device key: a shard key of its own type could not co-locate with devices, and an expression (md5) cannot be a shard key',
  },
  device_holds: {
    kind: 'local',
    why: "one row per session in flight, judged on the coordinator's clock (clock_timestamp(), volatile, which Citus does not push into a distributed upsert)",
  },
  api_keys: { kind: 'local', why: 'the operators’ side only' },
  audit_log: { kind: 'local', why: 'the operators’ side only, append-only by triggers' },
  users: { kind: 'local', why: 'the operators’ side only' },
  user_sessions: { kind: 'local', why: 'the operators’ side only (refers to users)' },
  schema_version: { kind: 'local', why: 'the migrations’ own record' },
};

export interface ConstraintChange {
  table: string;
  why: string;
  sql: readonly string[];
}

/**
 * What Citus requires before distributing: every primary key and unique index of a distributed table includes
 * its shard key, and a foreign key between distributed tables includes both shard keys. The identity columns
 * stay globally unique by their sequences; the new keys put the old key's column first, so lookups by it alone
 * (`WHERE id = ?`) still find their index. Order matters: a foreign key goes before the key it depends on.
 */
export const CONSTRAINT_CHANGES: readonly ConstraintChange[] = [
  {
    table: 'devices',
    why: 'unique by md5(id), an expression: Citus can enforce no unique index without the shard key `key`. Kept as a plain index for the lookups by id; one row per device id then rests on the device hold (one session per device across the nodes) and on the lookup-before-insert',
    sql: ['DROP INDEX devices_id', 'CREATE INDEX devices_id ON devices (md5(id))'],
  },
  {
    table: 'device_events',
    why: 'the key gets the device; the (device_key, id) index it then duplicates goes',
    sql: [
      'ALTER TABLE device_events DROP CONSTRAINT device_events_pkey',
      'ALTER TABLE device_events ADD PRIMARY KEY (device_key, id)',
      'DROP INDEX device_events_device',
    ],
  },
  {
    table: 'tasks',
    why: 'the key gets the device (tasks are still found by id alone: id first)',
    sql: [
      'ALTER TABLE tasks DROP CONSTRAINT tasks_pkey',
      'ALTER TABLE tasks ADD PRIMARY KEY (id, device_key)',
    ],
  },
  {
    table: 'trace_messages',
    why: 'its foreign key to trace_sessions must carry the device on both sides; dropped first, added back below',
    sql: ['ALTER TABLE trace_messages DROP CONSTRAINT trace_messages_trace_id_fkey'],
  },
  {
    table: 'trace_sessions',
    why: 'the key gets the device',
    sql: [
      'ALTER TABLE trace_sessions DROP CONSTRAINT trace_sessions_pkey',
      'ALTER TABLE trace_sessions ADD PRIMARY KEY (id, device_key)',
    ],
  },
  {
    table: 'trace_messages',
    why: 'the key and the (trace, seq) uniqueness get the device; the foreign key refers to (device, trace)',
    sql: [
      'ALTER TABLE trace_messages DROP CONSTRAINT trace_messages_pkey',
      'ALTER TABLE trace_messages ADD PRIMARY KEY (id, device_key)',
      'ALTER TABLE trace_messages DROP CONSTRAINT trace_messages_trace_id_seq_key',
      'ALTER TABLE trace_messages ADD CONSTRAINT trace_messages_trace_id_seq_key UNIQUE (trace_id, seq, device_key)',
      `ALTER TABLE trace_messages ADD CONSTRAINT trace_messages_trace_id_fkey
         FOREIGN KEY (device_key, trace_id) REFERENCES trace_sessions (device_key, id) ON DELETE CASCADE`,
    ],
  },
  {
    table: 'device_uploads',
    why: 'the key and the unique upload id, blob and grant get the device: a blob or a grant is then unique per device (the store still checks a grant before using it)',
    sql: [
      'ALTER TABLE device_uploads DROP CONSTRAINT device_uploads_pkey',
      'ALTER TABLE device_uploads ADD PRIMARY KEY (key, device_key)',
      'ALTER TABLE device_uploads DROP CONSTRAINT device_uploads_id_key',
      'ALTER TABLE device_uploads ADD CONSTRAINT device_uploads_id_key UNIQUE (id, device_key)',
      'ALTER TABLE device_uploads DROP CONSTRAINT device_uploads_blob_id_key',
      'ALTER TABLE device_uploads ADD CONSTRAINT device_uploads_blob_id_key UNIQUE (blob_id, device_key)',
      'DROP INDEX device_uploads_grant',
      'CREATE UNIQUE INDEX device_uploads_grant ON device_uploads (grant_id, device_key) WHERE grant_id IS NOT NULL',
    ],
  },
  {
    table: 'campaign_devices',
    why: "a campaign's positions are unique with the device (one transaction numbers them, under the campaign's state change)",
    sql: [
      'DROP INDEX campaign_devices_position',
      'CREATE UNIQUE INDEX campaign_devices_position ON campaign_devices (campaign_id, position, device_key)',
    ],
  },
];

/** The constraint changes as statements, to run in one transaction on the coordinator before distributing. */
export function constraintStatements(): string[] {
  return CONSTRAINT_CHANGES.flatMap((c) => c.sql);
}

/** Tables in the order they are distributed: reference tables first, then devices, then what refers to it. */
export function distributionOrder(): { reference: string[]; distributed: string[] } {
  const entries = Object.entries(PLACEMENTS);
  const reference = entries.filter(([, p]) => p.kind === 'reference').map(([t]) => t);
  const distributed = entries.filter(([, p]) => p.kind === 'distributed').map(([t]) => t);
  // devices first (the group), trace_sessions before trace_messages (its foreign key); the rest as listed.
  const rank = (t: string) => (t === COLOCATION_TABLE ? 0 : t === 'trace_messages' ? 2 : 1);
  distributed.sort((a, b) => rank(a) - rank(b));
  return { reference, distributed };
}

/** The Citus calls, after the constraint changes. */
export function citusStatements(shardCount = 64): string[] {
  const { reference, distributed } = distributionOrder();
  const out = [`SET citus.shard_count = ${shardCount}`];
  for (const t of reference) out.push(`SELECT create_reference_table('${t}')`);
  for (const t of distributed) {
    const p = PLACEMENTS[t] as { column: string };
    out.push(
      t === COLOCATION_TABLE
        ? `SELECT create_distributed_table('${t}', '${p.column}')`
        : `SELECT create_distributed_table('${t}', '${p.column}', colocate_with => '${COLOCATION_TABLE}')`,
    );
  }
  // Device filters call it inside queries pushed down to the workers: it must exist there.
  out.push("SELECT create_distributed_function('corral_number(text)')");
  return out;
}

/**
 * The whole script for a coordinator whose workers are added (`citus_add_node`), on a database the store has
 * migrated: the extension, the constraint changes and the distribution, in one transaction.
 */
export function citusScript(shardCount = 64): string {
  const lines = [
    '-- Corral on Citus: run on the coordinator, after `corral serve --store postgres://…` migrated the database',
    '-- and before the ACS nodes connect (they connect to the coordinator). See docs/scaling.md.',
    'CREATE EXTENSION IF NOT EXISTS citus;',
    'BEGIN;',
    ...CONSTRAINT_CHANGES.flatMap((c) => [
      `-- ${c.table}: ${c.why}`,
      ...c.sql.map((s) => `${s.replace(/\s+/g, ' ')};`),
    ]),
    ...citusStatements(shardCount).map((s) => `${s};`),
    'COMMIT;',
  ];
  return `${lines.join('\n')}\n`;
}

export type Routing = 'one shard' | 'all shards' | 'coordinator' | 'reference' | 'unsupported';

export interface RoutedStatement {
  /** The file under src/store/postgres/ it is in, and a fragment of its SQL as written there. */
  file: string;
  fragment: string;
  routing: Routing;
  note: string;
}

/**
 * The store's statements that matter for distribution, read from src/store/postgres/*.ts (distributed.test.ts
 * checks that each fragment is still in its file). 'one shard': filtered by the device key, routed to one
 * worker. 'all shards': sent to every shard and merged. 'coordinator': a coordinator table. 'reference': a reference
 * table (read from one copy, written to all). 'unsupported': Citus refuses it as written (its
 * documented limits; not run on a Citus here), so the store needs the change the note says before it runs on one.
 */
export const ROUTING: readonly RoutedStatement[] = [
  {
    file: 'context.ts',
    fragment: 'SELECT key FROM devices WHERE md5(id) = md5(?) AND id = ? FOR UPDATE',
    routing: 'unsupported',
    note: 'keyOf inside a write, the first statement of every per-device write: by device id, not key, so every shard is asked, and SELECT … FOR UPDATE runs on one shard only. Needs a device key derived from the id (or an id→key table distributed by the id hash)',
  },
  {
    file: 'context.ts',
    fragment: 'SELECT key FROM devices WHERE md5(id) = md5(?) AND id = ?',
    routing: 'all shards',
    note: 'keyOf outside a write (reads, API lookups): every shard is asked for the one device',
  },
  {
    file: 'pg-devices.ts',
    fragment: 'INSERT INTO devices (id, manufacturer, oui, product_class',
    routing: 'one shard',
    note: 'a new device: the key comes from the identity sequence on the coordinator, which then routes the row; without the unique md5(id) index nothing conflicts, so two first Informs of one device at once make two rows unless the device hold keeps them apart',
  },
  {
    file: 'pg-devices.ts',
    fragment: 'UPDATE devices SET last_inform_at = ?',
    routing: 'one shard',
    note: 'the Inform’s device update, by key',
  },
  {
    file: 'pg-devices.ts',
    fragment: 'INSERT INTO device_events (device_key, at, code, command_key)',
    routing: 'one shard',
    note: 'events, and the trim that follows, by device key',
  },
  {
    file: 'pg-parameters.ts',
    fragment: 'ON CONFLICT (device_key, path) DO UPDATE',
    routing: 'one shard',
    note: 'the Inform’s and the tasks’ parameter writes',
  },
  {
    file: 'pg-parameters.ts',
    fragment: 'FROM parameters WHERE device_key = ? AND path = ?',
    routing: 'one shard',
    note: 'every read of a device’s model (row, subtree, children, all)',
  },
  {
    file: 'pg-parameters.ts',
    fragment: 'WHERE device_key > ? AND device_key <= ? AND indexed = ?',
    routing: 'all shards',
    note: 'marking or unmarking a searchable parameter walks the fleet by key ranges, which hash distribution scatters: every batch asks every shard',
  },
  {
    file: 'pg-parameters.ts',
    fragment: 'UPDATE parameters p SET indexed = ? FROM unnest(',
    routing: 'all shards',
    note: 'the same walk’s flag update, over many devices at once (a multi-shard UPDATE … FROM a function: to verify on a Citus)',
  },
  {
    file: 'pg-tasks.ts',
    fragment: '(SELECT coalesce(max(position), 0) + 1 FROM tasks WHERE device_key = ?)',
    routing: 'unsupported',
    note: 'enqueue: Citus takes no subquery inside INSERT … VALUES; as INSERT … SELECT … WHERE device_key = ? it is one shard',
  },
  {
    file: 'pg-task-lifecycle.ts',
    fragment: "WHERE t.device_key = ? AND t.state = 'pending' ORDER BY t.position LIMIT ?",
    routing: 'one shard',
    note: 'claimNext’s queue scan (tasks joined to devices on the shard key: co-located)',
  },
  {
    file: 'pg-task-rows.ts',
    fragment: 'WHERE id = ?',
    routing: 'all shards',
    note: 'patchTask and findTask: a task by id alone (claim, complete, fault, cancel, retry): every shard is asked. Adding `AND device_key = ?` (the caller has it) makes it one shard',
  },
  {
    file: 'pg-task-lifecycle.ts',
    fragment: 'FOR UPDATE OF t SKIP LOCKED',
    routing: 'unsupported',
    note: 'expireTransfers and recoverClaims: fleet-wide sweeps that lock rows, which Citus does on one shard only. Without the lock (each row’s update re-checking its state) they are all-shard statements',
  },
  {
    file: 'pg-tasks.ts',
    fragment: 'ORDER BY t.id LIMIT ? OFFSET ?',
    routing: 'all shards',
    note: 'tasks.list over the fleet: each shard returns its first page, the coordinator merges',
  },
  {
    file: 'pg-tasks.ts',
    fragment: "WHERE fault_source IS NOT NULL AND state IN ('pending', 'failed')",
    routing: 'all shards',
    note: 'faultCounts: an aggregate over the fleet',
  },
  {
    file: 'pg-tasks.ts',
    fragment: "DELETE FROM tasks WHERE state IN ('done', 'cancelled') AND finished_at < ?",
    routing: 'all shards',
    note: 'purgeFinished: a multi-shard DELETE',
  },
  {
    file: 'pg-traces.ts',
    fragment: 'SELECT * FROM trace_sessions WHERE device_key = ? AND session_id = ?',
    routing: 'one shard',
    note: 'a session’s trace found by device',
  },
  {
    file: 'pg-traces.ts',
    fragment: 'SELECT * FROM trace_messages WHERE trace_id = ? ORDER BY seq',
    routing: 'all shards',
    note: 'a trace read, the next message number and the budget (`trace_id = ?`, `id = ?`): by trace or message id alone, so every shard is asked, at every session end. The device key is at hand: adding it makes them one shard',
  },
  {
    file: 'pg-devices.ts',
    fragment: 'SELECT count(*) AS n FROM device_tags WHERE tag = ?',
    routing: 'all shards',
    note: 'fleet counts and the device list: filters, sorts and pages over all devices',
  },
  {
    file: 'pg-devices.ts',
    fragment: 'SELECT tag, count(*) AS devices FROM device_tags GROUP BY tag ORDER BY tag',
    routing: 'all shards',
    note: 'the tag list',
  },
  {
    file: 'device-query.ts',
    fragment: 'SELECT device_key FROM parameters WHERE indexed = 1 AND path = ?',
    routing: 'all shards',
    note: 'a search on a marked parameter’s value: each shard’s partial index answers for its devices',
  },
  {
    file: 'pg-campaigns.ts',
    fragment: 'WHERE c.campaign_id = ? AND c.device_key = ?',
    routing: 'one shard',
    note: 'one device’s outcome in a campaign',
  },
  {
    file: 'pg-campaigns.ts',
    fragment: 'ORDER BY c.position LIMIT ? OFFSET ?',
    routing: 'all shards',
    note: 'a campaign’s device list: its rows are on every shard',
  },
  {
    file: 'pg-campaigns.ts',
    fragment: 'UPDATE campaigns SET updated_at = ? WHERE id = ?',
    routing: 'reference',
    note: 'a reference table write, on every worker by two-phase commit: once per campaign device step',
  },
  {
    file: 'pg-files.ts',
    fragment: 'SELECT 1 FROM device_uploads WHERE grant_id = ?',
    routing: 'all shards',
    note: 'an upload grant, an upload by id (get, delete): by their own ids, so every shard is asked',
  },
  {
    file: 'pg-credentials.ts',
    fragment: 'SELECT * FROM cpe_credentials WHERE username = ?',
    routing: 'coordinator',
    note: 'a device’s HTTP authentication: the local table on the coordinator',
  },
  {
    file: 'pg-coordination.ts',
    fragment: 'INSERT INTO device_holds (device_hash, node_id, session_id, until)',
    routing: 'coordinator',
    note: 'the device hold, taken and given back once a session: the local table on the coordinator',
  },
  {
    file: 'pg-parameters.ts',
    fragment: 'SELECT pattern FROM indexed_parameters',
    routing: 'reference',
    note: 'the marked patterns, read by every Inform: a reference table, read from the copy where the query runs',
  },
];
