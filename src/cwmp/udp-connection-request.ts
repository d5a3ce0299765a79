import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The UDP connection request of TR-069 Annex G (TR-111 Part 2): one datagram holding an HTTP/1.1 GET whose query
 * carries `ts` (Unix seconds), `id` (a 32-bit message id, the same in the copies of one request), `un` (the
 * ConnectionRequestUsername), `cn` (a random cnonce) and `sig`: HMAC-SHA1 over `ts id un cn` concatenated, keyed
 * with the ConnectionRequestPassword, in hex. The CPE sends nothing back.
 */
export interface UdpConnectionRequest {
  ts: number;
  id: number;
  username: string;
  cnonce: string;
  signature: string;
}

/** A datagram longer than this is not a connection request (a real one is under 300 bytes). */
export const MAX_UDP_CONNECTION_REQUEST_BYTES = 1200;

export function signUdpConnectionRequest(
  fields: Omit<UdpConnectionRequest, 'signature'>,
  password: string,
): string {
  return createHmac('sha1', password)
    .update(`${fields.ts}${fields.id}${fields.username}${fields.cnonce}`, 'utf8')
    .digest('hex');
}

/** The datagram for `host:port` (the CPE's UDPConnectionRequestAddress). */
export function encodeUdpConnectionRequest(
  target: { host: string; port: number },
  fields: Omit<UdpConnectionRequest, 'signature'>,
  password: string,
): Buffer {
  const signature = signUdpConnectionRequest(fields, password);
  const authority = target.host.includes(':')
    ? `[${target.host}]:${target.port}`
    : `${target.host}:${target.port}`;
  const query = new URLSearchParams({
    ts: String(fields.ts),
    id: String(fields.id),
    un: fields.username,
    cn: fields.cnonce,
    sig: signature,
  });
  return Buffer.from(
    `GET http://${authority}?${query} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`,
    'utf8',
  );
}

export type UdpConnectionRequestError = 'too-long' | 'not-a-get' | 'missing-field' | 'bad-field';

/** The fields of a datagram, or why it is not a UDP connection request. Checks form, not the signature. */
export function decodeUdpConnectionRequest(
  bytes: Buffer,
): { ok: true; request: UdpConnectionRequest } | { ok: false; error: UdpConnectionRequestError } {
  if (bytes.length > MAX_UDP_CONNECTION_REQUEST_BYTES) return { ok: false, error: 'too-long' };
  const line = bytes.toString('latin1').split('\r\n', 1)[0] ?? '';
  const match = /^GET (\S+) HTTP\/1\.[01]$/.exec(line);
  if (match === null) return { ok: false, error: 'not-a-get' };
  const target = match[1] ?? '';
  const q = target.indexOf('?');
  if (q === -1) return { ok: false, error: 'missing-field' };
  const query = new URLSearchParams(target.slice(q + 1));
  const [ts, id, un, cn, sig] = ['ts', 'id', 'un', 'cn', 'sig'].map((k) => query.get(k));
  if (ts == null || id == null || un == null || cn == null || sig == null) {
    return { ok: false, error: 'missing-field' };
  }
  const tsValue = Number(ts);
  const idValue = Number(id);
  if (
    !/^\d{1,12}$/.test(ts) ||
    !/^\d{1,10}$/.test(id) ||
    idValue > 0xffffffff ||
    !/^[0-9a-fA-F]{40}$/.test(sig) ||
    cn.length > 256 ||
    un.length > 256
  ) {
    return { ok: false, error: 'bad-field' };
  }
  return {
    ok: true,
    request: { ts: tsValue, id: idValue, username: un, cnonce: cn, signature: sig.toLowerCase() },
  };
}

/** The signature is the password's: compared in constant time. */
export function udpSignatureMatches(request: UdpConnectionRequest, password: string): boolean {
  const expected = Buffer.from(signUdpConnectionRequest(request, password), 'utf8');
  const actual = Buffer.from(request.signature, 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
