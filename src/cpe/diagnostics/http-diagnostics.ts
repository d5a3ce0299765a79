/**
 * DownloadDiagnostics and UploadDiagnostics over HTTP (TR-143): a real GET of DownloadURL, or a real PUT of
 * TestFileLength bytes to UploadURL, timed as TR-143 defines — TCPOpenRequestTime and TCPOpenResponseTime around
 * the connection, ROMTime when the request goes out, BOMTime at the first byte of the transfer, EOMTime at its last —
 * with the bytes counted at the socket and in the payload. Failures come back as TR-143 error states.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface HttpTestTimes {
  /** Offsets in milliseconds (fractional) from the start of the test. */
  tcpOpenRequest: number;
  tcpOpenResponse: number;
  rom: number;
  bom: number;
  eom: number;
}

export type HttpTestResult =
  | { ok: false; state: string }
  | {
      ok: true;
      times: HttpTestTimes;
      /** Payload bytes (received for a download, sent for an upload). */
      testBytes: number;
      totalBytesReceived: number;
      totalBytesSent: number;
      localAddress: string;
    };

const MAX_UPLOAD = 64 << 20;

export function httpDiagnostic(
  direction: 'download' | 'upload',
  url: string,
  options: {
    testFileLength?: number;
    timeoutMs?: number;
    ca?: string | Buffer | readonly (string | Buffer)[];
  } = {},
): Promise<HttpTestResult> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve({ ok: false, state: 'Error_InitConnectionFailed' });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return Promise.resolve({
      ok: false,
      state: direction === 'download' ? 'Error_NoTransferMode' : 'Error_Other',
    });
  }
  const length = Math.min(options.testFileLength ?? 0, MAX_UPLOAD);
  const t0 = performance.now();
  const at = () => performance.now() - t0;
  const times: HttpTestTimes = { tcpOpenRequest: 0, tcpOpenResponse: 0, rom: 0, bom: 0, eom: 0 };
  return new Promise((resolve) => {
    let settled = false;
    let socket: Socket | undefined;
    const done = (r: HttpTestResult) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const tls = target.protocol === 'https:';
    const req = (tls ? httpsRequest : httpRequest)({
      hostname: target.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: target.port === '' ? undefined : Number(target.port),
      path: `${target.pathname}${target.search}`,
      method: direction === 'download' ? 'GET' : 'PUT',
      agent: false,
      timeout: options.timeoutMs ?? 60_000,
      headers:
        direction === 'upload'
          ? { 'Content-Length': length, 'Content-Type': 'application/octet-stream' }
          : {},
      ...(tls && options.ca !== undefined
        ? { ca: options.ca as string | Buffer | (string | Buffer)[] }
        : {}),
    });
    times.tcpOpenRequest = at();
    req.on('socket', (s) => {
      socket = s;
      s.once(tls ? 'secureConnect' : 'connect', () => {
        times.tcpOpenResponse = at();
        times.rom = at();
        if (direction === 'upload') times.bom = at();
      });
    });
    req.on('timeout', () => {
      req.destroy();
      done({ ok: false, state: 'Error_Timeout' });
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      const state =
        e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN'
          ? 'Error_CannotResolveHostName'
          : e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH'
            ? 'Error_NoRouteToHost'
            : e.code === 'ECONNREFUSED'
              ? 'Error_InitConnectionFailed'
              : 'Error_NoResponse';
      done({ ok: false, state });
    });
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        if (bytes === 0 && direction === 'download') times.bom = at();
        bytes += chunk.length;
      });
      res.on('end', () => {
        times.eom = at();
        if (status < 200 || status > 299) {
          done({ ok: false, state: 'Error_TransferFailed' });
          return;
        }
        const declared = Number(res.headers['content-length']);
        if (
          direction === 'download' &&
          res.headers['content-length'] !== undefined &&
          declared !== bytes
        ) {
          done({ ok: false, state: 'Error_IncorrectSize' });
          return;
        }
        done({
          ok: true,
          times,
          testBytes: direction === 'download' ? bytes : length,
          totalBytesReceived: socket?.bytesRead ?? bytes,
          totalBytesSent: socket?.bytesWritten ?? 0,
          localAddress: socket?.localAddress ?? '',
        });
      });
      res.on('error', () => done({ ok: false, state: 'Error_TransferFailed' }));
    });
    if (direction === 'upload') {
      const chunk = Buffer.alloc(Math.min(length, 64 << 10), 0x5a);
      let left = length;
      const pump = () => {
        while (left > 0) {
          const n = Math.min(left, chunk.length);
          left -= n;
          if (!req.write(chunk.subarray(0, n))) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    } else {
      req.end();
    }
  });
}
