import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  constantTimeEqual,
  digestHa1,
  digestResponse,
  formatNonceCount,
  parseDigestAlgorithm,
} from './hash.ts';

// Vectors from RFC 2617 §3.5, RFC 7616 §3.9.1 and draft-smith-sipping-auth-examples-01 §3 (the published
// MD5-sess example). Each was re-derived with coreutils md5sum/sha256sum before being written here; the
// SHA-256-sess vector, which no RFC prints, only that way.
const SIP = {
  username: 'bob',
  realm: 'biloxi.com',
  password: 'zanzibar',
  nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
  method: 'INVITE',
  uri: 'sip:bob@biloxi.com',
  nc: '00000001',
  cnonce: '0a4f113b',
};
const RFC7616 = {
  username: 'Mufasa',
  realm: 'http-auth@example.org',
  password: 'Circle of Life',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  method: 'GET',
  uri: '/dir/index.html',
  nc: '00000001',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
};

describe('digest computations', () => {
  it('reproduces RFC 2617 §3.5 (Mufasa, "Circle Of Life", qop=auth)', () => {
    const ha1 = digestHa1('MD5', 'Mufasa', 'testrealm@host.com', 'Circle Of Life');
    assert.equal(ha1, '939e7578ed9e3c518a452acee763bce9');
    const response = digestResponse({
      algorithm: 'MD5',
      ha1,
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      method: 'GET',
      uri: '/dir/index.html',
      qop: 'auth',
      nc: '00000001',
      cnonce: '0a4f113b',
    });
    assert.equal(response, '6629fae49393a05397450978507c4ef1');
  });

  it('reproduces RFC 7616 §3.9.1 for MD5 and SHA-256', () => {
    const input = { ...RFC7616, qop: 'auth' as const };
    const md5 = digestResponse({
      ...input,
      algorithm: 'MD5',
      ha1: digestHa1('MD5', input.username, input.realm, input.password),
    });
    assert.equal(md5, '8ca523f5e9506fed4657c9700eebdbec');
    const sha = digestResponse({
      ...input,
      algorithm: 'SHA-256',
      ha1: digestHa1('SHA-256', input.username, input.realm, input.password),
    });
    assert.equal(sha, '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  it('reproduces the legacy RFC 2069 form (no qop): draft-smith §3.1', () => {
    const response = digestResponse({
      algorithm: 'MD5',
      ha1: digestHa1('MD5', SIP.username, SIP.realm, SIP.password),
      nonce: SIP.nonce,
      method: SIP.method,
      uri: SIP.uri,
    });
    assert.equal(response, 'bf57e4e0d0bffc0fbaedce64d59add5e');
  });

  it('reproduces MD5 with qop=auth and MD5-sess: draft-smith §3.2 and §3.4', () => {
    const ha1 = digestHa1('MD5', SIP.username, SIP.realm, SIP.password);
    const base = { ...SIP, ha1, qop: 'auth' as const };
    assert.equal(digestResponse({ ...base, algorithm: 'MD5' }), '89eb0059246c02b2f6ee02c7961d5ea3');
    assert.equal(
      digestResponse({ ...base, algorithm: 'MD5-sess' }),
      'e4e4ea61d186d07a92c9e1f6919902e9',
    );
  });

  it('computes SHA-256-sess', () => {
    const ha1 = digestHa1('SHA-256', RFC7616.username, RFC7616.realm, RFC7616.password);
    assert.equal(
      digestResponse({ ...RFC7616, ha1, qop: 'auth', algorithm: 'SHA-256-sess' }),
      '2fd51b3a77ad75bad6afad6003e818d767133c46d9e2749e7f5232ae1ea3efd7',
    );
  });

  it('accepts a stored HA1 in upper case', () => {
    const ha1 = digestHa1('MD5', SIP.username, SIP.realm, SIP.password).toUpperCase();
    const r = digestResponse({ ...SIP, ha1, qop: 'auth', algorithm: 'MD5' });
    assert.equal(r, '89eb0059246c02b2f6ee02c7961d5ea3');
  });

  it('names algorithms case-insensitively, MD5 by default, and nothing it does not implement', () => {
    assert.equal(parseDigestAlgorithm(undefined), 'MD5');
    assert.equal(parseDigestAlgorithm('md5-SESS'), 'MD5-sess');
    assert.equal(parseDigestAlgorithm('sha-256'), 'SHA-256');
    assert.equal(parseDigestAlgorithm('SHA-512-256'), undefined);
    assert.equal(parseDigestAlgorithm('MD5 '), undefined);
  });

  it('writes nc as 8 lower-case hex digits', () => {
    assert.equal(formatNonceCount(1), '00000001');
    assert.equal(formatNonceCount(0xabc), '00000abc');
    assert.equal(formatNonceCount(0xffffffff), 'ffffffff');
  });

  it('compares in constant time, and unequal lengths as unequal', () => {
    assert.equal(constantTimeEqual('abc', 'abc'), true);
    assert.equal(constantTimeEqual('abc', 'abd'), false);
    assert.equal(constantTimeEqual('abc', 'abcd'), false);
    assert.equal(constantTimeEqual('', ''), true);
  });
});
