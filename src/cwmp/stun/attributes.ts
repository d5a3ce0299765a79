import { isIPv4, isIPv6 } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The STUN attributes Corral reads and writes: RFC 3489's classic set (TR-111 Part 2 / TR-069 Annex G is built on
 * it), RFC 5389's additions, and TR-111's two of its own.
 */
export const StunAttribute = {
  MappedAddress: 0x0001,
  /** RFC 3489 only: where the response was sent from. */
  SourceAddress: 0x0004,
  /** RFC 3489 only: the address a CHANGE-REQUEST would answer from (ours: the same). */
  ChangedAddress: 0x0005,
  Username: 0x0006,
  MessageIntegrity: 0x0008,
  ErrorCode: 0x0009,
  UnknownAttributes: 0x000a,
  XorMappedAddress: 0x0020,
  Software: 0x8022,
  Fingerprint: 0x8028,
  /** TR-111: "this binding is the CPE's UDP connection-request address"; value `dslforum.org/TR-111 `. */
  ConnectionRequestBinding: 0xc001,
  /** TR-111: zero length; the CPE's mapped address changed since its last Binding Request. */
  BindingChange: 0xc002,
} as const;

/** The value of CONNECTION-REQUEST-BINDING: 20 ASCII bytes, the last a space. */
export const CONNECTION_REQUEST_BINDING_VALUE = 'dslforum.org/TR-111 ';

export const MAGIC_COOKIE = 0x2112a442;

export interface TransportAddress {
  address: string;
  port: number;
}

/** MAPPED-ADDRESS, SOURCE-ADDRESS, CHANGED-ADDRESS: family, port, address, in clear. */
export function encodeAddress({ address, port }: TransportAddress): Buffer {
  const v4 = isIPv4(address);
  if (!v4 && !isIPv6(address)) throw new TypeError(`not an IP address: ${address}`);
  const bytes = ipBytes(address);
  const out = Buffer.alloc(4 + bytes.length);
  out[1] = v4 ? 0x01 : 0x02;
  out.writeUInt16BE(port, 2);
  bytes.copy(out, 4);
  return out;
}

export function decodeAddress(value: Buffer): TransportAddress | null {
  if (value.length < 4) return null;
  const family = value[1];
  const length = family === 0x01 ? 4 : family === 0x02 ? 16 : 0;
  if (length === 0 || value.length !== 4 + length) return null;
  return { port: value.readUInt16BE(2), address: ipText(value.subarray(4)) };
}

/** XOR-MAPPED-ADDRESS (RFC 5389 §15.2): the port and address XORed with the cookie (and the transaction id). */
export function encodeXorAddress(address: TransportAddress, transactionId: Buffer): Buffer {
  const out = encodeAddress(address);
  xorInPlace(out, transactionId);
  return out;
}

export function decodeXorAddress(value: Buffer, transactionId: Buffer): TransportAddress | null {
  const copy = Buffer.from(value);
  if (copy.length < 4) return null;
  xorInPlace(copy, transactionId);
  return decodeAddress(copy);
}

/** `transactionId` is the header's 16 bytes: the magic cookie then the 96-bit id. */
function xorInPlace(encoded: Buffer, transactionId: Buffer): void {
  encoded.writeUInt16BE(encoded.readUInt16BE(2) ^ (MAGIC_COOKIE >>> 16), 2);
  for (let i = 4; i < encoded.length; i++) encoded[i]! ^= transactionId[i - 4]!;
}

function ipBytes(address: string): Buffer {
  return Buffer.from(ipaddr.parse(address).toByteArray());
}

function ipText(bytes: Buffer): string {
  return ipaddr.fromByteArray([...bytes]).toString();
}
