import {
  checkTraces,
  type MessageRow,
  messageOf,
  type SessionRow,
  sessionOf,
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
      let session = (await ctx
        .stmt('SELECT * FROM trace_sessions WHERE device_key = ? AND session_id = ?')
        .get(key, sessionId)) as SessionRow | undefined;
      if (session === undefined) {
        const r = await ctx.get<{ id: number }>(
          `INSERT INTO trace_sessions (device_key, session_id, started_at, last_at) VALUES (?, ?, ?, ?)
           RETURNING id`,
          key,
          sessionId,
          times[0],
          times[0],
        );
        session = {
          id: r!.id,
          session_id: sessionId,
          started_at: times[0]!,
          last_at: times[0]!,
          messages: 0,
          bytes: 0,
          truncated: 0,
        };
      }
      let seq =
        (
          (await ctx
            .stmt('SELECT max(seq) AS s FROM trace_messages WHERE trace_id = ?')
            .get(session.id)) as { s: number | null }
        ).s ?? 0;
      for (const [i, { message, body }] of checked.entries()) {
        const at = times[i]!;
        await ctx
          .stmt(
            `INSERT INTO trace_messages (trace_id, device_key, seq, at, direction, body, bytes, truncated,
               http_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            session.id,
            key,
            ++seq,
            at,
            message.direction,
            body.text,
            body.bytes,
            body.cut ? 1 : 0,
            message.httpStatus ?? null,
          );
        await ctx
          .stmt(
            `UPDATE trace_sessions SET messages = messages + 1, bytes = bytes + ?, last_at = greatest(last_at, ?),
               truncated = greatest(truncated, ?) WHERE id = ?`,
          )
          .run(body.bytes, at, body.cut ? 1 : 0, session.id);
      }
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
    const { traceSessionsPerDevice: maxSessions, traceBytesPerDevice: budget } = ctx.settings;
    const rows = (await ctx
      .stmt('SELECT id, bytes FROM trace_sessions WHERE device_key = ? ORDER BY id DESC')
      .all(key)) as { id: number; bytes: number }[];
    const current = rows.find((r) => r.id === currentId);
    let total = current?.bytes ?? 0;
    let kept = 1;
    let evicting = false;
    const drop = await ctx.stmt('DELETE FROM trace_sessions WHERE id = ?');
    for (const r of rows) {
      if (r.id === currentId) continue;
      if (!evicting && kept < maxSessions && total + r.bytes <= budget) {
        kept++;
        total += r.bytes;
      } else {
        evicting = true;
        await drop.run(r.id);
      }
    }
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
