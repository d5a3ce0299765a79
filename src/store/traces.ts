/**
 * Session traces: every SOAP message of each device's last N sessions, with its time, at most B bytes per
 * device (store options `traceSessionsPerDevice`, `traceBytesPerDevice`). The oldest sessions go first;
 * if the current session alone outgrows B, its oldest messages go (the session is marked truncated), and a
 * single body larger than B is cut. Bodies are stored as given: the caller redacts secrets first
 * (security.md item 14).
 */
export type TraceDirection = 'cpe-to-acs' | 'acs-to-cpe';

export interface TraceInput {
  direction: TraceDirection;
  body: string;
  /** Default: now. */
  at?: number;
  /**
   * The status of the HTTP response that carried an acs-to-cpe message (200 for a SOAP body; 204 for the empty
   * answer that ends a session, 4xx/5xx for a refusal). A cpe-to-acs message is an HTTP request: it has none.
   */
  httpStatus?: number;
}

export interface TraceMessage {
  /** Order within the session. */
  seq: number;
  at: number;
  direction: TraceDirection;
  body: string;
  /** UTF-8 size of the body as stored. */
  bytes: number;
  /** The body was cut to fit the device's byte budget. */
  truncated: boolean;
  /** See TraceInput.httpStatus; null for requests, and for messages traced before it was recorded. */
  httpStatus: number | null;
}

export interface TraceSession {
  deviceId: string;
  sessionId: string;
  startedAt: number;
  lastAt: number;
  messages: number;
  bytes: number;
  /** Messages of this session were dropped or cut to fit the budget. */
  truncated: boolean;
}

export interface TraceStore {
  /**
   * Adds a message, or several in order, in one write (the ACS sends a session's trace in a few batches: one
   * durable commit per message would cost more than the session itself). Starts the session's trace on its
   * first message. Rejects with not-found for an unknown device.
   */
  append(
    deviceId: string,
    sessionId: string,
    messages: TraceInput | readonly TraceInput[],
  ): Promise<void>;
  /** Newest first. */
  sessions(deviceId: string): Promise<TraceSession[]>;
  read(
    deviceId: string,
    sessionId: string,
  ): Promise<{ session: TraceSession; messages: TraceMessage[] } | null>;
}
