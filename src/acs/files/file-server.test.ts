import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { identity, inform, SECRET_KEY } from '../../store/suite/harness.ts';
import { type BlobStore, FsBlobStore } from './blob-store.ts';
import { type RunningFileServer, startFileServer } from './file-server.ts';
import { deriveFileUrlKey, signDownload } from './signed-url.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | Buffer[] } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    const body = options.body;
    if (Array.isArray(body)) {
      for (const b of body) req.write(b);
    } else if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A request written byte for byte (no client-side path normalisation); returns the raw response. */
function raw(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(head));
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
  });
}

const MASTER = new Uint8Array(32).fill(9);
const KEY = deriveFileUrlKey(MASTER);
const MAX_UPLOAD = 64 * 1024;
const SECRET_TEXT = 'TOP-SECRET-OUTSIDE-THE-BLOB-DIR';

describe('file server', () => {
  let dir: string;
  let store: SqliteStore;
  let blobs: FsBlobStore;
  let server: RunningFileServer;
  let now = Date.UTC(2026, 0, 1);
  const logs: { event: string; fields: Record<string, unknown> }[] = [];
  const firmware = randomBytes(10_000);
  let fileId: string;
  let otherFileId: string;
  let deviceId: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'corral-files-'));
    writeFileSync(join(dir, 'secret.txt'), SECRET_TEXT);
    store = await openSqliteStore({ path: join(dir, 'corral.db'), secretKey: SECRET_KEY });
    blobs = await FsBlobStore.open(dir);
    deviceId = (await store.devices.recordInform(inform(identity('FS1')))).device.id;
    const put = await blobs.put(Readable.from([firmware]), { maxBytes: 1 << 20 });
    fileId = (
      await store.files.create({
        name: 'fw.bin',
        fileType: '1 Firmware Upgrade Image',
        size: put.size,
        sha256: put.sha256,
        blobId: put.id,
      })
    ).id;
    const other = await blobs.put(Readable.from([Buffer.from('other file')]), { maxBytes: 100 });
    otherFileId = (
      await store.files.create({
        name: 'other.cfg',
        fileType: '3 Vendor Configuration File',
        size: other.size,
        sha256: other.sha256,
        blobId: other.id,
      })
    ).id;
    server = await startFileServer({
      host: '127.0.0.1',
      port: 0,
      store,
      blobs,
      signingKey: KEY,
      log: (event, fields) => logs.push({ event, fields }),
      maxUploadBytes: MAX_UPLOAD,
      clock: () => now,
    });
  });

  after(async () => {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a file on a valid signed URL, with Content-Length and an ETag from its SHA-256', async () => {
    const url = server.signedUrl(fileId, deviceId, 60_000);
    assert.ok(url.startsWith(`http://127.0.0.1:${server.port}/files/${fileId}?t=`));
    assert.ok(url.length <= 256, 'fits the 256 characters of a CWMP Download URL');
    const r = await send(url);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, firmware);
    assert.equal(r.headers['content-length'], String(firmware.length));
    assert.equal(r.headers['accept-ranges'], 'bytes');
    const record = await store.files.get(fileId);
    assert.equal(r.headers.etag, `"${record?.sha256}"`);
    const cached = await send(url, { headers: { 'If-None-Match': `"${record?.sha256}"` } });
    assert.equal(cached.status, 304);
    assert.equal(cached.body.length, 0);
  });

  it('refuses with 403 a missing, tampered, expired or other-file token, and never logs the token', async () => {
    const base = `${server.url}/files/${fileId}`;
    assert.equal((await send(base)).status, 403, 'no token');
    assert.equal((await send(`${base}?t=`)).status, 403, 'empty token');
    assert.equal((await send(`${base}?t=d.zz.!!.x`)).status, 403, 'malformed');
    const url = server.signedUrl(fileId, deviceId, 60_000);
    const token = new URL(url).searchParams.get('t') ?? '';
    const mac = token.split('.').at(-1) ?? '';
    const flipped = `${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    const tampered = token.replace(/[^.]+$/, flipped);
    assert.equal((await send(`${base}?t=${tampered}`)).status, 403, 'tampered MAC');
    const [kind, exp, dev, sig] = token.split('.');
    const later = `${kind}.${(Number.parseInt(exp ?? '', 36) + 3_600_000).toString(36)}.${dev}.${sig}`;
    assert.equal((await send(`${base}?t=${later}`)).status, 403, 'extended expiry');
    const otherDevice = Buffer.from('00D09E-IGD-OTHER').toString('base64url');
    assert.equal((await send(`${base}?t=${kind}.${exp}.${otherDevice}.${sig}`)).status, 403);
    assert.equal(
      (await send(`${server.url}/files/${otherFileId}?t=${token}`)).status,
      403,
      'a token for another file',
    );
    assert.equal((await send(url)).status, 200, 'the untouched URL still works');
    now += 60_000;
    try {
      assert.equal((await send(url)).status, 403, 'expired');
      assert.equal((await send(url, { method: 'HEAD' })).status, 403);
    } finally {
      now -= 60_000;
    }
    const reasons = logs
      .filter((l) => l.event === 'file-server.refused')
      .map((l) => l.fields.reason);
    assert.ok(
      reasons.includes('expired') &&
        reasons.includes('bad-signature') &&
        reasons.includes('malformed'),
    );
    assert.ok(!JSON.stringify(logs).includes(mac), 'no token in the log');
  });

  it('answers 404 for an unknown file only behind a valid signature', async () => {
    const unknown = 'f'.repeat(32);
    assert.equal((await send(`${server.url}/files/${unknown}`)).status, 403);
    assert.equal((await send(server.signedUrl(unknown, deviceId, 60_000))).status, 404);
  });

  it('serves single ranges: first bytes, an open range, a suffix; 416 outside the file', async () => {
    const url = server.signedUrl(fileId, deviceId, 60_000);
    const first = await send(url, { headers: { Range: 'bytes=0-99' } });
    assert.equal(first.status, 206);
    assert.deepEqual(first.body, firmware.subarray(0, 100));
    assert.equal(first.headers['content-range'], `bytes 0-99/${firmware.length}`);
    assert.equal(first.headers['content-length'], '100');
    const open = await send(url, { headers: { Range: 'bytes=9990-' } });
    assert.equal(open.status, 206);
    assert.deepEqual(open.body, firmware.subarray(9990));
    const suffix = await send(url, { headers: { Range: 'bytes=-5' } });
    assert.equal(suffix.status, 206);
    assert.deepEqual(suffix.body, firmware.subarray(firmware.length - 5));
    assert.equal(suffix.headers['content-range'], `bytes 9995-9999/${firmware.length}`);
    const past = await send(url, { headers: { Range: `bytes=${firmware.length}-` } });
    assert.equal(past.status, 416);
    assert.equal(past.headers['content-range'], `bytes */${firmware.length}`);
    assert.equal(past.body.length, 0);
    const clipped = await send(url, { headers: { Range: 'bytes=9000-20000' } });
    assert.deepEqual(clipped.body, firmware.subarray(9000));
    const several = await send(url, { headers: { Range: 'bytes=0-1,5-6' } });
    assert.equal(several.status, 200, 'several ranges: the whole file');
    assert.deepEqual(several.body, firmware);
    const stale = await send(url, { headers: { Range: 'bytes=0-9', 'If-Range': '"stale"' } });
    assert.equal(stale.status, 200, 'If-Range that does not match: the whole file');
  });

  it('answers HEAD with the headers and no body', async () => {
    const url = server.signedUrl(fileId, deviceId, 60_000);
    const head = await send(url, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], String(firmware.length));
    assert.equal(head.body.length, 0);
    const ranged = await send(url, { method: 'HEAD', headers: { Range: 'bytes=-10' } });
    assert.equal(ranged.status, 206);
    assert.equal(ranged.headers['content-length'], '10');
    assert.equal((await send(url, { method: 'DELETE' })).status, 405);
  });

  it('stores an upload as a blob and lists it for its device', async () => {
    const body = Buffer.from('<config>backup</config>');
    const url = server.uploadUrl(deviceId, 60_000, {
      fileType: '1 Vendor Configuration File',
      name: 'backup.xml',
    });
    const r = await send(url, { method: 'PUT', body });
    assert.equal(r.status, 200);
    const log = randomBytes(5000);
    const posted = await send(
      server.uploadUrl(deviceId, 60_000, { fileType: '2 Vendor Log File', name: 'log' }),
      {
        method: 'POST',
        body: [log.subarray(0, 2000), log.subarray(2000)],
      },
    );
    assert.equal(posted.status, 200);
    const uploads = await store.files.uploads(deviceId);
    assert.deepEqual(
      uploads.map((u) => [u.fileType, u.name, u.size]),
      [
        ['2 Vendor Log File', 'log', 5000],
        ['1 Vendor Configuration File', 'backup.xml', body.length],
      ],
    );
    const stored = await blobs.get(uploads[1]?.blobId ?? '');
    const chunks: Buffer[] = [];
    for await (const c of stored?.stream ?? []) chunks.push(c as Buffer);
    assert.deepEqual(Buffer.concat(chunks), body);
    const { createHash } = await import('node:crypto');
    assert.equal(uploads[0]?.sha256, createHash('sha256').update(log).digest('hex'));
  });

  it('takes one upload per URL: a second PUT on it is refused with 409 and stores nothing', async () => {
    const before = (await store.files.uploads(deviceId)).length;
    const blobsBefore = readdirSync(join(dir, 'files')).length;
    const url = server.uploadUrl(deviceId, 60_000, { name: 'once.cfg' });
    assert.equal((await send(url, { method: 'PUT', body: Buffer.from('first') })).status, 200);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await send(url, { method: 'PUT', body: Buffer.from(`again ${i}`) })).status);
    assert.deepEqual(statuses, [409, 409, 409, 409, 409]);
    // Two PUTs racing on a fresh URL: the store keeps one.
    const raced = server.uploadUrl(deviceId, 60_000, { name: 'raced.cfg' });
    const both = await Promise.all(
      [1, 2].map((i) => send(raced, { method: 'PUT', body: Buffer.from(`race ${i}`) })),
    );
    assert.deepEqual(both.map((r) => r.status).sort(), [200, 409]);
    assert.equal((await store.files.uploads(deviceId)).length, before + 2);
    assert.equal(readdirSync(join(dir, 'files')).length, blobsBefore + 2, 'no orphan blob');
    assert.ok(
      logs.some((l) => l.event === 'file-server.upload-refused' && l.fields.reason === 'url-used'),
    );
  });

  it('logs a download as delivered when every byte was written, even if the client closes before the blob ends', async () => {
    // A disk that hands over the bytes in two halves, then is slow to say it is done.
    const slow: BlobStore = {
      put: (source, limits) => blobs.put(source, limits),
      size: (id) => blobs.size(id),
      delete: (id) => blobs.delete(id),
      get: async (id, range) => {
        const read = await blobs.get(id, range);
        if (read === null) return null;
        const chunks: Buffer[] = [];
        for await (const c of read.stream) chunks.push(c as Buffer);
        const all = Buffer.concat(chunks);
        const half = Math.floor(all.length / 2);
        const stream = new Readable({ read() {} });
        stream.push(all.subarray(0, half));
        setTimeout(() => stream.push(all.subarray(half)), 50);
        setTimeout(() => stream.push(null), 250);
        return { ...read, stream };
      },
    };
    const own: typeof logs = [];
    const slowServer = await startFileServer({
      host: '127.0.0.1',
      port: 0,
      store,
      blobs: slow,
      signingKey: KEY,
      log: (event, fields) => own.push({ event, fields }),
      maxUploadBytes: MAX_UPLOAD,
      clock: () => now,
    });
    /** Reads the response until `wanted` body bytes arrived, then closes the connection at once. */
    const fetchThenClose = (wanted: number) =>
      new Promise<number>((resolve, reject) => {
        const url = new URL(slowServer.signedUrl(fileId, deviceId, 60_000));
        const socket = connect(slowServer.port, '127.0.0.1', () =>
          socket.write(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: x\r\n\r\n`),
        );
        let got = Buffer.alloc(0);
        socket.on('data', (c: Buffer) => {
          got = Buffer.concat([got, c]);
          const head = got.indexOf('\r\n\r\n');
          if (head !== -1 && got.length - head - 4 >= wanted) {
            socket.destroy();
            resolve(got.length - head - 4);
          }
        });
        socket.on('error', reject);
      });
    try {
      assert.equal(await fetchThenClose(firmware.length), firmware.length);
      await new Promise((r) => setTimeout(r, 400));
      assert.deepEqual(
        own.map((l) => [l.event, l.fields.bytes]),
        [['file-server.download', firmware.length]],
      );
      own.length = 0;
      assert.ok((await fetchThenClose(1)) < firmware.length);
      await new Promise((r) => setTimeout(r, 400));
      assert.deepEqual(
        own.map((l) => l.event),
        ['file-server.download-aborted'],
        'a client that left halfway did not get it',
      );
    } finally {
      await slowServer.close();
    }
  });

  it('refuses uploads without a valid upload token', async () => {
    const before = (await store.files.uploads(deviceId)).length;
    const body = Buffer.from('x');
    assert.equal((await send(`${server.url}/uploads`, { method: 'PUT', body })).status, 403);
    const download = new URL(server.signedUrl(fileId, deviceId, 60_000)).searchParams.get('t');
    assert.equal(
      (await send(`${server.url}/uploads?t=${download}`, { method: 'PUT', body })).status,
      403,
    );
    const url = server.uploadUrl(deviceId, 1000);
    now += 1000;
    try {
      assert.equal((await send(url, { method: 'PUT', body })).status, 403, 'expired');
    } finally {
      now -= 1000;
    }
    const gone = server.uploadUrl('00D09E-IGD-NOBODY', 60_000);
    assert.equal((await send(gone, { method: 'PUT', body })).status, 404, 'unknown device');
    assert.equal((await store.files.uploads(deviceId)).length, before);
  });

  it('refuses an oversized upload with 413 and keeps nothing', async () => {
    const blobsBefore = readdirSync(join(dir, 'files')).sort();
    const uploadsBefore = (await store.files.uploads(deviceId)).length;
    const url = server.uploadUrl(deviceId, 60_000);
    const declared = await send(url, {
      method: 'PUT',
      headers: { 'Content-Length': String(MAX_UPLOAD + 1) },
      body: Buffer.alloc(MAX_UPLOAD + 1),
    }).catch((e: NodeJS.ErrnoException) => ({ status: e.code ?? 'error' }));
    assert.equal(declared.status, 413, 'declared by Content-Length');
    const chunked = await send(url, {
      method: 'PUT',
      headers: { 'Transfer-Encoding': 'chunked' },
      body: [Buffer.alloc(MAX_UPLOAD), Buffer.alloc(10)],
    }).catch((e: NodeJS.ErrnoException) => ({ status: e.code ?? 'error' }));
    assert.equal(chunked.status, 413, 'counted while streaming');
    assert.deepEqual(
      readdirSync(join(dir, 'files')).sort(),
      blobsBefore,
      'no blob, no temporary file',
    );
    assert.equal((await store.files.uploads(deviceId)).length, uploadsBefore);
  });

  it('refuses path traversal in every form', async () => {
    const token = new URL(server.signedUrl(fileId, deviceId, 60_000)).searchParams.get('t');
    const forged = (id: string) =>
      signDownload(KEY, { fileId: id, deviceId, expiresAt: now + 60_000 });
    const attempts = [
      `/files/../secret.txt?t=${token}`,
      `/files/..%2fsecret.txt?t=${forged('../secret.txt')}`,
      `/files/%2e%2e%2fsecret.txt?t=${forged('%2e%2e%2fsecret.txt')}`,
      `/files/${fileId}/../../secret.txt?t=${token}`,
      `/files/..\\..\\secret.txt?t=${forged('..\\..\\secret.txt')}`,
      '/secret.txt',
      '/files/../corral.db',
      `/uploads/../files/${fileId}?t=${token}`,
    ];
    for (const path of attempts) {
      const response = await raw(
        server.port,
        `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      const status = Number(response.slice(9, 12));
      assert.ok(status === 403 || status === 404 || status === 400, `${path} → ${status}`);
      assert.ok(!response.includes(SECRET_TEXT), path);
      assert.ok(!response.includes('SQLite format'), path);
    }
    assert.equal(await blobs.get('../secret.txt'), null);
    assert.equal(await blobs.size('../../etc/passwd'), null);
    assert.equal(await blobs.delete('../secret.txt'), false);
    assert.ok(readdirSync(dir).includes('secret.txt'));
  });
});
