import { isRole, type Role } from '../api-keys.ts';
import { notFound, StoreError } from '../errors.ts';
import { decoyHash, hashPassword, passwordMatches } from '../password-hash.ts';
import type { Secret } from '../secret.ts';
import { checkName, checkPassword, type UserRow, userRecordOf } from '../user-rows.ts';
import { USER_NAME, type UserRecord, type UserStore } from '../users.ts';
import type { Context } from './context.ts';

export class PgUsers implements UserStore {
  readonly #ctx: Context;

  constructor(ctx: Context) {
    this.#ctx = ctx;
  }

  async create(input: {
    name: string;
    role: Role;
    password: Secret;
    createdBy?: string | null;
  }): Promise<UserRecord> {
    const ctx = this.#ctx;
    checkName(input.name);
    if (!isRole(input.role)) throw new StoreError('invalid', 'user', 'unknown role');
    const hash = await hashPassword(checkPassword(input.password));
    return ctx.write(async () => {
      if ((await this.#row(input.name)) !== undefined) {
        throw new StoreError('conflict', 'user', `user ${input.name} exists`);
      }
      const now = ctx.now();
      await ctx
        .stmt(
          `INSERT INTO users (name, role, password_hash, created_at, created_by, password_changed_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(input.name, input.role, hash, now, input.createdBy ?? null, now);
      return await this.#require(input.name);
    });
  }

  async verifyPassword(name: string, password: Secret): Promise<UserRecord | null> {
    const ctx = this.#ctx;
    const row =
      typeof name === 'string' && USER_NAME.test(name) ? await this.#row(name) : undefined;
    const ok = await passwordMatches(password, row?.password_hash ?? (await decoyHash()));
    if (row === undefined || !ok) return null;
    // Re-read: the user may have been removed or their password changed while the hash ran.
    return ctx.write(async () => {
      const now = await this.#row(name);
      if (now === undefined || now.password_hash !== row.password_hash) return null;
      await ctx.stmt('UPDATE users SET last_login_at = ? WHERE name = ?').run(ctx.now(), name);
      return await this.#require(name);
    });
  }

  async get(name: string): Promise<UserRecord | null> {
    const row = await this.#row(name);
    return row === undefined ? null : userRecordOf(row);
  }

  async list(): Promise<UserRecord[]> {
    return ((await this.#ctx.stmt('SELECT * FROM users ORDER BY name').all()) as UserRow[]).map(
      userRecordOf,
    );
  }

  async setPassword(name: string, password: Secret): Promise<UserRecord> {
    const ctx = this.#ctx;
    await this.#require(name);
    const hash = await hashPassword(checkPassword(password));
    return ctx.write(async () => {
      await this.#require(name);
      await ctx
        .stmt('UPDATE users SET password_hash = ?, password_changed_at = ? WHERE name = ?')
        .run(hash, ctx.now(), name);
      await ctx.stmt('DELETE FROM user_sessions WHERE user_name = ?').run(name);
      return await this.#require(name);
    });
  }

  async setRole(name: string, role: Role): Promise<UserRecord> {
    const ctx = this.#ctx;
    if (!isRole(role)) throw new StoreError('invalid', 'user', 'unknown role');
    return ctx.write(async () => {
      const user = await this.#require(name);
      if (user.role === 'admin' && role !== 'admin') await this.#keepAnAdmin(name);
      await ctx.stmt('UPDATE users SET role = ? WHERE name = ?').run(role, name);
      return await this.#require(name);
    });
  }

  async remove(name: string): Promise<UserRecord> {
    const ctx = this.#ctx;
    return ctx.write(async () => {
      const user = await this.#require(name);
      if (user.role === 'admin') await this.#keepAnAdmin(name);
      await ctx.stmt('DELETE FROM users WHERE name = ?').run(name);
      return user;
    });
  }

  async #keepAnAdmin(leaving: string): Promise<void> {
    const others = (await await this.#ctx
      .stmt("SELECT count(*) AS n FROM users WHERE role = 'admin' AND name <> ?")
      .get(leaving)) as { n: number };
    if (others.n === 0) {
      throw new StoreError('conflict', 'user', `${leaving} is the last admin user`);
    }
  }

  async #row(name: string): Promise<UserRow | undefined> {
    return (await this.#ctx.stmt('SELECT * FROM users WHERE name = ?').get(name)) as
      | UserRow
      | undefined;
  }

  async #require(name: string): Promise<UserRecord> {
    const row = await this.#row(name);
    if (row === undefined) throw notFound('user', String(name).slice(0, 64));
    return userRecordOf(row);
  }
}
