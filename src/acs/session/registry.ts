import type { Socket } from 'node:net';
import type { CwmpSession } from './session.ts';

export type OpenResult =
  | { ok: true }
  | { ok: false; reason: 'device-busy' | 'overloaded'; retryAfterSeconds: number };

/**
 * The sessions in progress, found by cookie, by TCP connection (for CPEs that return no cookie, quirk 2) or by
 * device. One active session per device: a second Inform for a device with a live session is turned away
 * (503 with Retry-After), so two sessions never write one device. Past `maxSessions`, new Informs are turned
 * away the same way while the sessions already running finish (admission control, security.md item 11).
 */
export class SessionRegistry {
  private readonly byId = new Map<string, CwmpSession>();
  private readonly byDevice = new Map<string, CwmpSession>();
  private readonly bySocket = new WeakMap<Socket, CwmpSession>();

  constructor(private readonly maxSessions: number) {}

  get size(): number {
    return this.byId.size;
  }

  /** Admit a session, unless its device already has a live one or the ACS is full. Expired ones are `expire`d first. */
  open(session: CwmpSession, socket: Socket | null, now: number): OpenResult {
    const current = this.byDevice.get(session.deviceId);
    if (current !== undefined && !current.isExpired(now)) {
      const left = Math.ceil((current.timeoutMs - (now - current.lastActivity)) / 1000);
      return { ok: false, reason: 'device-busy', retryAfterSeconds: Math.max(1, left) };
    }
    if (this.byId.size >= this.maxSessions)
      return { ok: false, reason: 'overloaded', retryAfterSeconds: 5 };
    this.byId.set(session.id, session);
    this.byDevice.set(session.deviceId, session);
    if (socket !== null) this.bySocket.set(socket, session);
    return { ok: true };
  }

  /**
   * The session a request belongs to: by cookie first; without one, by TCP connection (quirk 2); on a new
   * connection without a cookie (quirk 19), the single open session of the address it comes from — never a guess
   * between two, and never for an Inform (`byAddress` false): a second Inform of a device is a second session.
   */
  find(
    cookie: string | undefined,
    socket: Socket | null,
    byAddress = true,
  ): CwmpSession | undefined {
    if (cookie !== undefined) {
      // A session cookie is bound to the address that opened the session: one replayed from elsewhere is refused.
      const byCookie = this.live(this.byId.get(cookie));
      const from = socket?.remoteAddress ?? null;
      return byCookie !== undefined && (from === null || byCookie.remoteAddress === from)
        ? byCookie
        : undefined;
    }
    if (socket === null) return undefined;
    const bySocket = this.live(this.bySocket.get(socket));
    if (bySocket !== undefined) return bySocket;
    const address = socket.remoteAddress;
    if (!byAddress || address === undefined) return undefined;
    let found: CwmpSession | undefined;
    for (const session of this.byId.values()) {
      if (session.remoteAddress !== address || session.phase === 'closed') continue;
      if (found !== undefined) return undefined;
      found = session;
    }
    return found;
  }

  bindSocket(session: CwmpSession, socket: Socket | null): void {
    if (socket !== null) this.bySocket.set(socket, session);
  }

  close(session: CwmpSession): void {
    session.phase = 'closed';
    this.byId.delete(session.id);
    if (this.byDevice.get(session.deviceId) === session) this.byDevice.delete(session.deviceId);
  }

  /** Sessions idle past their timeout: removed here, returned so the caller can release their tasks. */
  expire(now: number): CwmpSession[] {
    const expired = [...this.byId.values()].filter((s) => s.isExpired(now));
    for (const s of expired) this.close(s);
    return expired;
  }

  all(): CwmpSession[] {
    return [...this.byId.values()];
  }

  private live(session: CwmpSession | undefined): CwmpSession | undefined {
    return session !== undefined && session.phase !== 'closed' ? session : undefined;
  }
}
