/**
 * A loopback HTTP file server for transfer tests: serves the files a test puts in it (GET /files/<name>), takes
 * uploads (PUT /uploads/<name>), optionally behind HTTP Digest, and records every request.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpAuthServer } from '../../cwmp/auth/index.ts';

export interface FileRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export class FileServer {
  readonly files = new Map<string, Buffer>();
  readonly uploads = new Map<string, { body: Buffer; contentType: string | undefined }>();
  readonly requests: FileRequest[] = [];
  base = '';
  private server: Server | undefined;
  private readonly auth: HttpAuthServer | undefined;

  constructor(private readonly credentials?: { username: string; password: string }) {
    this.auth =
      credentials === undefined
        ? undefined
        : new HttpAuthServer({ realm: 'files', secret: randomBytes(32) });
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const body = Buffer.concat(chunks);
        const url = req.url ?? '/';
        this.requests.push({ method: req.method ?? '', url, headers: req.headers, body });
        if (this.auth !== undefined) {
          const creds = this.credentials!;
          const v = await this.auth.verify(
            {
              authorization: req.headers.authorization,
              method: req.method ?? 'GET',
              uri: url,
              tls: false,
            },
            (u) => (u === creds.username ? { password: creds.password } : undefined),
          );
          if (!v.ok) {
            res.writeHead(401, {
              'WWW-Authenticate': this.auth.challenges(),
              'Content-Length': '0',
            });
            res.end();
            return;
          }
        }
        if (req.method === 'GET' && url.startsWith('/files/')) {
          const file = this.files.get(decodeURIComponent(url.slice(7)));
          if (file === undefined) {
            res.writeHead(404, { 'Content-Length': '0' });
            res.end();
            return;
          }
          res.writeHead(200, {
            'Content-Type': 'application/octet-stream',
            'Content-Length': String(file.length),
          });
          res.end(file);
          return;
        }
        if (req.method === 'PUT' && url.startsWith('/uploads/')) {
          this.uploads.set(decodeURIComponent(url.slice(9)), {
            body,
            contentType: req.headers['content-type'],
          });
          res.writeHead(201, { 'Content-Length': '0' });
          res.end();
          return;
        }
        res.writeHead(405, { 'Content-Length': '0' });
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Puts a file and returns its URL. */
  put(name: string, content: string | Buffer): string {
    this.files.set(name, Buffer.from(content));
    return `${this.base}/files/${encodeURIComponent(name)}`;
  }

  uploadUrl(name: string): string {
    return `${this.base}/uploads/${encodeURIComponent(name)}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
