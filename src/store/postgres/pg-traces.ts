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

export class PgTraces implements TraceStore {
  readonly #ctx: Context;

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
    await ctx.writeDevice(async () => {
      const key = await ctx.requireKey(deviceId);
      const times = checked.map(({ message }) => ctx.timeOr(message.at, 'at'));
      // The session's row and its totals in one statement, the batch's messages in another: a session's trace
      // costs the same few round trips however many messages it has.
      const session = (await ctx.get<{ id: number }>(
        `INSERT INTO trace_sessions AS s (device_key, session_id, started_at, last_at, messages, bytes, truncated)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (device_key, session_id) DO UPDATE SET messages = s.messages + excluded.messages,
           bytes = s.bytes + excluded.bytes, last_at = greatest(s.last_at, excluded.last_at),
           truncated = greatest(s.truncated, excluded.truncated)
         RETURNING id`,
        key,
        sessionId,
        times[0],
        Math.max(...times),
        checked.length,
        checked.reduce((sum, { body }) => sum + body.bytes, 0),
        checked.some(({ body }) => body.cut) ? 1 : 0,
      ))!;
      await ctx.run(
        `INSERT INTO trace_messages (trace_id, device_key, seq, at, direction, body, bytes, truncated, http_status)
         SELECT ?, ?, m.n + coalesce((SELECT max(seq) FROM trace_messages WHERE trace_id = ?), 0), m.at,
           m.direction, m.body, m.bytes, m.truncated, m.http_status
         FROM unnest(?::bigint[], ?::text[], ?::text[], ?::bigint[], ?::smallint[], ?::integer[])
           WITH ORDINALITY AS m(at, direction, body, bytes, truncated, http_status, n)`,
        session.id,
        key,
        session.id,
        times,
        checked.map(({ message }) => message.direction),
        checked.map(({ body }) => body.text),
        checked.map(({ body }) => body.bytes),
        checked.map(({ body }) => (body.cut ? 1 : 0)),
        checked.map(({ message }) => message.httpStatus ?? null),
      );
      await this.#enforceBudget(key, session.id);
    });
  }

  async sessions(deviceId: string): Promise<TraceSession[]> {
    const ctx = this.#ctx;
    return ctx.read(async () => {
      const rows = (await ctx
        .stmt('SELECT * FROM trace_sessions WHERE device_key = ? ORDER BY id DESC')
        .all(await ctx.requireKey(deviceId))) as SessionRow[];
      return rows.map((r) => sessionOf(deviceId, r));
    });
  }

  async read(
    deviceId: string,
    sessionId: string,
  ): Promise<{ session: TraceSession; messages: TraceMessage[] } | null> {
    const ctx = this.#ctx;
    return ctx.read(async () => {
      const key = await ctx.keyOf(deviceId);
      if (key === undefined) return null;
      const row = (await ctx
        .stmt('SELECT * FROM trace_sessions WHERE device_key = ? AND session_id = ?')
        .get(key, sessionId)) as SessionRow | undefined;
      if (row === undefined) return null;
      const messages = (await ctx
        .stmt('SELECT * FROM trace_messages WHERE trace_id = ? ORDER BY seq')
        .all(row.id)) as MessageRow[];
      return {
        session: sessionOf(deviceId, row),
        messages: messages.map(messageOf),
      };
    });
  }

  /**
   * Keep the current session and, newest first, as many earlier sessions as fit both the session count
   * and the byte budget; once one does not fit, it and all older ones go. If the current session alone
   * is over budget, its oldest messages go.
   */
  async #enforceBudget(key: number, currentId: number): Promise<void> {
    const ctx = this.#ctx;
    const budget = ctx.settings.traceBytesPerDevice;
    const rows = (await ctx
      .stmt('SELECT id, bytes FROM trace_sessions WHERE device_key = ? ORDER BY id DESC')
      .all(key)) as { id: number; bytes: number }[];
    const drop = await ctx.stmt('DELETE FROM trace_sessions WHERE id = ?');
    for (const id of sessionsOverBudget(rows, currentId, ctx.settings)) await drop.run(id);
    const current = rows.find((r) => r.id === currentId);
    if (current === undefined || current.bytes <= budget) return;
    let bytes = current.bytes;
    const oldest = (await ctx
      .stmt('SELECT id, bytes FROM trace_messages WHERE trace_id = ? ORDER BY seq')
      .all(currentId)) as { id: number; bytes: number }[];
    const dropMessage = await ctx.stmt('DELETE FROM trace_messages WHERE id = ?');
    let removed = 0;
    for (const m of oldest) {
      if (bytes <= budget || removed === oldest.length - 1) break;
      await dropMessage.run(m.id);
      bytes -= m.bytes;
      removed++;
    }
    await ctx
      .stmt(
        'UPDATE trace_sessions SET bytes = ?, messages = messages - ?, truncated = 1 WHERE id = ?',
      )
      .run(bytes, removed, currentId);
  }
}
