/**
 * What the ACS counts, as plain calls: the session engine, the CWMP endpoint, the connection requester and the
 * store wrapper call these beside their log lines, and know nothing of Prometheus (src/api/metrics/ implements
 * them). Labels are closed sets or protocol names — never a device id, serial, address or username, which would
 * make a series per device.
 */

/** Why a session ended before its 204. */
export type SessionEndReason = 'aborted' | 'superseded' | 'timeout' | 'shutting-down';

/** Why the CWMP endpoint answered something else than 200/204. */
export type CwmpRefusalReason =
  /** 503: admission by measured capacity (loop delay, session limit). */
  | 'capacity'
  /** 503: too many requests in progress from one address. */
  | 'address-busy'
  /** 503: too many new sessions a second from one address. */
  | 'address-throttled'
  /** 503: the ACS-wide budget of request bytes in flight is spent. */
  | 'body-budget'
  /** 503: the disk is full. */
  | 'storage-full'
  /** 503: the database cannot be reached (restarting, failing over, refusing connections). */
  | 'store-unavailable'
  /** 503: too many wrong Digest answers for a username or an address. */
  | 'auth-throttled'
  /** 503: the session registry is full (--max-sessions). */
  | 'overloaded'
  /** 503: the device's previous session is still live. */
  | 'device-busy'
  /** 503: graceful stop under way. */
  | 'shutting-down'
  /** 401 with a challenge: no credentials yet (Digest's first step, not an error). */
  | 'challenge'
  /** 401: wrong or refused credentials. */
  | 'auth-failed'
  /** 400, 405, 413: what the message was. */
  | 'bad-request'
  | 'not-post'
  | 'too-large'
  /** 500. */
  | 'internal-error';

export interface AcsMetrics {
  sessionStarted(): void;
  /** The session ended with the ACS's 204. */
  sessionCompleted(durationSeconds: number): void;
  sessionEnded(reason: SessionEndReason, durationSeconds: number): void;
  /** An Inform recorded, with its event codes (non-standard ones count as `other`). */
  inform(eventCodes: readonly string[]): void;
  rpcSent(method: string): void;
  cpeFault(method: string, faultCode: number | null): void;
  cwmpRefusal(status: number, reason: CwmpRefusalReason): void;
  connectionRequest(result: string): void;
  taskQueued(type: string): void;
  taskDone(type: string): void;
  taskFaulted(type: string): void;
  /** One store call: `operation` is `part.method` (`tasks.claimNext`). */
  storeOperation(operation: string, seconds: number): void;
}

const nothing = () => {};

/** Counts nothing: the default, so tests and callers that pass no metrics work unchanged. */
export const NO_METRICS: AcsMetrics = {
  sessionStarted: nothing,
  sessionCompleted: nothing,
  sessionEnded: nothing,
  inform: nothing,
  rpcSent: nothing,
  cpeFault: nothing,
  cwmpRefusal: nothing,
  connectionRequest: nothing,
  taskQueued: nothing,
  taskDone: nothing,
  taskFaulted: nothing,
  storeOperation: nothing,
};
