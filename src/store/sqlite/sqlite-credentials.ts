import {
  allowList,
  type BootstrapRow,
  bootstrapContext,
  type CpeRow,
  connectionRequestOf,
  connectionRequestPlain,
  cpeContext,
  cpeOf,
  crContext,
  infoOf,
  password,
  username,
} from '../credential-rows.ts';
import type {
  AllowList,
  BootstrapCredential,
  BootstrapCredentialInfo,
  ConnectionRequestCredential,
  CpeCredential,
  CredentialStore,
} from '../credentials.ts';
import { decodeDeviceId } from '../device-id.ts';
import { StoreError } from '../errors.ts';
import { json } from '../json.ts';
import { Secret } from '../secret.ts';
import { type Context, isUniqueViolation } from './context.ts';

export class SqliteCredentials implements CredentialStore {
  readonly #ctx: Context;

  constructor(ctx: Context) {
    this.#ctx = ctx;
  }

  async setCpe(
    deviceId: string,
    credential: { username: string; password: Secret },
  ): Promise<void> {
    const ctx = this.#ctx;
    decodeDeviceId(deviceId);
    const user = username(credential?.username);
    const sealed = ctx.box.seal(password(credential.password), cpeContext(deviceId));
    try {
      await ctx.write(() =>
        ctx
          .stmt(
            `INSERT INTO cpe_credentials (device_id, username, password, updated_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (device_id) DO UPDATE SET username = excluded.username,
               password = excluded.password, updated_at = excluded.updated_at`,
          )
          .run(deviceId, user, sealed, ctx.now()),
      );
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new StoreError('conflict', 'credential', 'that username belongs to another device');
      }
      throw e;
    }
  }

  async getCpe(deviceId: string): Promise<CpeCredential | null> {
    const row = this.#ctx.stmt('SELECT * FROM cpe_credentials WHERE device_id = ?').get(deviceId);
    return row === undefined ? null : cpeOf(this.#ctx, row as CpeRow);
  }

  async findCpeByUsername(user: string): Promise<CpeCredential | null> {
    const row = this.#ctx.stmt('SELECT * FROM cpe_credentials WHERE username = ?').get(user);
    return row === undefined ? null : cpeOf(this.#ctx, row as CpeRow);
  }

  async deleteCpe(deviceId: string): Promise<boolean> {
    const ctx = this.#ctx;
    return ctx.write(
      () => ctx.stmt('DELETE FROM cpe_credentials WHERE device_id = ?').run(deviceId).changes > 0,
    );
  }

  async setConnectionRequest(
    deviceId: string,
    credential: { username: string; password: Secret },
  ): Promise<void> {
    const ctx = this.#ctx;
    decodeDeviceId(deviceId);
    const plain = connectionRequestPlain(credential);
    const sealed = ctx.box.seal(plain, crContext(deviceId));
    await ctx.write(() =>
      ctx
        .stmt(
          `INSERT INTO connection_request_credentials (device_id, sealed, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (device_id) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at`,
        )
        .run(deviceId, sealed, ctx.now()),
    );
  }

  async getConnectionRequest(deviceId: string): Promise<ConnectionRequestCredential | null> {
    const ctx = this.#ctx;
    const row = ctx
      .stmt('SELECT sealed, updated_at FROM connection_request_credentials WHERE device_id = ?')
      .get(deviceId) as { sealed: Uint8Array; updated_at: number } | undefined;
    return row === undefined ? null : connectionRequestOf(ctx, deviceId, row);
  }

  async deleteConnectionRequest(deviceId: string): Promise<boolean> {
    const ctx = this.#ctx;
    return ctx.write(
      () =>
        ctx.stmt('DELETE FROM connection_request_credentials WHERE device_id = ?').run(deviceId)
          .changes > 0,
    );
  }

  async putBootstrap(credential: {
    username: string;
    password: Secret;
    allow: AllowList;
    enabled?: boolean;
  }): Promise<BootstrapCredentialInfo> {
    const ctx = this.#ctx;
    const user = username(credential?.username);
    const allow = allowList(credential.allow);
    const sealed = ctx.box.seal(password(credential.password), bootstrapContext(user));
    const enabled = credential.enabled ?? true;
    return ctx.write(() => {
      const now = ctx.now();
      ctx
        .stmt(
          `INSERT INTO bootstrap_credentials (username, password, allow_ouis, allow_product_classes,
             serial_pattern, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (username) DO UPDATE SET password = excluded.password,
             allow_ouis = excluded.allow_ouis, allow_product_classes = excluded.allow_product_classes,
             serial_pattern = excluded.serial_pattern, enabled = excluded.enabled,
             updated_at = excluded.updated_at`,
        )
        .run(
          user,
          sealed,
          json(allow.ouis),
          json(allow.productClasses),
          allow.serialPattern,
          enabled ? 1 : 0,
          now,
          now,
        );
      return infoOf(
        ctx
          .stmt('SELECT * FROM bootstrap_credentials WHERE username = ?')
          .get(user) as BootstrapRow,
      );
    });
  }

  async getBootstrap(user: string): Promise<BootstrapCredential | null> {
    const ctx = this.#ctx;
    const row = ctx.stmt('SELECT * FROM bootstrap_credentials WHERE username = ?').get(user) as
      | BootstrapRow
      | undefined;
    if (row === undefined) return null;
    return {
      ...infoOf(row),
      password: new Secret(ctx.box.open(row.password, bootstrapContext(row.username))),
    };
  }

  async listBootstrap(): Promise<BootstrapCredentialInfo[]> {
    const rows = this.#ctx
      .stmt('SELECT * FROM bootstrap_credentials ORDER BY username')
      .all() as BootstrapRow[];
    return rows.map(infoOf);
  }

  async deleteBootstrap(user: string): Promise<boolean> {
    const ctx = this.#ctx;
    return ctx.write(
      () => ctx.stmt('DELETE FROM bootstrap_credentials WHERE username = ?').run(user).changes > 0,
    );
  }
}
