import type { Secret } from '../secret.ts';
import { userRecordOf } from '../user-rows.ts';
import { type UserSessionRow, userSessionRecordOf } from '../user-session-rows.ts';
import {
  generateSessionToken,
  sessionTokenHash,
  TOUCH_RESOLUTION_MS,
  type UserSessionRecord,
  type UserSessionStore,
} from '../user-sessions.ts';
import type { UserRecord } from '../users.ts';
import type { Context } from './context.ts';

export class SqliteUserSessions implements UserSessionStore {
  readonly #ctx: Context;

  constructor(ctx: Context) {
    this.#ctx = ctx;
  }

  async create(
    userName: string,
    limits: { idleMs: number; maxAgeMs: number },
  ): Promise<{ session: UserSessionRecord; token: Secret }> {
    const ctx = this.#ctx;
    const token = generateSessionToken();
    const hash = sessionTokenHash(token) as Buffer;
    return ctx.write(() => {
      const now = ctx.now();
      ctx
        .stmt(
          `INSERT INTO user_sessions (token_hash, user_name, created_at, last_seen_at, idle_ms, expires_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(
          hash,
          userName,
          now,
          now,
          Math.trunc(limits.idleMs),
          now + Math.trunc(limits.maxAgeMs),
        );
      const row = ctx
        .stmt('SELECT * FROM user_sessions WHERE token_hash = ?')
        .get(hash) as UserSessionRow;
      return { session: userSessionRecordOf(row), token };
    });
  }

  async verify(token: Secret): Promise<{ session: UserSessionRecord; user: UserRecord } | null> {
    const ctx = this.#ctx;
    const hash = sessionTokenHash(token);
    if (hash === null) return null;
    const row = ctx
      .stmt(
        `SELECT s.*, u.name, u.role, u.password_hash, u.created_at AS u_created_at, u.created_by,
                u.password_changed_at, u.last_login_at
         FROM user_sessions s JOIN users u ON u.name = s.user_name WHERE s.token_hash = ?`,
      )
      .get(hash) as
      | (UserSessionRow & {
          name: string;
          role: UserRecord['role'];
          password_hash: string;
          u_created_at: number;
          created_by: string | null;
          password_changed_at: number;
          last_login_at: number | null;
        })
      | undefined;
    if (row === undefined) return null;
    const now = ctx.now();
    if (now >= row.expires_at || now - row.last_seen_at >= row.idle_ms) {
      await ctx.write(() => ctx.stmt('DELETE FROM user_sessions WHERE token_hash = ?').run(hash));
      return null;
    }
    if (now - row.last_seen_at >= TOUCH_RESOLUTION_MS) {
      await ctx.write(() =>
        ctx.stmt('UPDATE user_sessions SET last_seen_at = ? WHERE token_hash = ?').run(now, hash),
      );
      row.last_seen_at = now;
    }
    return {
      session: userSessionRecordOf(row),
      user: userRecordOf({ ...row, created_at: row.u_created_at }),
    };
  }

  async revoke(token: Secret): Promise<boolean> {
    const ctx = this.#ctx;
    const hash = sessionTokenHash(token);
    if (hash === null) return false;
    return ctx.write(
      () => ctx.stmt('DELETE FROM user_sessions WHERE token_hash = ?').run(hash).changes > 0,
    );
  }

  async prune(): Promise<number> {
    const ctx = this.#ctx;
    return ctx.write(
      () =>
        ctx
          .stmt(
            'DELETE FROM user_sessions WHERE expires_at <= @now OR last_seen_at + idle_ms <= @now',
          )
          .run({ now: ctx.now() }).changes,
    );
  }
}
