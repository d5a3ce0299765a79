import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { deflateSync, gzipSync } from 'node:zlib';
import { BodyError, readBody } from './body.ts';
import { BodyBudget } from './body-budget.ts';

const LIMITS = { maxBytes: 64 * 1024, maxDecodedBytes: 256 * 1024 };
/** Shared by every request: what they hold at once. */
const budget = new BodyBudget(LIMITS.maxDecodedBytes * 4);
/** Requests to /hold keep their bytes until /release is asked for. */
const held: Array<() => void> = [];
let server: Server;
let port: number;

before(async () => {
  server = createServer(async (req, res) => {
    if (req.url === '/release') {
      for (const release of held.splice(0)) release();
      res.writeHead(200).end(String(budget.inUse));
      return;
    }
    const lease = budget.lease();
    try {
      const body = await readBody(req, LIMITS, lease);
      if (req.url === '/hold') held.push(() => lease.release());
      else lease.release();
      res.writeHead(200).end(`${body.length}:${body.subarray(0, 16).toString('latin1')}`);
    } catch (error) {
      lease.release();
      const status = error instanceof BodyError ? error.status : 500;
      res
        .writeHead(status, { Connection: 'close' })
        .end(error instanceof BodyError ? error.reason : 'bug');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function post(
  body: Buffer | string,
  headers: Record<string, string> = {},
  path = '/',
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', (error) => {
      // The server may close before the whole oversized body is sent; that is the point.
      if (
        (error as NodeJS.ErrnoException).code === 'EPIPE' ||
        (error as NodeJS.ErrnoException).code === 'ECONNRESET'
      ) {
        resolve({ status: -1, text: 'closed' });
      } else reject(error);
    });
    req.end(body);
  });
}

describe('readBody', () => {
  it('reads a plain body, and an empty one', async () => {
    assert.deepEqual(await post('<x/>'), { status: 200, text: '4:<x/>' });
    assert.deepEqual(await post(''), { status: 200, text: '0:' });
  });

  it('refuses at once a body whose Content-Length is over the limit: 413', async () => {
    const res = await post(Buffer.alloc(LIMITS.maxBytes + 1, 0x20));
    assert.ok(res.status === 413 || res.status === -1, `status ${res.status}`);
  });

  it('cuts off a chunked body as soon as it passes the limit: 413', async () => {
    const res = await post(Buffer.alloc(LIMITS.maxBytes * 4, 0x20), {
      'Transfer-Encoding': 'chunked',
    });
    assert.ok(res.status === 413 || res.status === -1, `status ${res.status}`);
  });

  it('decompresses gzip and deflate bodies', async () => {
    const xml = '<Envelope>'.repeat(100);
    assert.equal(
      (await post(gzipSync(xml), { 'Content-Encoding': 'gzip' })).text,
      `${xml.length}:<Envelope><Envel`,
    );
  });

  it('refuses a small gzip or deflate body that expands past the decoded limit (a zip bomb): 413', async () => {
    const bomb = gzipSync(Buffer.alloc(LIMITS.maxDecodedBytes * 8));
    assert.ok(bomb.length < LIMITS.maxBytes);
    assert.deepEqual(await post(bomb, { 'Content-Encoding': 'gzip' }), {
      status: 413,
      text: 'too-large',
    });
    assert.deepEqual(
      await post(deflateSync(Buffer.alloc(LIMITS.maxDecodedBytes * 8)), {
        'Content-Encoding': 'deflate',
      }),
      { status: 413, text: 'too-large' },
    );
  });

  it('stops inflating a bomb at the limit, as the bytes arrive: it never holds the expansion', async () => {
    // 1 GiB of spaces in a few hundred kB: gzip members, concatenated, are one valid gzip stream.
    const member = gzipSync(Buffer.alloc(16 << 20, 0x20));
    const bomb = Buffer.concat(Array.from({ length: 64 }, () => member));
    const before = budget.peak;
    const res = await post(bomb, { 'Content-Encoding': 'gzip' });
    assert.ok(res.status === 413 || res.status === -1, `status ${res.status}`);
    // What was held at once: the decoded limit and one zlib chunk at most, not a GiB.
    assert.ok(budget.peak - before <= LIMITS.maxDecodedBytes + 64 * 1024, `peak ${budget.peak}`);
    assert.equal(budget.inUse, 0);
  });

  it('refuses with 503 what the shared budget cannot hold, and takes bodies again once it is given back', async () => {
    const big = gzipSync(Buffer.alloc(LIMITS.maxDecodedBytes, 0x41));
    for (let i = 0; i < 4; i++) {
      const res = await post(big, { 'Content-Encoding': 'gzip' }, '/hold');
      assert.equal(res.status, 200);
    }
    assert.deepEqual(await post(big, { 'Content-Encoding': 'gzip' }), {
      status: 503,
      text: 'busy',
    });
    assert.equal((await post('', {}, '/release')).text, '0');
    assert.equal((await post(big, { 'Content-Encoding': 'gzip' })).status, 200);
  });

  it('reads an empty body sent with Content-Encoding: gzip as empty (quirk 15)', async () => {
    assert.deepEqual(await post('', { 'Content-Encoding': 'gzip' }), { status: 200, text: '0:' });
  });

  it('refuses corrupt compressed data (400) and unknown encodings (415)', async () => {
    assert.deepEqual(await post('not gzip', { 'Content-Encoding': 'gzip' }), {
      status: 400,
      text: 'corrupt-encoding',
    });
    assert.deepEqual(await post('x', { 'Content-Encoding': 'br' }), {
      status: 415,
      text: 'unsupported-encoding',
    });
  });
});
