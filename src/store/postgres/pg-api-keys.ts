import { type ApiKeyRow, apiKeyRecordOf, LAST_USED_RESOLUTION_MS } from '../api-key-rows.ts';
import {
  type ApiKeyRecord,
  type ApiKeyStore,
  apiSecretMatches,
  generateApiToken,
  hashApiSecret,
  isRole,
  parseApiToken,
  type Role,
} from '../api-keys.ts';
import { notFound, StoreError } from '../errors.ts';
import type { Secret } from '../secret.ts';
import { checkTime } from '../settings.ts';
import type { Context } from './context.ts';

export class PgApiKeys implements ApiKeyStore {
  readonly #ctx: Context;

  constructor(ctx: Context) {
    this.#ctx = ctx;
  }

  async create(input: {
    name: string;
    role: Role;
    expiresAt?: number | null;
    createdBy?: string | null;
  }): Promise<{ key: ApiKeyRecord; token: Secret }> {
    const ctx = this.#ctx;
    const name = input?.name;
    if (typeof name !== 'string' || name === '' || name.length > 256 || !name.isWellFormed()) {
      throw new StoreError('invalid', 'api-key', 'a key name is 1-256 characters of text');
    }
    if (!isRole(input.role)) throw new StoreError('invalid', 'api-key', 'unknown role');
    const expiresAt = input.expiresAt == null ? null : checkTime(input.expiresAt, 'expiresAt');
    const { id, secret, token } = generateApiToken();
    return ctx.write(async () => {
      await ctx
        .stmt(
          `INSERT INTO api_keys (id, name, role, secret_hash, created_at, created_by, expires_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          name,
          input.role,
          hashApiSecret(secret),
          ctx.now(),
          input.createdBy ?? null,
          expiresAt,
        );
      return { key: await this.#require(id), token };
    });
  }

  async verify(token: string | Secret): Promise<ApiKeyRecord | null> {
    const ctx = this.#ctx;
    const parsed = parseApiToken(token);
    if (parsed === null) return null;
    const row = (await ctx.stmt('SELECT * FROM api_keys WHERE id = ?').get(parsed.id)) as
      | ApiKeyRow
      | undefined;
    if (row === undefined || !apiSecretMatches(parsed.secret, row.secret_hash)) return null;
    const now = ctx.now();
    if (row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now)) return null;
    if (row.last_used_at === null || now - row.last_used_at >= LAST_USED_RESOLUTION_MS) {
      await ctx.write(
        async () =>
          await ctx.stmt('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(now, row.id),
      );
      row.last_used_at = now;
    }
    return apiKeyRecordOf(row);
  }

  async get(id: string): Promise<ApiKeyRecord | null> {
    const row = (await this.#ctx.stmt('SELECT * FROM api_keys WHERE id = ?').get(id)) as
      | ApiKeyRow
      | undefined;
    return row === undefined ? null : apiKeyRecordOf(row);
  }

  async list(): Promise<ApiKeyRecord[]> {
    return (
      (await this.#ctx.stmt('SELECT * FROM api_keys ORDER BY created_at, id').all()) as ApiKeyRow[]
    ).map(apiKeyRecordOf);
  }

  async setRole(id: string, role: Role): Promise<ApiKeyRecord> {
    const ctx = this.#ctx;
    if (!isRole(role)) throw new StoreError('invalid', 'api-key', 'unknown role');
    return ctx.write(async () => {
      await this.#require(id);
      await ctx.stmt('UPDATE api_keys SET role = ? WHERE id = ?').run(role, id);
      return await this.#require(id);
    });
  }

  async revoke(id: string): Promise<ApiKeyRecord> {
    const ctx = this.#ctx;
    return ctx.write(async () => {
      await this.#require(id);
      await ctx
        .stmt('UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?')
        .run(ctx.now(), id);
      return await this.#require(id);
    });
  }

  async #require(id: string): Promise<ApiKeyRecord> {
    const row = (await this.#ctx.stmt('SELECT * FROM api_keys WHERE id = ?').get(id)) as
      | ApiKeyRow
      | undefined;
    if (row === undefined) throw notFound('api-key', String(id).slice(0, 64));
    return apiKeyRecordOf(row);
  }
}
