import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { StoreError } from './errors.ts';

/**
 * AES-256-GCM for secrets at rest (security.md item 13: a store dump shows ciphertext).
 *
 * Layout of a sealed value: version (1 byte, 0x01) ‖ IV (12 random bytes) ‖ tag (16 bytes) ‖ ciphertext.
 * A fresh random IV per seal is safe for far more than 2^32 seals under one key for values this size.
 *
 * Every seal names its place as additional authenticated data (for example `cpe-password:<device id>`):
 * ciphertext copied to another row, or to another device, fails to open instead of handing one device's
 * password to another. A wrong key fails the same way. Failures say nothing about the plaintext.
 */
export const SECRET_KEY_BYTES = 32;
const VERSION = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER = 1 + IV_BYTES + TAG_BYTES;

export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Uint8Array) {
    if (!(key instanceof Uint8Array) || key.length !== SECRET_KEY_BYTES) {
      throw new StoreError(
        'invalid',
        'store',
        `the secret key must be ${SECRET_KEY_BYTES} bytes (AES-256)`,
      );
    }
    this.#key = Buffer.from(key);
  }

  seal(plaintext: string, context: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.of(VERSION), iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Uint8Array, context: string): string {
    const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    if (buf.length < HEADER || buf[0] !== VERSION) {
      throw new StoreError('decrypt-failed', 'store', 'a stored secret is not in a known format');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, buf.subarray(1, 1 + IV_BYTES));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(buf.subarray(1 + IV_BYTES, HEADER));
      return Buffer.concat([decipher.update(buf.subarray(HEADER)), decipher.final()]).toString(
        'utf8',
      );
    } catch (cause) {
      throw new StoreError(
        'decrypt-failed',
        'store',
        'a stored secret could not be decrypted (wrong key, or the value was altered or moved)',
        { cause },
      );
    }
  }
}
