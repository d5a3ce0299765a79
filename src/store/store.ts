/**
 * The ACS's storage layer: one async interface, `Store`, made of focused parts (devices, parameters, tasks,
 * credentials, API keys, traces, files, presets, audit log). `src/store/sqlite/` implements it on
 * embedded SQLite; a PostgreSQL implementation is meant to be a translation of the same schema and to
 * pass the same suite (`store-suite.ts`).
 *
 * Design note — what is keyed how, and why
 *
 * - Devices. The public id is `encodeDeviceId(OUI, ProductClass, SerialNumber)` (device-id.ts): URL-safe,
 *   canonical, unambiguous with an empty or dashed ProductClass, and carrying hostile input inertly. Inside
 *   the store each device also has a never-reused integer key; every per-device row (parameters, tags,
 *   events, tasks, trace sessions and messages) is keyed by it first. Why not the text id: a device's
 *   strings are device-controlled and may be 10 kB each; repeating a 30 kB id in each of its thousands of
 *   parameter rows would let one device amplify its input a thousandfold. One indexed lookup maps id → key.
 *   Credentials are the exception: keyed by the text id, because they exist before the first Inform.
 * - Per-device locality. Every hot-path operation (an Inform, a task claim or result, a trace append) is
 *   one transaction touching one device's rows: no cross-device transaction, so PostgreSQL can shard or
 *   partition by device key, and SQLite's single writer holds its lock briefly.
 * - Searchable fields are real columns with B-tree indexes (OUI, ProductClass, SerialNumber, software and
 *   hardware version, remote address, last Inform time), tags a (tag, device) table. Parameters are rows
 *   keyed (device, path), clustered per device; an operator-marked parameter's rows carry a flag that puts
 *   them in a partial index on (path, value), the indexed name/value table, so a fleet-wide search on a
 *   marked parameter is an index seek rather than a scan; unmarked parameters can still be filtered on, at a
 *   per-device lookup each. No JSON-expression index anywhere (measured ~120× slower than a column).
 * - Writes are diffs: an Inform rewrites the device row (its times change) and only the parameter rows
 *   whose value, type or attributes changed; read times of unchanged rows are refreshed at most once per
 *   `readTimeResolutionMs`. Callers get the list of changes.
 * - Tasks are an ordered per-device queue (`position`). The head runs first; a task backing off after a
 *   transient fault holds the head (order matters: AddObject before the SetParameterValues that uses it).
 *   Claiming marks the task running under a session id and a lease. Restart safety: a completed task is
 *   `done` in the same transaction that records its result, so it can never be claimed again; a queued
 *   task is durable from `enqueue` on. A claim whose session died (dropped, crashed, lease expired, or
 *   released at start-up) is resolved by what the task does: read-only tasks go back to pending and run
 *   again (harmless); a side-effecting task's outcome is unknown, so it is failed as 'interrupted' and
 *   never re-sent on its own — the operator retries it. So no side-effecting task runs twice across a
 *   restart, and none is lost. A late answer from the session that claimed it is still recorded.
 * - Transfers (Download, Upload, ScheduleDownload) wait in state `awaiting` with their CommandKey and a
 *   deadline; TransferComplete matches on (device, CommandKey) in any later session; overdue ones fail
 *   visibly as 'timeout' (and a late TransferComplete still lands on them).
 * - Secrets at rest — CPE passwords, connection-request credentials, task passwords, secret parameter
 *   values — are AES-256-GCM with a key the caller supplies, bound to their row by associated data
 *   (secret-box.ts). In memory they are `Secret`s, which print as [redacted]. API keys are kept as
 *   SHA-256 of a 256-bit random secret (api-keys.ts explains why not scrypt).
 * - Files (firmware, configuration) and per-device uploads are metadata rows here; their bytes live in a
 *   blob store outside (src/acs/files/), referenced by an opaque blob id (files.ts).
 * - Presets are keyed by their name; the definition is opaque JSON text the ACS validates (presets.ts).
 * - The audit log (audit.ts) is one append-only table of (time, actor, action, target, outcome, details),
 *   not keyed to the records it names, so history outlives them; callers redact, the store bounds sizes.
 * - Firmware campaigns (campaigns.ts): a campaign row with its opaque JSON definition (the ACS validates
 *   it), and one outcome row per device keyed (campaign, device key), read together in position order.
 * - Console users (users.ts) keep a scrypt hash of their password; their browser sessions (user-sessions.ts)
 *   are rows keyed by the SHA-256 of the cookie's token, removed with the user.
 * - Times are integers, ms since the epoch, from the store's clock (injectable for tests).
 *
 * Errors are `StoreError`s with a stable code (errors.ts); lookups of what may be absent return null;
 * outcomes that are not errors (an empty queue, a busy device) are discriminated unions.
 */
import type { ApiKeyStore } from './api-keys.ts';
import type { AuditStore } from './audit.ts';
import type { CampaignStore } from './campaigns.ts';
import type { CredentialStore } from './credentials.ts';
import type { DeviceStore } from './devices.ts';
import type { FileStore } from './files.ts';
import type { ParameterStore } from './parameters.ts';
import type { PresetStore } from './presets.ts';
import type { RetryPolicy } from './retry-policy.ts';
import type { TaskStore } from './tasks.ts';
import type { TraceStore } from './traces.ts';
import type { UserSessionStore } from './user-sessions.ts';
import type { UserStore } from './users.ts';

export interface Store {
  readonly devices: DeviceStore;
  readonly parameters: ParameterStore;
  readonly tasks: TaskStore;
  readonly credentials: CredentialStore;
  readonly apiKeys: ApiKeyStore;
  readonly traces: TraceStore;
  readonly files: FileStore;
  readonly presets: PresetStore;
  readonly audit: AuditStore;
  readonly campaigns: CampaignStore;
  readonly users: UserStore;
  readonly userSessions: UserSessionStore;
  /** Flush and release the storage. Every later call rejects with a 'closed' StoreError. */
  close(): Promise<void>;
}

/** Settings every implementation honours. */
export interface StoreOptions {
  /** The AES-256 key (32 bytes) for secrets at rest. Keep it outside the store. */
  secretKey: Uint8Array;
  /** ms since the epoch; default Date.now. */
  clock?: () => number;
  /** Events kept per device (newest); default 64. */
  eventHistoryLimit?: number;
  /** Refresh the read time of an unchanged parameter only when older than this; default 1 h. */
  readTimeResolutionMs?: number;
  /** Back-off for faulted tasks; default DEFAULT_RETRY_POLICY. */
  retry?: Partial<RetryPolicy>;
  /** How long a claim lasts without an answer; default 5 min. */
  claimLeaseMs?: number;
  /** Default wait for a TransferComplete; default 24 h. */
  transferTimeoutMs?: number;
  /** Sessions traced per device; default 5. */
  traceSessionsPerDevice?: number;
  /** Trace bytes per device; default 1 MiB. */
  traceBytesPerDevice?: number;
}

export const STORE_DEFAULTS = {
  eventHistoryLimit: 64,
  readTimeResolutionMs: 3_600_000,
  claimLeaseMs: 300_000,
  transferTimeoutMs: 86_400_000,
  traceSessionsPerDevice: 5,
  traceBytesPerDevice: 1_048_576,
} as const;

/** The most rows one list call returns. */
export const MAX_PAGE = 10_000;
export const DEFAULT_PAGE = 100;
