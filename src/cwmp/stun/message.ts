import { createHmac, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { MAGIC_COOKIE, StunAttribute } from './attributes.ts';

/**
 * STUN messages (RFC 5389, and RFC 3489's classic form, which TR-111 devices speak): a 20-byte header — type,
 * length, 16-byte transaction id, whose first 4 bytes are the magic cookie in RFC 5389 — then TLV attributes,
 * each padded to 4 bytes. Pure: bytes in, values out; nothing here touches a socket.
 */
export const StunType = {
  BindingRequest: 0x0001,
  BindingSuccess: 0x0101,
  BindingError: 0x0111,
} as const;

export interface StunMessage {
  type: number;
  /** All 16 bytes after the length: in RFC 5389 the magic cookie, then the 96-bit id. */
  transactionId: Buffer;
  attributes: { type: number; value: Buffer }[];
}

export type StunDecodeError =
  | 'too-short'
  | 'not-stun'
  | 'length-mismatch'
  | 'truncated-attribute'
  | 'too-many-attributes'
  | 'bad-fingerprint';

/** Attributes beyond this many make a message malformed: a Binding Request has a handful. */
const MAX_ATTRIBUTES = 32;
const HEADER = 20;
const FINGERPRINT_XOR = 0x5354554e;

export function isRfc5389(message: Pick<StunMessage, 'transactionId'>): boolean {
  return message.transactionId.readUInt32BE(0) === MAGIC_COOKIE;
}

export function attributeOf(message: StunMessage, type: number): Buffer | undefined {
  return message.attributes.find((a) => a.type === type)?.value;
}

export function decodeStun(
  bytes: Buffer,
): { ok: true; message: StunMessage } | { ok: false; error: StunDecodeError } {
  if (bytes.length < HEADER) return { ok: false, error: 'too-short' };
  const type = bytes.readUInt16BE(0);
  // The two top bits of every STUN message are zero (RFC 5389 §6); what else arrives on the port is not STUN.
  if (type & 0xc000) return { ok: false, error: 'not-stun' };
  const length = bytes.readUInt16BE(2);
  if (length !== bytes.length - HEADER || length % 4 !== 0) {
    return { ok: false, error: 'length-mismatch' };
  }
  const message: StunMessage = {
    type,
    transactionId: Buffer.from(bytes.subarray(4, HEADER)),
    attributes: [],
  };
  let at = HEADER;
  while (at < bytes.length) {
    if (at + 4 > bytes.length) return { ok: false, error: 'truncated-attribute' };
    const attrType = bytes.readUInt16BE(at);
    const attrLength = bytes.readUInt16BE(at + 2);
    const end = at + 4 + attrLength;
    if (end > bytes.length) return { ok: false, error: 'truncated-attribute' };
    if (message.attributes.length >= MAX_ATTRIBUTES)
      return { ok: false, error: 'too-many-attributes' };
    message.attributes.push({ type: attrType, value: Buffer.from(bytes.subarray(at + 4, end)) });
    if (attrType === StunAttribute.Fingerprint) {
      const expected =
        (crc32(withLength(bytes.subarray(0, at), end - HEADER)) ^ FINGERPRINT_XOR) >>> 0;
      if (attrLength !== 4 || bytes.readUInt32BE(at + 4) !== expected) {
        return { ok: false, error: 'bad-fingerprint' };
      }
    }
    at = end + ((4 - (attrLength % 4)) % 4);
  }
  return { ok: true, message };
}

/**
 * The bytes of `message`; with `integrityKey`, a MESSAGE-INTEGRITY in the message's own style (RFC 5389's when it
 * has the cookie, RFC 3489's otherwise), and a FINGERPRINT when asked (RFC 5389 only).
 */
export function encodeStun(
  message: StunMessage,
  options: { integrityKey?: Buffer; fingerprint?: boolean } = {},
): Buffer {
  const parts: Buffer[] = [];
  for (const { type, value } of message.attributes) parts.push(tlv(type, value));
  let body = Buffer.concat(parts);
  const header = Buffer.alloc(HEADER);
  header.writeUInt16BE(message.type, 0);
  message.transactionId.copy(header, 4, 0, 16);
  if (options.integrityKey !== undefined) {
    const withMi = body.length + 24;
    const signed = Buffer.concat([header, body]);
    signed.writeUInt16BE(withMi, 2);
    const mac = isRfc5389(message)
      ? hmac(options.integrityKey, signed)
      : hmac(options.integrityKey, padTo64(signed));
    body = Buffer.concat([body, tlv(StunAttribute.MessageIntegrity, mac)]);
  }
  if (options.fingerprint === true && isRfc5389(message)) {
    const withFp = Buffer.concat([header, body]);
    withFp.writeUInt16BE(body.length + 8, 2);
    const value = Buffer.alloc(4);
    value.writeUInt32BE((crc32(withFp) ^ FINGERPRINT_XOR) >>> 0);
    body = Buffer.concat([body, tlv(StunAttribute.Fingerprint, value)]);
  }
  header.writeUInt16BE(body.length, 2);
  return Buffer.concat([header, body]);
}

/**
 * Whether the message's MESSAGE-INTEGRITY is right for `key`: RFC 5389's HMAC (over the message up to the
 * attribute, its length counting through it) or RFC 3489's (over the same bytes padded to 64, the length as
 * sent). Devices differ; either is accepted. `bytes` is the message as received.
 */
export function integrityMatches(bytes: Buffer, key: Buffer): boolean {
  let at = HEADER;
  while (at + 4 <= bytes.length) {
    const type = bytes.readUInt16BE(at);
    const length = bytes.readUInt16BE(at + 2);
    if (type === StunAttribute.MessageIntegrity) {
      if (length !== 20 || at + 24 > bytes.length) return false;
      const mac = bytes.subarray(at + 4, at + 24);
      const before = bytes.subarray(0, at);
      const candidates = [
        hmac(key, withLength(before, at + 24 - HEADER)),
        hmac(key, padTo64(Buffer.from(before))),
      ];
      return candidates.some((c) => timingSafeEqual(c, mac));
    }
    at += 4 + length + ((4 - (length % 4)) % 4);
  }
  return false;
}

function tlv(type: number, value: Buffer): Buffer {
  const out = Buffer.alloc(4 + value.length + ((4 - (value.length % 4)) % 4));
  out.writeUInt16BE(type, 0);
  out.writeUInt16BE(value.length, 2);
  value.copy(out, 4);
  return out;
}

function withLength(prefix: Buffer, length: number): Buffer {
  const copy = Buffer.from(prefix);
  copy.writeUInt16BE(length, 2);
  return copy;
}

function padTo64(bytes: Buffer): Buffer {
  const padded = Buffer.alloc(Math.ceil(bytes.length / 64) * 64);
  bytes.copy(padded);
  return padded;
}

function hmac(key: Buffer, data: Buffer): Buffer {
  return createHmac('sha1', key).update(data).digest();
}
