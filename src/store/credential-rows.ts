/** The credential tables' rows, their mapping to records, and the checks and secret contexts of what is written to them. */
import {
  type AllowList,
  type BootstrapCredentialInfo,
  type ConnectionRequestCredential,
  type CpeCredential,
  isLimited,
} from './credentials.ts';
import { StoreError } from './errors.ts';
import { json } from './json.ts';
import { Secret } from './secret.ts';
import type { SecretBox } from './secret-box.ts';

const MAX_USERNAME = 256;

const MAX_ALLOW = 1000;

export function username(value: unknown): string {
  if (
    typeof value !== 'string' ||
    value === '' ||
    value.length > MAX_USERNAME ||
    !value.isWellFormed()
  ) {
    throw new StoreError(
      'invalid',
      'credential',
      `a username is 1-${MAX_USERNAME} characters of text`,
    );
  }
  return value;
}

export function password(value: unknown): string {
  if (!(value instanceof Secret))
    throw new StoreError('invalid', 'credential', 'a password is a Secret');
  const text = value.reveal();
  if (!text.isWellFormed())
    throw new StoreError('invalid', 'credential', 'a password is well-formed text');
  return text;
}

export function allowList(allow: AllowList): AllowList {
  const strings = (v: unknown) =>
    Array.isArray(v) &&
    v.length <= MAX_ALLOW &&
    v.every((s) => typeof s === 'string' && s.isWellFormed());
  if (
    !strings(allow?.ouis) ||
    !strings(allow.productClasses) ||
    !(
      allow.serialPattern === null ||
      (typeof allow.serialPattern === 'string' && allow.serialPattern !== '')
    )
  ) {
    throw new StoreError(
      'invalid',
      'credential',
      'an allow-list is { ouis, productClasses, serialPattern }',
    );
  }
  if (!isLimited(allow)) {
    throw new StoreError(
      'invalid',
      'credential',
      'a bootstrap credential must be limited by OUI, ProductClass or serial pattern',
    );
  }
  return {
    ouis: [...allow.ouis],
    productClasses: [...allow.productClasses],
    serialPattern: allow.serialPattern,
  };
}

export const cpeContext = (deviceId: string) => `cpe-password:${deviceId}`;

export const crContext = (deviceId: string) => `connection-request:${deviceId}`;

export const bootstrapContext = (user: string) => `bootstrap-password:${user}`;

export interface CpeRow {
  device_id: string;
  username: string;
  password: Uint8Array;
  updated_at: number;
}

export interface BootstrapRow {
  username: string;
  password: Uint8Array;
  allow_ouis: string;
  allow_product_classes: string;
  serial_pattern: string | null;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export function infoOf(row: BootstrapRow): BootstrapCredentialInfo {
  return {
    username: row.username,
    allow: {
      ouis: JSON.parse(row.allow_ouis) as string[],
      productClasses: JSON.parse(row.allow_product_classes) as string[],
      serialPattern: row.serial_pattern,
    },
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function cpeOf(ctx: { readonly box: SecretBox }, row: CpeRow): CpeCredential {
  return {
    deviceId: row.device_id,
    username: row.username,
    password: new Secret(ctx.box.open(row.password, cpeContext(row.device_id))),
    updatedAt: row.updated_at,
  };
}

/** A connection-request credential checked, as the JSON text that is sealed. */
export function connectionRequestPlain(credential: { username: string; password: Secret }): string {
  if (typeof credential?.username !== 'string' || credential.username.length > MAX_USERNAME) {
    throw new StoreError(
      'invalid',
      'credential',
      `a username is at most ${MAX_USERNAME} characters`,
    );
  }
  return json({ username: credential.username, password: password(credential.password) });
}

export function connectionRequestOf(
  ctx: { readonly box: SecretBox },
  deviceId: string,
  row: { sealed: Uint8Array; updated_at: number },
): ConnectionRequestCredential {
  const pair = JSON.parse(ctx.box.open(row.sealed, crContext(deviceId))) as {
    username: string;
    password: string;
  };
  return {
    deviceId,
    username: pair.username,
    password: new Secret(pair.password),
    updatedAt: row.updated_at,
  };
}
