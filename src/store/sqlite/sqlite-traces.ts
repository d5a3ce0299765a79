import {
  checkTraces,
  type MessageRow,
  messageOf,
  type SessionRow,
  sessionOf,
  sessionsOverBudget,
} from '../trace-rows.ts';
import type { TraceInput, TraceMessage, TraceSession, TraceStore } from '../traces.ts';
import type { Context } from './context.ts';

/** How long after an append its device's older sessions are evicted, with every other device's due then. */
const EVICT_AFTER_MS = 1000;
/**
 * Devices whose older sessions one write evicts before the event loop has its turn: about a millisecond. At 100
 * (4.4 ms each, six back to back at 600 sessions a second) the sessions in flight waited the sweep out: S1 at half
 * load, p99 25-114 ms against 14-82 ms at 20 (four alternated runs each), for the same CPU.
 */
const EVICT_BATCH = 20;

/**
 * Session traces, within each device's budget (a session count and bytes). A new session does not evict the oldest
 * at once: the devices due are swept together a second later, twenty a write with the event loop free between them.
 * Evicting in bulk touches each page once for the many old sessions written near each other, where one eviction per
 * session rewrote scattered pages at every commit (bench:ab: about 5 % of a periodic session's CPU). Until the
 * sweep, reads leave out what it will evict, so what is read is always what the budget keeps; a sweep lost to a
 * stop is done at the device's next session.
 */
export class SqliteTraces implements TraceStore {
  readonly #ctx: Context;
  /** Devices due an eviction sweep, with the session last appended (the one kept whatever its size). */
  readonly #due = new Map<number, number>();
  #sweep: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(ctx: Context) {
    this.#ctx = ctx;
  }

  async append(
    deviceId: string,
    sessionId: string,
    messages: TraceInput | readonly TraceInput[],
  ): Promise<void> {
    const ctx = this.#ctx;
    const checked = checkTraces(sessionId, messages, ctx.settings.traceBytesPerDevice);
    if (checked.length === 0) return;
    await ctx.write(() => {
      const key = ctx.requireKey(deviceId);
      const times = checked.map(({ message }) => ctx.timeOr(message.at, 'at'));
      const insert = ctx.stmt(
        `INSERT INTO trace_messages (trace_id, device_key, seq, at, direction, body, bytes, truncated,
           http_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const bytes = checked.reduce((sum, { body }) => sum + body.bytes, 0);
      const cut = checked.some(({ body }) => body.cut) ? 1 : 0;
      const last = Math.max(...times);
      const existing = ctx
        .stmt('SELECT id FROM trace_sessions WHERE device_key = ? AND session_id = ?')
        .get(key, sessionId) as { id: number } | undefined;
      let id: number;
      let seq = 0;
      let total = bytes;
      if (existing === undefined) {
        // A new session (the usual case: a session's trace is written once, as it ends) starts with its totals.
        id = Number(
          ctx
            .stmt(
              `INSERT INTO trace_sessions (device_key, session_id, started_at, last_at, messages, bytes, truncated)
               VALUES (?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(key, sessionId, times[0], last, checked.length, bytes, cut).lastInsertRowid,
        );
      } else {
        id = existing.id;
        seq =
          (
            ctx.stmt('SELECT max(seq) AS s FROM trace_messages WHERE trace_id = ?').get(id) as {
              s: number | null;
            }
          ).s ?? 0;
        // The session's totals once per batch, not once per message.
        total = (
          ctx
            .stmt(
              `UPDATE trace_sessions SET messages = messages + ?, bytes = bytes + ?, last_at = max(last_at, ?),
                 truncated = max(truncated, ?) WHERE id = ? RETURNING bytes`,
            )
            .get(checked.length, bytes, last, cut, id) as { bytes: number }
        ).bytes;
      }
      checked.forEach(({ message, body }, i) => {
        insert.run(
          id,
          key,
          ++seq,
          times[i],
          message.direction,
          body.text,
          body.bytes,
          body.cut ? 1 : 0,
          message.httpStatus ?? null,
        );
      });
      if (total > ctx.settings.traceBytesPerDevice) this.#trimCurrent(id, total);
      this.#due.set(key, id);
    });
    this.#scheduleSweep();
  }

  async sessions(deviceId: string): Promise<TraceSession[]> {
    const ctx = this.#ctx;
    return ctx.read(() => {
      const rows = this.#kept(ctx.requireKey(deviceId));
      return rows.map((r) => sessionOf(deviceId, r));
    });
  }

  async read(
    deviceId: string,
    sessionId: string,
  ): Promise<{ session: TraceSession; messages: TraceMessage[] } | null> {
    const ctx = this.#ctx;
    return ctx.read(() => {
      const key = ctx.keyOf(deviceId);
      if (key === undefined) return null;
      const row = this.#kept(key).find((r) => r.session_id === sessionId);
      if (row === undefined) return null;
      const messages = ctx
        .stmt('SELECT * FROM trace_messages WHERE trace_id = ? ORDER BY seq')
        .all(row.id) as MessageRow[];
      return {
        session: sessionOf(deviceId, row),
        messages: messages.map(messageOf),
      };
    });
  }

  /** The device's sessions the budget keeps, newest first (an eviction may be due: its sessions are left out). */
  #kept(key: number): SessionRow[] {
    const rows = this.#ctx
      .stmt('SELECT * FROM trace_sessions WHERE device_key = ? ORDER BY id DESC')
      .all(key) as SessionRow[];
    if (rows.length === 0) return rows;
    const over = new Set(sessionsOverBudget(rows, rows[0]!.id, this.#ctx.settings));
    return over.size === 0 ? rows : rows.filter((r) => !over.has(r.id));
  }

  /** The store is closing: no sweep after it (what was due is done at each device's next session). */
  stop(): void {
    clearTimeout(this.#sweep);
    this.#sweep = undefined;
    this.#due.clear();
    this.#stopped = true;
  }

  #scheduleSweep(): void {
    if (this.#sweep !== undefined || this.#due.size === 0 || this.#stopped) return;
    this.#sweep = setTimeout(() => void this.#evictDue(), EVICT_AFTER_MS);
    this.#sweep.unref();
  }

  /** Evicts what is due now, a batch a turn of the event loop; what falls due meanwhile waits a second. */
  async #evictDue(): Promise<void> {
    const ctx = this.#ctx;
    const due = [...this.#due];
    this.#due.clear();
    for (let from = 0; from < due.length && !this.#stopped; from += EVICT_BATCH) {
      try {
        await ctx.write(() => {
          const drop = ctx.stmt('DELETE FROM trace_sessions WHERE id = ?');
          const list = ctx.stmt(
            'SELECT id, bytes FROM trace_sessions WHERE device_key = ? ORDER BY id DESC',
          );
          for (const [key, current] of due.slice(from, from + EVICT_BATCH)) {
            const rows = list.all(key) as { id: number; bytes: number }[];
            for (const id of sessionsOverBudget(rows, current, ctx.settings)) drop.run(id);
          }
        });
      } catch {
        // A closed store, or a failed write: reads leave those sessions out all the same, and the device's next
        // session makes it due again.
        break;
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.#sweep = undefined;
    this.#scheduleSweep();
  }

  /** The current session alone is over the device's budget: its oldest messages go (one is always kept). */
  #trimCurrent(currentId: number, total: number): void {
    const ctx = this.#ctx;
    const budget = ctx.settings.traceBytesPerDevice;
    let bytes = total;
    const oldest = ctx
      .stmt('SELECT id, bytes FROM trace_messages WHERE trace_id = ? ORDER BY seq')
      .all(currentId) as { id: number; bytes: number }[];
    const dropMessage = ctx.stmt('DELETE FROM trace_messages WHERE id = ?');
    let removed = 0;
    for (const m of oldest) {
      if (bytes <= budget || removed === oldest.length - 1) break;
      dropMessage.run(m.id);
      bytes -= m.bytes;
      removed++;
    }
    ctx
      .stmt(
        'UPDATE trace_sessions SET bytes = ?, messages = messages - ?, truncated = 1 WHERE id = ?',
      )
      .run(bytes, removed, currentId);
  }
}
