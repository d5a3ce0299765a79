import type { Socket } from 'node:net';
import type { CwmpSession } from './session.ts';

export type OpenResult =
  | { ok: true }
  | {
      ok: false;
      reason: 'device-busy' | 'overloaded' | 'shutting-down';
      retryAfterSeconds: number;
    };

/**
 * The sessions in progress, found by cookie, by TCP connection (for CPEs that return no cookie, quirk 2), by
 * device, or by the credential that opened them (for a CPE that reconnects without its cookie and proves that
 * credential again, quirk 19). Never by address: every CPE behind one NAT, or behind a proxy in front of the ACS,
 * shares one. One active session per device; past `maxSessions`, new Informs are turned away (503 with
 * Retry-After) while the sessions already running finish (admission control, security.md item 11).
 */
export class SessionRegistry {
  private readonly byCookie = new Map<string, CwmpSession>();
  private readonly byDevice = new Map<string, CwmpSession>();
  private readonly bySocket = new WeakMap<Socket, CwmpSession>();

  /** The ACS is stopping: no session opens, and those in progress send no more requests (graceful stop). */
  draining = false;

  constructor(private readonly maxSessions: number) {}

  get size(): number {
    return this.byCookie.size;
  }

  /** Admit a session, unless its device already has a live one or the ACS is full. */
  open(session: CwmpSession, socket: Socket | null, now: number): OpenResult {
    if (this.draining) return { ok: false, reason: 'shutting-down', retryAfterSeconds: 30 };
    const current = this.byDevice.get(session.deviceId);
    if (current !== undefined && !current.isExpired(now)) {
      const left = Math.ceil((current.timeoutMs - (now - current.lastActivity)) / 1000);
      return { ok: false, reason: 'device-busy', retryAfterSeconds: Math.max(1, left) };
    }
    if (this.byCookie.size >= this.maxSessions)
      return { ok: false, reason: 'overloaded', retryAfterSeconds: 5 };
    this.byCookie.set(session.cookie, session);
    this.byDevice.set(session.deviceId, session);
    if (socket !== null) this.bySocket.set(socket, session);
    return { ok: true };
  }

  /**
   * The session a request is bound to: by its cookie, which must come from the address that opened the session
   * (a cookie replayed from elsewhere binds nothing); without a cookie, by its TCP connection — but only for a
   * session whose CPE never returned its cookie (one that does may share a proxy's connection with others).
   */
  find(cookie: string | undefined, socket: Socket | null): CwmpSession | undefined {
    if (cookie !== undefined) {
      const session = this.live(this.byCookie.get(cookie));
      const from = socket?.remoteAddress ?? null;
      if (session === undefined || (from !== null && session.remoteAddress !== from))
        return undefined;
      session.cookieReturned = true;
      return session;
    }
    if (socket === null) return undefined;
    const session = this.live(this.bySocket.get(socket));
    return session !== undefined && !session.cookieReturned ? session : undefined;
  }

  /** The live session of a device, if any. */
  forDevice(deviceId: string): CwmpSession | undefined {
    return this.live(this.byDevice.get(deviceId));
  }

  /** Live sessions opened with the credential `username`, those from `address` first. */
  forUsername(username: string, address: string | null): CwmpSession[] {
    const found = [...this.byCookie.values()].filter(
      (s) => s.phase !== 'closed' && s.auth.username === username,
    );
    const local = found.filter((s) => s.remoteAddress === address);
    return local.length > 0 ? local : found;
  }

  bindSocket(session: CwmpSession, socket: Socket | null): void {
    if (socket !== null) this.bySocket.set(socket, session);
  }

  close(session: CwmpSession): void {
    session.phase = 'closed';
    this.byCookie.delete(session.cookie);
    if (this.byDevice.get(session.deviceId) === session) this.byDevice.delete(session.deviceId);
  }

  /** Sessions idle past their timeout: removed here, returned so the caller can release their tasks. */
  expire(now: number): CwmpSession[] {
    const expired = [...this.byCookie.values()].filter((s) => s.isExpired(now));
    for (const s of expired) this.close(s);
    return expired;
  }

  all(): CwmpSession[] {
    return [...this.byCookie.values()];
  }

  private live(session: CwmpSession | undefined): CwmpSession | undefined {
    return session !== undefined && session.phase !== 'closed' ? session : undefined;
  }
}
