import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { BodyError, readBody } from './body.ts';

const LIMITS = { maxBytes: 64 * 1024, maxDecodedBytes: 256 * 1024 };
let server: Server;
let port: number;

before(async () => {
  server = createServer(async (req, res) => {
    try {
      const body = await readBody(req, LIMITS);
      res.writeHead(200).end(`${body.length}:${body.subarray(0, 16).toString('latin1')}`);
    } catch (error) {
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
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers }, (res) => {
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

  it('refuses a small gzip body that expands past the decoded limit (a zip bomb): 413', async () => {
    const bomb = gzipSync(Buffer.alloc(LIMITS.maxDecodedBytes * 8));
    assert.ok(bomb.length < LIMITS.maxBytes);
    assert.deepEqual(await post(bomb, { 'Content-Encoding': 'gzip' }), {
      status: 413,
      text: 'too-large',
    });
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
