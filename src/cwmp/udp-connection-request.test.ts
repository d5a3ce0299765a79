import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  decodeUdpConnectionRequest,
  encodeUdpConnectionRequest,
  signUdpConnectionRequest,
  udpSignatureMatches,
} from './udp-connection-request.ts';

const FIELDS = { ts: 1700000000, id: 42, username: 'cr-user', cnonce: '0123456789abcdef' };

describe('UDP connection requests (TR-069 Annex G)', () => {
  it('signs ts id un cn with HMAC-SHA1 of the password, in hex (a vector computed apart)', () => {
    // python3: hmac.new(b'secret-pw', b'1700000000' b'42' b'cr-user' b'0123456789abcdef', sha1).hexdigest()
    assert.equal(
      signUdpConnectionRequest(FIELDS, 'secret-pw'),
      '45734a7b0c586ae2176a172dc2235e7f9038b05c',
    );
  });

  it('encodes one GET with the five fields and decodes it back; the signature checks', () => {
    const bytes = encodeUdpConnectionRequest(
      { host: '192.0.2.1', port: 7547 },
      FIELDS,
      'secret-pw',
    );
    const text = bytes.toString();
    assert.match(
      text,
      /^GET http:\/\/192\.0\.2\.1:7547\?ts=1700000000&id=42&un=cr-user&cn=0123456789abcdef&sig=[0-9a-f]{40} HTTP\/1\.1\r\nHost: 192\.0\.2\.1:7547\r\n\r\n$/,
    );
    const decoded = decodeUdpConnectionRequest(bytes);
    assert.ok(decoded.ok);
    assert.deepEqual(
      { ...decoded.request, signature: undefined },
      { ...FIELDS, signature: undefined },
    );
    assert.equal(udpSignatureMatches(decoded.request, 'secret-pw'), true);
    assert.equal(udpSignatureMatches(decoded.request, 'other-pw'), false);
    assert.equal(udpSignatureMatches({ ...decoded.request, id: 43 }, 'secret-pw'), false);
    const v6 = encodeUdpConnectionRequest({ host: '2001:db8::2', port: 1 }, FIELDS, 'p').toString();
    assert.match(v6, /^GET http:\/\/\[2001:db8::2\]:1\?/);
  });

  it('escapes a username with reserved characters, and reads it back', () => {
    const fields = { ...FIELDS, username: 'a&b=c d' };
    const decoded = decodeUdpConnectionRequest(
      encodeUdpConnectionRequest({ host: '192.0.2.1', port: 7547 }, fields, 'pw'),
    );
    assert.ok(decoded.ok);
    assert.equal(decoded.request.username, 'a&b=c d');
    assert.equal(udpSignatureMatches(decoded.request, 'pw'), true);
  });

  it('refuses malformed datagrams with a reason, never throwing', () => {
    const bad = (text: string) => decodeUdpConnectionRequest(Buffer.from(text));
    assert.deepEqual(bad('POST / HTTP/1.1\r\n\r\n'), { ok: false, error: 'not-a-get' });
    assert.deepEqual(bad('GET http://h:1?ts=1&id=2&un=u&cn=c HTTP/1.1\r\n\r\n'), {
      ok: false,
      error: 'missing-field',
    });
    assert.deepEqual(
      bad(`GET http://h:1?ts=1&id=99999999999&un=u&cn=c&sig=${'a'.repeat(40)} HTTP/1.1\r\n\r\n`),
      {
        ok: false,
        error: 'bad-field',
      },
    );
    assert.deepEqual(decodeUdpConnectionRequest(Buffer.alloc(5000, 65)), {
      ok: false,
      error: 'too-long',
    });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        decodeUdpConnectionRequest(Buffer.from(bytes));
      }),
      { numRuns: 1000 },
    );
  });
});
