/**
 * What `corral serve --workers N`'s primary and its workers tell each other (node:cluster IPC), and how a worker
 * knows it is one. Each worker is a whole node on the shared PostgreSQL store; the primary only accepts CWMP
 * connections (handing each to a worker), restarts workers that die and gathers their metrics.
 */

/** Set by the primary in each worker's environment: its slot, 0 to N-1. */
export const WORKER_INDEX_ENV = 'CORRAL_WORKER_INDEX';
/** Set by the primary: the CWMP port it accepts on (the one the CPEs are told). */
export const WORKER_CWMP_PORT_ENV = 'CORRAL_WORKER_CWMP_PORT';

export type PrimaryMessage =
  /** Sent with a socket: a CWMP connection for this worker. */
  | { type: 'corral:cwmp-connection' }
  /** Stop as on SIGTERM (the primary is stopping). */
  | { type: 'corral:stop' }
  | { type: 'corral:metrics'; id: number; text: string; contentType: string }
  | { type: 'corral:metrics'; id: number; error: string };

export type WorkerMessage =
  /** Every listener is up. */
  | { type: 'corral:ready' }
  /** /metrics was asked for: the primary gathers every worker's. */
  | { type: 'corral:metrics-request'; id: number };

export function isMessage<T extends { type: string }>(value: unknown, type: T['type']): value is T {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === type;
}
