import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring tokens for file-server URLs (security.md item 3). A download token lets one device fetch
 * one file until a time; an upload token lets one device send one file of one FileType until a time.
 *
 * The MAC is HMAC-SHA-256, truncated to 128 bits (as RFC 4868's HMAC-SHA-256-128: CWMP limits a Download URL
 * to 256 characters), over the length-prefixed fields (purpose, file id or FileType and name, device id,
 * expiry), so no two different field lists sign the same bytes. Its key is derived from the ACS master key
 * for this one purpose. Verification checks the MAC in constant time before anything else is believed.
 *
 * Token layout (every part base64url or base36, joined by '.'):
 * - download: `d.<expiry base36>.<device id>.<mac>` — the file id is the URL path's, and is signed;
 * - upload: `u.<expiry base36>.<nonce>.<device id>.<FileType>.<name>.<mac>` — the random nonce makes every
 *   upload URL distinct, and its MAC is the grant id the store keeps so that a URL uploads once (an older
 *   token without a nonce, `u.<expiry>.<device id>.<FileType>.<name>.<mac>`, is still accepted, once).
 */
const MAC_BYTES = 16;
const MAX_TOKEN_LENGTH = 4096;
const B64URL = /^[A-Za-z0-9_-]*$/;
const B36 = /^[0-9a-z]{1,11}$/;
const NONCE = /^[A-Za-z0-9_-]{16}$/;

/** The key for file URLs, derived from the master key (a separate key per purpose). */
export function deriveFileUrlKey(masterKey: Uint8Array): Buffer {
  return createHmac('sha256', masterKey).update('corral/file-url-signing').digest();
}

export type TokenError = 'malformed' | 'bad-signature' | 'expired';

export interface DownloadGrant {
  kind: 'download';
  fileId: string;
  deviceId: string;
  expiresAt: number;
}

export interface UploadGrant {
  kind: 'upload';
  deviceId: string;
  fileType: string;
  name: string;
  expiresAt: number;
  /** Unique per upload URL (its MAC): the store records it so that a URL uploads once. */
  grantId: string;
}

export type Verified<G> = { ok: true; grant: G } | { ok: false; error: TokenError };

function mac(key: Uint8Array, fields: readonly string[]): Buffer {
  const h = createHmac('sha256', key);
  for (const f of fields) {
    const bytes = Buffer.from(f, 'utf8');
    h.update(`${bytes.length}:`);
    h.update(bytes);
  }
  return h.digest().subarray(0, MAC_BYTES);
}

const enc = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');

function dec(s: string): string | null {
  if (!B64URL.test(s)) return null;
  const text = Buffer.from(s, 'base64url').toString('utf8');
  // Only the canonical encoding is accepted (no trailing bits, no replacement characters).
  return enc(text) === s ? text : null;
}

function expiryOf(s: string): number | null {
  if (!B36.test(s)) return null;
  const n = Number.parseInt(s, 36);
  return Number.isSafeInteger(n) ? n : null;
}

function checkExpiry(expiresAt: number): void {
  if (!Number.isSafeInteger(expiresAt) || expiresAt < 0) {
    throw new RangeError('expiresAt is whole ms since the epoch');
  }
}

export function signDownload(
  key: Uint8Array,
  grant: { fileId: string; deviceId: string; expiresAt: number },
): string {
  checkExpiry(grant.expiresAt);
  const sig = mac(key, ['download', grant.fileId, grant.deviceId, String(grant.expiresAt)]);
  return ['d', grant.expiresAt.toString(36), enc(grant.deviceId), sig.toString('base64url')].join(
    '.',
  );
}

export function signUpload(
  key: Uint8Array,
  grant: { deviceId: string; fileType: string; name: string; expiresAt: number },
  nonce: string = randomBytes(12).toString('base64url'),
): string {
  checkExpiry(grant.expiresAt);
  const fields = [
    'upload',
    grant.fileType,
    grant.name,
    grant.deviceId,
    String(grant.expiresAt),
    nonce,
  ];
  return [
    'u',
    grant.expiresAt.toString(36),
    nonce,
    enc(grant.deviceId),
    enc(grant.fileType),
    enc(grant.name),
    mac(key, fields).toString('base64url'),
  ].join('.');
}

function macMatches(key: Uint8Array, fields: readonly string[], given: string): boolean {
  const expected = mac(key, fields);
  if (!B64URL.test(given)) return false;
  const actual = Buffer.from(given, 'base64url');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Whether `token` lets its device download `fileId` at `now`. */
export function verifyDownload(
  key: Uint8Array,
  fileId: string,
  token: string | null | undefined,
  now: number,
): Verified<DownloadGrant> {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) {
    return { ok: false, error: 'malformed' };
  }
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== 'd') return { ok: false, error: 'malformed' };
  const expiresAt = expiryOf(parts[1] ?? '');
  const deviceId = dec(parts[2] ?? '');
  if (expiresAt === null || deviceId === null) return { ok: false, error: 'malformed' };
  if (!macMatches(key, ['download', fileId, deviceId, String(expiresAt)], parts[3] ?? '')) {
    return { ok: false, error: 'bad-signature' };
  }
  if (now >= expiresAt) return { ok: false, error: 'expired' };
  return { ok: true, grant: { kind: 'download', fileId, deviceId, expiresAt } };
}

/** Whether `token` lets a device upload at `now`, and which device, FileType and name it names. */
export function verifyUpload(
  key: Uint8Array,
  token: string | null | undefined,
  now: number,
): Verified<UploadGrant> {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) {
    return { ok: false, error: 'malformed' };
  }
  const parts = token.split('.');
  if ((parts.length !== 7 && parts.length !== 6) || parts[0] !== 'u') {
    return { ok: false, error: 'malformed' };
  }
  // A token signed before nonces were added has none (6 parts); its MAC still identifies it.
  const nonce = parts.length === 7 ? (parts.splice(2, 1)[0] ?? '') : null;
  if (nonce !== null && !NONCE.test(nonce)) return { ok: false, error: 'malformed' };
  const expiresAt = expiryOf(parts[1] ?? '');
  const deviceId = dec(parts[2] ?? '');
  const fileType = dec(parts[3] ?? '');
  const name = dec(parts[4] ?? '');
  if (expiresAt === null || deviceId === null || fileType === null || name === null) {
    return { ok: false, error: 'malformed' };
  }
  const fields = ['upload', fileType, name, deviceId, String(expiresAt)];
  if (nonce !== null) fields.push(nonce);
  const given = parts[5] ?? '';
  if (!macMatches(key, fields, given)) return { ok: false, error: 'bad-signature' };
  if (now >= expiresAt) return { ok: false, error: 'expired' };
  return {
    ok: true,
    grant: { kind: 'upload', deviceId, fileType, name, expiresAt, grantId: given },
  };
}
