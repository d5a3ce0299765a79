/**
 * The load generator's HTTP/1.1: one connection (a device's), one request at a time, the request's head written
 * by the caller, the answer parsed here (a status line, headers, a body by Content-Length, chunked or up to the
 * close). A storm's load plays thousands of sessions at once from one process: measured on 10,000 sessions of two
 * requests each, node:http's client cost 515–570 µs of CPU a session and undici's 636–733 µs (a client each),
 * this 240–263 µs. With node:http the load, not the ACS, was what a storm measured.
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** An answer's headers, names lowercased; Set-Cookie always as an array. */
export type AnswerHeaders = Record<string, string | string[] | undefined>;

export type Answer =
  | { kind: 'answer'; status: number; headers: AnswerHeaders; body: string; ms: number }
  | { kind: 'timeout' }
  | { kind: 'dropped'; code: string };

const HEAD_END = Buffer.from('\r\n\r\n');
/** An answer's head larger than this is not an answer (the ACS's are a few hundred bytes). */
const MAX_HEAD_BYTES = 64 * 1024;

interface Head {
  status: number;
  headers: AnswerHeaders;
  bodyStart: number;
  /** Bytes of body, or how its end is known. */
  length: number | 'chunked' | 'close';
}

interface Pending {
  resolve: (answer: Answer) => void;
  started: number;
  timer: NodeJS.Timeout;
}

export class HttpConnection {
  #socket: Socket | undefined;
  #buffer: Buffer = Buffer.alloc(0);
  #head: Head | undefined;
  #pending: Pending | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
    /** The address to connect from (a device's own), if any. */
    private readonly localAddress?: string,
  ) {}

  /**
   * Sends `head` (the request line and headers, each ending in CRLF, without the blank line) and `body`, on the
   * open connection or a new one; resolves with the answer, a timeout or the reason it was dropped. Never rejects.
   */
  request(head: string, body: Buffer, timeoutMs: number): Promise<Answer> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#finish({ kind: 'timeout' });
        this.close();
      }, timeoutMs);
      this.#pending = { resolve, started: performance.now(), timer };
      this.#buffer = Buffer.alloc(0);
      this.#head = undefined;
      const bytes = Buffer.from(`${head}\r\n`, 'latin1');
      (this.#socket ?? this.#open()).write(body.length > 0 ? Buffer.concat([bytes, body]) : bytes);
    });
  }

  close(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
  }

  #open(): Socket {
    const socket = connect({
      host: this.host,
      port: this.port,
      ...(this.localAddress === undefined ? {} : { localAddress: this.localAddress }),
    });
    socket.setNoDelay(true);
    // A socket closed here (after Connection: close, a timeout) may still report: it speaks for no request.
    socket.on('data', (chunk: Buffer) => {
      if (this.#socket === socket) this.#data(chunk);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#finish({ kind: 'dropped', code: error.code ?? error.message });
    });
    socket.on('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      if (this.#head?.length === 'close')
        this.#complete(this.#buffer.subarray(this.#head.bodyStart));
      else this.#finish({ kind: 'dropped', code: 'closed' });
    });
    this.#socket = socket;
    return socket;
  }

  #data(chunk: Buffer): void {
    if (this.#pending === undefined) return;
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    if (this.#head === undefined) {
      const end = this.#buffer.indexOf(HEAD_END);
      if (end < 0) {
        if (this.#buffer.length > MAX_HEAD_BYTES) this.#malformed();
        return;
      }
      const head = parseHead(this.#buffer.toString('latin1', 0, end), end + HEAD_END.length);
      if (head === undefined) {
        this.#malformed();
        return;
      }
      this.#head = head;
    }
    const { length, bodyStart } = this.#head;
    if (typeof length === 'number') {
      if (this.#buffer.length - bodyStart >= length)
        this.#complete(this.#buffer.subarray(bodyStart, bodyStart + length));
    } else if (length === 'chunked') {
      const body = dechunk(this.#buffer, bodyStart);
      if (body === null) this.#malformed();
      else if (body !== undefined) this.#complete(body);
    }
  }

  #complete(body: Buffer): void {
    const pending = this.#pending;
    const head = this.#head;
    if (pending === undefined || head === undefined) return;
    const connection = head.headers.connection;
    if (typeof connection === 'string' && connection.toLowerCase() === 'close') this.close();
    this.#finish({
      kind: 'answer',
      status: head.status,
      headers: head.headers,
      body: body.toString('utf8'),
      ms: performance.now() - pending.started,
    });
  }

  #malformed(): void {
    this.#finish({ kind: 'dropped', code: 'malformed-answer' });
    this.close();
  }

  #finish(answer: Answer): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    this.#pending = undefined;
    clearTimeout(pending.timer);
    pending.resolve(answer);
  }
}

/** The status line and headers (`text`, without the blank line); undefined if they are not HTTP's. */
export function parseHead(text: string, bodyStart: number): Head | undefined {
  const lines = text.split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(lines[0]!)?.[1];
  if (status === undefined) return undefined;
  const cookies: string[] = [];
  const headers: AnswerHeaders = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'set-cookie') cookies.push(value);
    else headers[name] = value;
  }
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  const code = Number(status);
  const encoding = headers['transfer-encoding'];
  const contentLength = headers['content-length'];
  let length: Head['length'] = 'close';
  if (code === 204 || code === 304) length = 0;
  else if (typeof encoding === 'string' && /chunked/i.test(encoding)) length = 'chunked';
  else if (typeof contentLength === 'string') {
    if (!/^\d+$/.test(contentLength)) return undefined;
    length = Number(contentLength);
  }
  return { status: code, headers, bodyStart, length };
}

/** A chunked body from `from` on: the body once all of it is there, undefined before, null if not chunked. */
export function dechunk(buffer: Buffer, from: number): Buffer | undefined | null {
  const parts: Buffer[] = [];
  let at = from;
  for (;;) {
    const eol = buffer.indexOf('\r\n', at, 'latin1');
    if (eol < 0) return undefined;
    const sizeText = buffer.toString('latin1', at, eol).split(';')[0]!.trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) return null;
    const size = Number.parseInt(sizeText, 16);
    // The last chunk; trailers are not expected from the ACS: its blank line ends the body.
    if (size === 0) return buffer.length >= eol + 4 ? Buffer.concat(parts) : undefined;
    if (buffer.length < eol + 2 + size + 2) return undefined;
    parts.push(buffer.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}
