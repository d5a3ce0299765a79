import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { BlobError, FsBlobStore } from './blob-store.ts';

async function bytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'corral-blobs-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('filesystem blob store', () => {
  it('stores bytes under a random id, owner-only, with size and SHA-256, and reads ranges back', () =>
    withDir(async (dir) => {
      const blobs = await FsBlobStore.open(dir);
      const data = randomBytes(70_000);
      const blob = await blobs.put(Readable.from([data.subarray(0, 1), data.subarray(1)]), {
        maxBytes: 70_000,
      });
      assert.match(blob.id, /^[0-9a-f]{32}$/);
      assert.equal(blob.size, data.length);
      assert.equal(blob.sha256, createHash('sha256').update(data).digest('hex'));
      assert.equal(statSync(join(dir, 'files')).mode & 0o777, 0o700);
      assert.equal(statSync(join(dir, 'files', blob.id)).mode & 0o777, 0o600);
      const whole = await blobs.get(blob.id);
      assert.equal(whole?.size, data.length);
      assert.deepEqual(await bytes(whole?.stream as Readable), data);
      const part = await blobs.get(blob.id, { start: 10, end: 19 });
      assert.deepEqual(await bytes(part?.stream as Readable), data.subarray(10, 20));
      await assert.rejects(
        blobs.get(blob.id, { start: 0, end: data.length }),
        (e) => e instanceof BlobError && e.reason === 'invalid-range',
      );
      assert.equal(await blobs.size(blob.id), data.length);
      assert.equal(await blobs.delete(blob.id), true);
      assert.equal(await blobs.get(blob.id), null);
      assert.equal(await blobs.delete(blob.id), false);
    }));

  it('refuses more than maxBytes and leaves no file behind; cleans temporary files at open', () =>
    withDir(async (dir) => {
      const blobs = await FsBlobStore.open(dir);
      await assert.rejects(
        blobs.put(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), { maxBytes: 1000 }),
        (e) => e instanceof BlobError && e.reason === 'too-large',
      );
      assert.deepEqual(readdirSync(join(dir, 'files')), []);
      const failing = (async function* () {
        yield Buffer.alloc(10);
        throw new Error('sender vanished');
      })();
      await assert.rejects(blobs.put(failing, { maxBytes: 1000 }), /sender vanished/);
      assert.deepEqual(readdirSync(join(dir, 'files')), []);
      writeFileSync(join(dir, 'files', '.tmp-leftover'), 'x');
      await FsBlobStore.open(dir);
      assert.deepEqual(readdirSync(join(dir, 'files')), []);
    }));

  it('never touches a path built from anything but a well-formed id', () =>
    withDir(async (dir) => {
      writeFileSync(join(dir, 'secret'), 'secret');
      const blobs = await FsBlobStore.open(dir);
      for (const id of [
        '../secret',
        '..',
        '',
        '/etc/passwd',
        `${'a'.repeat(31)}/`,
        'A'.repeat(32),
        `${'a'.repeat(32)}\0`,
      ]) {
        assert.equal(await blobs.get(id), null, id);
        assert.equal(await blobs.size(id), null, id);
        assert.equal(await blobs.delete(id), false, id);
      }
      assert.ok(readdirSync(dir).includes('secret'));
    }));
});
