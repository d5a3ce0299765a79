import type { CwmpVersion } from '../../cwmp/index.ts';
import type { Coordination } from '../../store/coordination.ts';
import type { Store } from '../../store/store.ts';
import type { FileUrlSigner } from '../files/served-transfers.ts';
import type { Log } from '../log.ts';
import type { AcsMetrics } from '../metrics.ts';
import type { ZeroTouchSettings } from '../provisioning/zero-touch.ts';
import type { SessionRegistry } from './registry.ts';

export type TraceSessions = 'all' | 'rpc' | 'off';
export const TRACE_SESSIONS: readonly TraceSessions[] = ['all', 'rpc', 'off'];

/** What the session engine works with: injected, so tests and the server wire the same code. */
export interface SessionDeps {
  store: Store;
  registry: SessionRegistry;
  /** The nodes sharing the store: one session per device across all of them (device-hold.ts). */
  coordination: Coordination;
  /** ms since the epoch. */
  clock: () => number;
  /** Idle time before a session is abandoned when the CPE states no SessionTimeout (TR-069: 30 s). */
  defaultSessionTimeoutMs: number;
  /** The CWMP versions this ACS speaks, for 1.4 version negotiation. */
  acsVersions: readonly CwmpVersion[];
  /** The built-in preset run on 0 BOOTSTRAP; null: none. */
  zeroTouch: ZeroTouchSettings | null;
  /** Signs the URLs of files the ACS serves (Download by fileId) and receives (Upload to the ACS); null: none. */
  fileServer?: FileUrlSigner | null;
  /**
   * Which sessions' traces are kept: all; only those that did more than Inform and its answer (an RPC, a CPE
   * request, a fault, an abnormal end); or none. Default all.
   */
  traceSessions?: TraceSessions;
  /** Where the engine reports what it did; never given a secret. */
  log: Log;
  /** What it counts, beside the log (metrics.ts). */
  metrics: AcsMetrics;
}
