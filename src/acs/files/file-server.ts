import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { isStoreError } from '../../store/errors.ts';
import { isFileType } from '../../store/files.ts';
import type { Store } from '../../store/store.ts';
import type { Log } from '../acs.ts';
import { BlobError, type BlobStore } from './blob-store.ts';
import { parseRange } from './http-range.ts';
import { signDownload, signUpload, verifyDownload, verifyUpload } from './signed-url.ts';

/**
 * The file server, on its own port (security.md item 3). Devices fetch files by `GET|HEAD /files/<id>?t=<token>`
 * with a token signed for that file, that device and an expiry (signed-url.ts); anything else is 403 before the
 * store is even asked whether the file exists, so the server tells nobody which ids exist. Single HTTP Range
 * (206/416), Content-Length, ETag (the SHA-256), If-None-Match and If-Range are honoured.
 *
 * Devices send uploads (TR-069 Upload: configuration backups, logs) by `PUT` (or `POST`) to
 * `/uploads?t=<token>`, a token signed for the device, the FileType and a name; the body is stored as a blob
 * and recorded for that device, once per URL (a second PUT gets 409). Bodies past `maxUploadBytes` get 413 (at once if Content-Length says so).
 *
 * Tokens are never logged. Requests have header, whole-request and idle timeouts.
 */
export interface FileServerOptions {
  host: string;
  /** 0 for any free port. */
  port: number;
  store: Store;
  blobs: BlobStore;
  /** From `deriveFileUrlKey(masterKey)`. */
  signingKey: Uint8Array;
  log: Log;
  maxUploadBytes: number;
  /** The base URL devices reach this server at; default `http://<host>:<port>`. */
  publicUrl?: string;
  clock?: () => number;
  /** Headers must arrive within this; default 10 s. */
  headersTimeoutMs?: number;
  /** A whole request (headers and upload body) within this; default 30 min. */
  requestTimeoutMs?: number;
  /** A connection idle (nothing read or written) this long is closed; default 60 s. */
  idleTimeoutMs?: number;
}

export interface UploadUrlOptions {
  /** Default `1 Vendor Configuration File`. */
  fileType?: string;
  /** The upload's name in the store (metadata only, never a path); default `upload`. */
  name?: string;
}

export interface RunningFileServer {
  /** The base URL (publicUrl if given). */
  readonly url: string;
  readonly port: number;
  /** It accepts connections (for /ready). */
  readonly listening: boolean;
  /** A URL letting `deviceId` download file `fileId` for `ttlMs`. */
  signedUrl(fileId: string, deviceId: string, ttlMs: number): string;
  /** A URL letting `deviceId` upload one file for `ttlMs`. */
  uploadUrl(deviceId: string, ttlMs: number, options?: UploadUrlOptions): string;
  close(): Promise<void>;
}

const FILE_PATH = /^\/files\/([0-9a-f]{32})$/;
const UPLOAD_PATH = '/uploads';
const MAX_LOGGED = 200;

const short = (s: string): string => (s.length > MAX_LOGGED ? `${s.slice(0, MAX_LOGGED)}…` : s);

export async function startFileServer(options: FileServerOptions): Promise<RunningFileServer> {
  const { store, blobs, signingKey, log, maxUploadBytes } = options;
  const clock = options.clock ?? Date.now;
  if (!Number.isSafeInteger(maxUploadBytes) || maxUploadBytes < 0) {
    throw new RangeError('maxUploadBytes is a whole number of bytes');
  }

  function reply(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(status, {
      'Content-Length': '0',
      'Cache-Control': 'no-store',
      ...headers,
    });
    res.end();
  }

  async function download(
    req: IncomingMessage,
    res: ServerResponse,
    fileId: string,
    token: string | null,
  ): Promise<void> {
    const verdict = verifyDownload(signingKey, fileId, token, clock());
    if (!verdict.ok) {
      log('file-server.refused', { fileId, reason: verdict.error, method: req.method });
      return reply(res, 403);
    }
    const deviceId = short(verdict.grant.deviceId);
    const record = await store.files.get(fileId);
    const size = record === null ? null : await blobs.size(record.blobId);
    if (record === null || size === null) {
      log('file-server.not-found', { fileId, deviceId, blob: record !== null });
      return reply(res, 404);
    }
    const etag = `"${record.sha256}"`;
    const common = {
      'Accept-Ranges': 'bytes',
      ETag: etag,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    };
    if (
      req.headers['if-none-match'] !== undefined &&
      matchesEtag(req.headers['if-none-match'], etag)
    ) {
      res.writeHead(304, common);
      res.end();
      return;
    }
    const ifRange = req.headers['if-range'];
    const range =
      ifRange !== undefined && ifRange !== etag
        ? { kind: 'full' as const }
        : parseRange(req.headers.range, size);
    if (range.kind === 'unsatisfiable') {
      log('file-server.download', { fileId, deviceId, status: 416 });
      return reply(res, 416, { 'Content-Range': `bytes */${size}` });
    }
    const partial = range.kind === 'partial';
    const length = partial ? range.end - range.start + 1 : size;
    const headers: Record<string, string> = {
      ...common,
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(length),
      ...(partial ? { 'Content-Range': `bytes ${range.start}-${range.end}/${size}` } : {}),
    };
    const status = partial ? 206 : 200;
    if (req.method === 'HEAD' || length === 0) {
      res.writeHead(status, headers);
      res.end();
      log('file-server.download', {
        fileId,
        deviceId,
        status,
        bytes: 0,
        head: req.method === 'HEAD',
      });
      return;
    }
    let read: Awaited<ReturnType<BlobStore['get']>>;
    try {
      read = await blobs.get(
        record.blobId,
        partial ? { start: range.start, end: range.end } : undefined,
      );
    } catch (e) {
      if (e instanceof BlobError && e.reason === 'invalid-range')
        return reply(res, 416, { 'Content-Range': `bytes */${size}` });
      throw e;
    }
    if (read === null) return reply(res, 404);
    res.writeHead(status, headers);
    // Bytes handed to the response: a client that closes as soon as it has the last byte races the blob's end
    // and the response's 'finish' ("Premature close"), yet every byte was written — delivered, not aborted.
    let written = 0;
    try {
      await pipeline(
        read.stream,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            yield chunk;
            written += chunk.length;
          }
        },
        res,
      );
      log('file-server.download', { fileId, deviceId, status, bytes: length });
    } catch (e) {
      if (res.writableEnded || (written >= length && res.writableLength === 0))
        log('file-server.download', { fileId, deviceId, status, bytes: length });
      else
        log('file-server.download-aborted', {
          fileId,
          deviceId,
          bytes: written,
          of: length,
          error: (e as Error).message,
        });
    }
  }

  async function upload(
    req: IncomingMessage,
    res: ServerResponse,
    token: string | null,
  ): Promise<void> {
    const verdict = verifyUpload(signingKey, token, clock());
    if (!verdict.ok) {
      log('file-server.refused', { upload: true, reason: verdict.error, method: req.method });
      return reply(res, 403, { Connection: 'close' });
    }
    const { deviceId, fileType, name, grantId } = verdict.grant;
    // One upload per URL (issue 11 item 5): a URL used already is refused before its body is read; two PUTs
    // racing on one URL are settled by the store (recordUpload below), which keeps only the first.
    if (await store.files.uploadGrantUsed(grantId)) {
      log('file-server.upload-refused', { deviceId: short(deviceId), reason: 'url-used' });
      return reply(res, 409, { Connection: 'close' });
    }
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > maxUploadBytes) {
      log('file-server.upload-refused', {
        deviceId: short(deviceId),
        reason: 'too-large',
        declared,
      });
      return reply(res, 413, { Connection: 'close' });
    }
    let blob: Awaited<ReturnType<BlobStore['put']>>;
    try {
      blob = await blobs.put(req.iterator({ destroyOnReturn: false }), {
        maxBytes: maxUploadBytes,
      });
    } catch (e) {
      if (e instanceof BlobError && e.reason === 'too-large') {
        log('file-server.upload-refused', { deviceId: short(deviceId), reason: 'too-large' });
        return reply(res, 413, { Connection: 'close' });
      }
      if (req.destroyed || (e instanceof BlobError && e.reason === 'aborted')) {
        log('file-server.upload-aborted', { deviceId: short(deviceId) });
        res.destroy();
        return;
      }
      throw e;
    }
    try {
      const record = await store.files.recordUpload(deviceId, {
        fileType,
        name,
        ...blob,
        blobId: blob.id,
        grantId,
      });
      log('file-server.upload', {
        deviceId: short(deviceId),
        uploadId: record.id,
        bytes: blob.size,
      });
      reply(res, 200);
    } catch (e) {
      await blobs.delete(blob.id).catch(() => undefined);
      if (isStoreError(e, 'not-found')) {
        log('file-server.upload-refused', { deviceId: short(deviceId), reason: 'unknown-device' });
        return reply(res, 404);
      }
      if (isStoreError(e, 'conflict')) {
        log('file-server.upload-refused', { deviceId: short(deviceId), reason: 'url-used' });
        return reply(res, 409, { Connection: 'close' });
      }
      throw e;
    }
  }

  const server = createServer({ maxHeaderSize: 16_384 }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      log('file-server.error', { error: e instanceof Error ? e.message : String(e) });
      reply(res, 500, { Connection: 'close' });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = req.url ?? '';
    const q = raw.indexOf('?');
    const path = q === -1 ? raw : raw.slice(0, q);
    const token = new URLSearchParams(q === -1 ? '' : raw.slice(q + 1)).get('t');
    const method = req.method ?? '';
    const file = FILE_PATH.exec(path);
    if (file !== null) {
      if (method !== 'GET' && method !== 'HEAD') return reply(res, 405, { Allow: 'GET, HEAD' });
      return download(req, res, file[1] ?? '', token);
    }
    if (path === UPLOAD_PATH) {
      if (method !== 'PUT' && method !== 'POST')
        return reply(res, 405, { Allow: 'PUT, POST', Connection: 'close' });
      return upload(req, res, token);
    }
    return reply(res, 404, method === 'PUT' || method === 'POST' ? { Connection: 'close' } : {});
  }

  server.headersTimeout = options.headersTimeoutMs ?? 10_000;
  server.requestTimeout = options.requestTimeoutMs ?? 1_800_000;
  server.timeout = options.idleTimeoutMs ?? 60_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = (options.publicUrl ?? `http://${host}:${port}`).replace(/\/+$/, '');

  const expiry = (ttlMs: number): number => {
    if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0)
      throw new RangeError('ttlMs is a positive whole number');
    return Math.trunc(clock()) + ttlMs;
  };

  return {
    url,
    port,
    get listening() {
      return server.listening;
    },
    signedUrl(fileId, deviceId, ttlMs) {
      if (!/^[0-9a-f]{32}$/.test(fileId)) throw new RangeError('not a file id');
      const token = signDownload(signingKey, { fileId, deviceId, expiresAt: expiry(ttlMs) });
      return `${url}/files/${fileId}?t=${token}`;
    },
    uploadUrl(deviceId, ttlMs, opts = {}) {
      const fileType = opts.fileType ?? '1 Vendor Configuration File';
      const name = opts.name ?? 'upload';
      if (!isFileType(fileType)) throw new RangeError('not a FileType');
      if (name === '' || name.length > 256 || !name.isWellFormed())
        throw new RangeError('a name is 1-256 characters');
      const token = signUpload(signingKey, { deviceId, fileType, name, expiresAt: expiry(ttlMs) });
      return `${url}${UPLOAD_PATH}?t=${token}`;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function matchesEtag(header: string, etag: string): boolean {
  return (
    header.trim() === '*' || header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)
  );
}
