import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  deriveFileUrlKey,
  signDownload,
  signUpload,
  verifyDownload,
  verifyUpload,
} from './signed-url.ts';

const KEY = deriveFileUrlKey(new Uint8Array(32).fill(1));
const FILE = 'a'.repeat(32);
const T = 1_767_225_600_000;

describe('signed file URLs', () => {
  it('derives a per-purpose key that differs from the master key and per master key', () => {
    assert.equal(KEY.length, 32);
    assert.notDeepEqual(KEY, Buffer.alloc(32, 1));
    assert.notDeepEqual(deriveFileUrlKey(new Uint8Array(32).fill(2)), KEY);
  });

  it('accepts a download token for its file and device until it expires', () => {
    const token = signDownload(KEY, { fileId: FILE, deviceId: 'A-B-C', expiresAt: T });
    assert.deepEqual(verifyDownload(KEY, FILE, token, T - 1), {
      ok: true,
      grant: { kind: 'download', fileId: FILE, deviceId: 'A-B-C', expiresAt: T },
    });
    assert.deepEqual(verifyDownload(KEY, FILE, token, T), { ok: false, error: 'expired' });
    assert.deepEqual(verifyDownload(KEY, 'b'.repeat(32), token, 0), {
      ok: false,
      error: 'bad-signature',
    });
    const otherKey = deriveFileUrlKey(new Uint8Array(32).fill(3));
    assert.equal(verifyDownload(otherKey, FILE, token, 0).ok, false);
  });

  it('says malformed for anything not shaped like a token, bad-signature for any altered part', () => {
    for (const bad of [
      null,
      undefined,
      '',
      'd',
      'd.1.2',
      'd.1.QQ.x.y',
      'u.1.QQ.x',
      'd.-1.QQ.x',
      'd.1.Q=Q.x',
      'd.1.QR.x',
      'x'.repeat(5000),
    ]) {
      assert.deepEqual(
        verifyDownload(KEY, FILE, bad, 0),
        { ok: false, error: 'malformed' },
        String(bad),
      );
    }
    const token = signDownload(KEY, { fileId: FILE, deviceId: 'A-B-C', expiresAt: T });
    const parts = token.split('.');
    const variants = [
      [parts[0], (T + 1).toString(36), parts[2], parts[3]],
      [parts[0], parts[1], Buffer.from('A-B-D').toString('base64url'), parts[3]],
      [
        parts[0],
        parts[1],
        parts[2],
        `${parts[3]?.slice(0, -1)}${parts[3]?.endsWith('A') ? 'Q' : 'A'}`,
      ],
    ];
    for (const v of variants) {
      assert.deepEqual(verifyDownload(KEY, FILE, v.join('.'), 0), {
        ok: false,
        error: 'bad-signature',
      });
    }
  });

  it('binds an upload token to its device, FileType, name and expiry, and keeps the kinds apart', () => {
    const grant = {
      deviceId: 'A-B-C',
      fileType: '2 Vendor Log File',
      name: 'syslog',
      expiresAt: T,
    };
    const token = signUpload(KEY, grant);
    assert.deepEqual(verifyUpload(KEY, token, 0), {
      ok: true,
      grant: { kind: 'upload', ...grant, grantId: token.split('.').at(-1) },
    });
    assert.deepEqual(verifyUpload(KEY, token, T + 5), { ok: false, error: 'expired' });
    const parts = token.split('.');
    parts[4] = Buffer.from('1 Vendor Configuration File').toString('base64url');
    assert.deepEqual(verifyUpload(KEY, parts.join('.'), 0), { ok: false, error: 'bad-signature' });
    const download = signDownload(KEY, { fileId: FILE, deviceId: 'A-B-C', expiresAt: T });
    assert.deepEqual(verifyUpload(KEY, download, 0), { ok: false, error: 'malformed' });
    assert.deepEqual(verifyDownload(KEY, FILE, token, 0), { ok: false, error: 'malformed' });
  });

  it('gives every upload URL its own signed nonce and grant id, even for the same grant', () => {
    const grant = { deviceId: 'A-B-C', fileType: '2 Vendor Log File', name: 'log', expiresAt: T };
    const a = signUpload(KEY, grant);
    const b = signUpload(KEY, grant);
    assert.notEqual(a, b);
    const ids = [a, b].map((t) => {
      const v = verifyUpload(KEY, t, 0);
      assert.ok(v.ok);
      return v.grant.grantId;
    });
    assert.notEqual(ids[0], ids[1]);
    const parts = a.split('.');
    parts[2] = b.split('.')[2] ?? '';
    assert.deepEqual(verifyUpload(KEY, parts.join('.'), 0), { ok: false, error: 'bad-signature' });
  });
});
