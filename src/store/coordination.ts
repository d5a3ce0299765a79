/**
 * What the ACS nodes sharing one database agree on: which node's session holds a device, which node leads a
 * singleton job (the campaign runner), and messages between the nodes (the change feed). One node alone — the
 * SQLite store, whose data directory is locked to one process — agrees with itself (`LocalCoordination`); the
 * PostgreSQL store's coordination spans every node on the database.
 */
export interface Coordination {
  /** This node's name in holds and logs: unique per process. */
  readonly nodeId: string;
  /**
   * No other node can share the store (SQLite): at start, every task claim left running belongs to this node's
   * previous run and is released at once, instead of waiting for its lease to expire.
   */
  readonly exclusive: boolean;
  /**
   * Hold `deviceId` for this node's session `sessionId` until `ttlMs` from now; called again by the same session,
   * extends the hold. False: a live session of another node holds it.
   */
  holdDevice(deviceId: string, sessionId: string, ttlMs: number): Promise<boolean>;
  /** Let go of a hold (no-op unless this session has it). */
  releaseDevice(deviceId: string, sessionId: string): Promise<void>;
  /**
   * Compete for `role`: `onChange(true)` once this node becomes its one holder, `onChange(false)` if it stops
   * being so (its database connection lost). `stop()` gives the role up.
   */
  lead(role: string, onChange: (leading: boolean) => void): Leadership;
  /** Send `message` on `channel` to the other nodes (never back to this one). */
  broadcast(channel: string, message: string): Promise<void>;
  /** Messages other nodes broadcast on `channel`; returns the unsubscribe function. */
  listen(channel: string, onMessage: (message: string) => void): () => void;
  close(): Promise<void>;
}

export interface Leadership {
  stop(): Promise<void>;
}

/** One node alone: it holds every device (its session registry keeps one session per device), leads every role. */
export class LocalCoordination implements Coordination {
  readonly exclusive = true;
  readonly nodeId: string;

  constructor(nodeId = 'local') {
    this.nodeId = nodeId;
  }

  async holdDevice(_deviceId: string, _sessionId: string, _ttlMs: number): Promise<boolean> {
    return true;
  }

  async releaseDevice(_deviceId: string, _sessionId: string): Promise<void> {}

  lead(_role: string, onChange: (leading: boolean) => void): Leadership {
    onChange(true);
    return { stop: async () => onChange(false) };
  }

  async broadcast(_channel: string, _message: string): Promise<void> {}

  listen(_channel: string, _onMessage: (message: string) => void): () => void {
    return () => {};
  }

  async close(): Promise<void> {}
}
