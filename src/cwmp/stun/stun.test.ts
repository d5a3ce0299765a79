import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  CONNECTION_REQUEST_BINDING_VALUE,
  decodeAddress,
  decodeXorAddress,
  encodeAddress,
  encodeXorAddress,
  MAGIC_COOKIE,
  StunAttribute,
} from './attributes.ts';
import {
  attributeOf,
  decodeStun,
  encodeStun,
  integrityMatches,
  isRfc5389,
  StunType,
} from './message.ts';

/** A TR-111 Binding Request as a classic (RFC 3489) CPE sends it, built byte by byte, not by our encoder. */
function classicBindingRequest(options: { bindingChange?: boolean } = {}): Buffer {
  const value = Buffer.from(CONNECTION_REQUEST_BINDING_VALUE, 'ascii');
  const attrs = [Buffer.from([0xc0, 0x01, 0x00, value.length]), value];
  if (options.bindingChange) attrs.push(Buffer.from([0xc0, 0x02, 0x00, 0x00]));
  const body = Buffer.concat(attrs);
  const header = Buffer.alloc(20);
  header.writeUInt16BE(0x0001, 0);
  header.writeUInt16BE(body.length, 2);
  randomBytes(16).copy(header, 4);
  return Buffer.concat([header, body]);
}

describe('STUN messages', () => {
  it('decodes a classic TR-111 Binding Request with its CONNECTION-REQUEST-BINDING and BINDING-CHANGE', () => {
    const bytes = classicBindingRequest({ bindingChange: true });
    const result = decodeStun(bytes);
    assert.ok(result.ok);
    assert.equal(result.message.type, StunType.BindingRequest);
    assert.equal(isRfc5389(result.message), false);
    assert.equal(
      attributeOf(result.message, StunAttribute.ConnectionRequestBinding)?.toString('ascii'),
      'dslforum.org/TR-111 ',
    );
    assert.deepEqual(attributeOf(result.message, StunAttribute.BindingChange), Buffer.alloc(0));
    assert.deepEqual(result.message.transactionId, bytes.subarray(4, 20));
  });

  it('round-trips a message through encode and decode, with padding', () => {
    const transactionId = Buffer.concat([Buffer.from([0x21, 0x12, 0xa4, 0x42]), randomBytes(12)]);
    const message = {
      type: StunType.BindingSuccess,
      transactionId,
      attributes: [
        { type: StunAttribute.Username, value: Buffer.from('cpe-1') },
        { type: StunAttribute.Software, value: Buffer.from('corral') },
      ],
    };
    const bytes = encodeStun(message, { fingerprint: true });
    assert.equal(bytes.length % 4, 0);
    const decoded = decodeStun(bytes);
    assert.ok(decoded.ok);
    assert.deepEqual(decoded.message.attributes.slice(0, 2), message.attributes);
    assert.equal(decoded.message.attributes[2]?.type, StunAttribute.Fingerprint);
    const tampered = Buffer.from(bytes);
    tampered[25]! ^= 1;
    assert.deepEqual(decodeStun(tampered), { ok: false, error: 'bad-fingerprint' });
  });

  it('MESSAGE-INTEGRITY: RFC 5389 and RFC 3489 forms, checked against an independent HMAC', () => {
    const key = Buffer.from('stun-password');
    for (const rfc5389 of [true, false]) {
      const transactionId = randomBytes(16);
      if (rfc5389) transactionId.writeUInt32BE(MAGIC_COOKIE, 0);
      const message = {
        type: StunType.BindingRequest,
        transactionId,
        attributes: [{ type: StunAttribute.Username, value: Buffer.from('user') }],
      };
      const bytes = encodeStun(message, { integrityKey: key });
      assert.equal(integrityMatches(bytes, key), true);
      assert.equal(integrityMatches(bytes, Buffer.from('wrong')), false);
      // By hand: the bytes before the attribute, the length counting through it (3489: padded to 64 bytes).
      const before = Buffer.from(bytes.subarray(0, bytes.length - 24));
      before.writeUInt16BE(bytes.length - 20, 2);
      const input = rfc5389 ? before : Buffer.concat([before, Buffer.alloc(64 - before.length)]);
      const mac = createHmac('sha1', key).update(input).digest();
      assert.deepEqual(bytes.subarray(bytes.length - 20), mac, rfc5389 ? '5389' : '3489');
      const flipped = Buffer.from(bytes);
      flipped[24]! ^= 0x20;
      assert.equal(integrityMatches(flipped, key), false, 'any changed byte breaks it');
    }
    assert.equal(integrityMatches(classicBindingRequest(), key), false, 'no integrity at all');
  });

  it('addresses: MAPPED-ADDRESS and XOR-MAPPED-ADDRESS, IPv4 and IPv6', () => {
    const transactionId = Buffer.concat([Buffer.from([0x21, 0x12, 0xa4, 0x42]), randomBytes(12)]);
    for (const address of [
      { address: '192.0.2.7', port: 7547 },
      { address: '2001:db8::1', port: 65535 },
    ]) {
      assert.deepEqual(decodeAddress(encodeAddress(address)), address);
      const xored = encodeXorAddress(address, transactionId);
      assert.notDeepEqual(xored, encodeAddress(address));
      assert.deepEqual(decodeXorAddress(xored, transactionId), address);
    }
    // RFC 5389 §15.2 by hand: port 7547 ^ 0x2112, 192.0.2.7 ^ 0x2112a442.
    const v4 = encodeXorAddress({ address: '192.0.2.7', port: 7547 }, transactionId);
    assert.equal(v4.readUInt16BE(2), 7547 ^ 0x2112);
    assert.equal(v4.readUInt32BE(4), (0xc0000207 ^ 0x2112a442) >>> 0);
    assert.equal(decodeAddress(Buffer.from([0, 9, 0, 1, 1, 2, 3, 4])), null, 'unknown family');
  });

  it('refuses what is not STUN, or is cut short, without throwing on any input', () => {
    assert.deepEqual(decodeStun(Buffer.alloc(10)), { ok: false, error: 'too-short' });
    const http = Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.deepEqual(decodeStun(http), { ok: false, error: 'not-stun' });
    const request = classicBindingRequest();
    assert.deepEqual(decodeStun(request.subarray(0, request.length - 4)), {
      ok: false,
      error: 'length-mismatch',
    });
    const lying = Buffer.from(request);
    lying.writeUInt16BE(200, 22); // the attribute claims more than there is
    assert.deepEqual(decodeStun(lying), { ok: false, error: 'truncated-attribute' });
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 200 }), (bytes) => {
        const buffer = Buffer.from(bytes);
        const result = decodeStun(buffer);
        if (result.ok) assert.ok(result.message.attributes.length <= 32);
        integrityMatches(buffer, Buffer.from('k'));
      }),
      { numRuns: 2000 },
    );
  });
});
