import { type CwmpVersion, cryptoRandom } from '../../cwmp/index.ts';
import type { TaskRecord } from '../../store/tasks.ts';
import type { TraceInput } from '../../store/traces.ts';
import type { SessionProvisioning } from '../provisioning/session-provisioning.ts';
import type { AcsRequest, TaskState } from '../tasks/index.ts';

/**
 * - `cpe-requests`: InformResponse sent; the CPE may send its own requests (TransferComplete, …) until its
 *   first empty POST.
 * - `acs-requests`: the CPE has nothing more to ask; the ACS sends its requests, one per HTTP response.
 * - `closed`: 204 sent, timed out, or superseded; nothing more is accepted.
 */
export type SessionPhase = 'cpe-requests' | 'acs-requests' | 'closed';

/** The RPC on the wire: the task it runs, where the task stands, and the cwmp:ID it went out with. */
export interface PendingRpc {
  task: TaskRecord;
  request: AcsRequest;
  state: TaskState;
  requestId: string;
}

/** How the CPE proved who it is on the Inform: what it must prove again to rejoin without its cookie. */
export interface SessionAuth {
  /** The credential's username; null when none was asked for (`--accept-any-cpe`). */
  username: string | null;
  /** The Inform carried 0 BOOTSTRAP (a shared bootstrap credential is then still good for the device). */
  bootstrapping: boolean;
}

/** One CWMP session (TR-069 §3.7): from an Inform to the ACS's empty response. */
export class CwmpSession {
  /** 128 random bits: the session cookie, unguessable (security.md item 9). A live credential: never logged. */
  readonly cookie = hex(cryptoRandom(16));
  /** The session's public name: logs, traces, task claims. Tells nothing of the cookie. */
  readonly id = hex(cryptoRandom(8));
  /** The CPE has sent the cookie back: from then on only the cookie binds its requests, not the connection. */
  cookieReturned = false;
  phase: SessionPhase = 'cpe-requests';
  pending: PendingRpc | null = null;
  /** The presets' part of the session, once the Inform is recorded. */
  provisioning: SessionProvisioning | null = null;
  lastActivity: number;
  /** When the Inform arrived: the session's duration is measured from here. */
  readonly startedAt: number;
  /** Messages traced but not yet written: a session's trace is written in a few batches (trace.ts). */
  trace: TraceInput[] = [];
  traceBytes = 0;
  /** Something beyond the Inform and its answer was traced (what `traceSessions: 'rpc'` keeps). */
  traceNotable = false;
  /** When this node last took or renewed its hold on the device (device-hold.ts). */
  heldAt = 0;
  private requestCounter = 0;

  constructor(
    readonly deviceId: string,
    /** The CPE's own namespace: every message of the session answers in it (quirk 4). */
    readonly cwmpNamespace: string,
    readonly version: CwmpVersion,
    /** The root object (`Device.` or `InternetGatewayDevice.`), from the Inform's parameters. */
    readonly root: string,
    /** Idle time after which the session is abandoned: the CPE's SessionTimeout, else 30 s. */
    readonly timeoutMs: number,
    readonly remoteAddress: string | null,
    readonly auth: SessionAuth,
    now: number,
  ) {
    this.lastActivity = now;
    this.startedAt = now;
  }

  /** A fresh cwmp:ID for the next ACS request. */
  nextRequestId(): string {
    this.requestCounter++;
    return `${this.id.slice(0, 8)}-${this.requestCounter}`;
  }

  isExpired(now: number): boolean {
    return now - this.lastActivity > this.timeoutMs;
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
