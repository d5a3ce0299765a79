/**
 * The HTTP(S) side of Download and Upload (cwmp-spec.md §8): a real GET of the file, a real PUT of the upload, the
 * file server's Digest or Basic challenge answered with the Username/Password the ACS gave, up to five redirects,
 * HTTPS verified against the trusted CAs. Every failure is a CwmpFault with the transfer fault code TransferComplete
 * carries (9010-9019 for downloads, 9011 for uploads).
 */
import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { HttpAuthClient } from '../../cwmp/auth/index.ts';
import { CwmpFault, FaultCode } from '../../cwmp/index.ts';

export interface FileClientOptions {
  username?: string;
  password?: string;
  ca?: string | Buffer | readonly (string | Buffer)[];
  /** Default 60 s without progress. */
  timeoutMs?: number;
}

export interface FetchedFile {
  size: number;
  sha256: string;
  /** The first bytes (up to `keepBytes`), for files the device reads: configuration files, DU manifests. */
  head: Buffer;
}

/** Schemes the device transfers with: HTTP and HTTPS (FTP is optional in TR-069 and not simulated). */
export function checkTransferUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CwmpFault(FaultCode.InvalidArguments, undefined, { cause: 'the URL is not a URL' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CwmpFault(FaultCode.UnsupportedTransferProtocol, undefined, {
      cause: parsed.protocol,
    });
  }
  return parsed;
}

/** GETs `url`. Throws CwmpFault 9010, 9012, 9013, 9015, 9016, 9017 or 9018 (size not the FileSize announced). */
export async function fetchFile(
  url: string,
  options: FileClientOptions & { fileSize?: number; maxBytes?: number; keepBytes?: number },
): Promise<FetchedFile> {
  const maxBytes = options.maxBytes ?? 256 << 20;
  const keep = options.keepBytes ?? 1 << 20;
  const res = await exchange('GET', checkTransferUrl(url), undefined, options, 'download');
  if (res.statusCode !== 200) {
    res.resume();
    throw statusFault(res.statusCode ?? 0, 'download');
  }
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let kept = 0;
  let size = 0;
  await new Promise<void>((resolve, reject) => {
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        res.destroy();
        reject(
          new CwmpFault(FaultCode.DownloadFailure, undefined, {
            cause: `larger than ${maxBytes} bytes`,
          }),
        );
        return;
      }
      hash.update(chunk);
      if (kept < keep) {
        head.push(chunk.subarray(0, keep - kept));
        kept += Math.min(chunk.length, keep - kept);
      }
    });
    res.on('end', resolve);
    res.on('aborted', () =>
      reject(new CwmpFault(FaultCode.DownloadIncomplete, undefined, { cause: 'connection lost' })),
    );
    res.on('error', (e) =>
      reject(
        e instanceof CwmpFault
          ? e
          : new CwmpFault(FaultCode.DownloadIncomplete, undefined, { cause: e }),
      ),
    );
  });
  const declared = Number(res.headers['content-length']);
  if (
    Number.isFinite(declared) &&
    res.headers['content-length'] !== undefined &&
    declared !== size
  ) {
    throw new CwmpFault(FaultCode.DownloadIncomplete, undefined, {
      cause: `${size} of ${declared} bytes`,
    });
  }
  if (options.fileSize !== undefined && options.fileSize > 0 && options.fileSize !== size) {
    throw new CwmpFault(FaultCode.FileCorrupted, undefined, {
      cause: `FileSize says ${options.fileSize} bytes, the file has ${size}`,
    });
  }
  return { size, sha256: hash.digest('hex'), head: Buffer.concat(head) };
}

/** PUTs `body` to `url`. Throws CwmpFault 9011, 9012, 9013 or 9015. */
export async function putFile(
  url: string,
  body: Buffer,
  contentType: string,
  options: FileClientOptions,
): Promise<void> {
  const res = await exchange(
    'PUT',
    checkTransferUrl(url),
    { body, contentType },
    options,
    'upload',
  );
  res.resume();
  if (res.statusCode === undefined || res.statusCode < 200 || res.statusCode > 299) {
    throw statusFault(res.statusCode ?? 0, 'upload');
  }
}

type Direction = 'download' | 'upload';

function statusFault(status: number, direction: Direction): CwmpFault {
  const cause = `HTTP ${status}`;
  if (status === 401 || status === 407) {
    return new CwmpFault(FaultCode.FileTransferServerAuthenticationFailure, undefined, { cause });
  }
  if (direction === 'upload') return new CwmpFault(FaultCode.UploadFailure, undefined, { cause });
  if (status === 403 || status === 404 || status === 410) {
    return new CwmpFault(FaultCode.FileAccessFailure, undefined, { cause });
  }
  return new CwmpFault(FaultCode.DownloadFailure, undefined, { cause });
}

/** One request, with authentication and redirects; resolves with the final response (body unread). */
async function exchange(
  method: 'GET' | 'PUT',
  start: URL,
  upload: { body: Buffer; contentType: string } | undefined,
  options: FileClientOptions,
  direction: Direction,
): Promise<IncomingMessage> {
  const auth =
    options.username !== undefined && options.username !== ''
      ? new HttpAuthClient({
          username: options.username,
          password: options.password ?? '',
          basic: 'always',
        })
      : undefined;
  let url = start;
  let authorization: string | undefined;
  let authRounds = 0;
  for (let redirects = 0; ; ) {
    const res = await send(method, url, upload, authorization, options, direction);
    const status = res.statusCode ?? 0;
    if (status === 401 && auth !== undefined && authRounds < 2) {
      res.resume();
      authRounds++;
      const challenges: string[] = [];
      for (let i = 0; i < res.rawHeaders.length; i += 2) {
        if (res.rawHeaders[i]!.toLowerCase() === 'www-authenticate')
          challenges.push(res.rawHeaders[i + 1]!);
      }
      const answer = auth.respond(challenges, {
        method,
        uri: `${url.pathname}${url.search}`,
        tls: url.protocol === 'https:',
        hadCredentials: authorization !== undefined,
      });
      if (!answer.ok) {
        throw new CwmpFault(FaultCode.FileTransferServerAuthenticationFailure, undefined, {
          cause: answer.reason,
        });
      }
      authorization = answer.authorization;
      continue;
    }
    const redirect =
      [301, 302, 303, 307, 308].includes(status) && (method === 'GET' || status >= 307);
    if (redirect && res.headers.location !== undefined && redirects < 5) {
      res.resume();
      redirects++;
      url = checkTransferUrl(new URL(res.headers.location, url).href);
      authorization = undefined;
      authRounds = 0;
      continue;
    }
    return res;
  }
}

function send(
  method: 'GET' | 'PUT',
  url: URL,
  upload: { body: Buffer; contentType: string } | undefined,
  authorization: string | undefined,
  options: FileClientOptions,
  direction: Direction,
): Promise<IncomingMessage> {
  const tls = url.protocol === 'https:';
  const headers: OutgoingHttpHeaders = {};
  if (authorization !== undefined) headers.Authorization = authorization;
  if (upload !== undefined) {
    headers['Content-Type'] = upload.contentType;
    headers['Content-Length'] = upload.body.length;
  }
  return new Promise((resolve, reject) => {
    const req = (tls ? httpsRequest : httpRequest)({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      method,
      headers,
      agent: false,
      timeout: options.timeoutMs ?? 60_000,
      ...(tls
        ? {
            servername: url.hostname,
            minVersion: 'TLSv1.2' as const,
            ...(options.ca === undefined
              ? {}
              : { ca: options.ca as string | Buffer | (string | Buffer)[] }),
          }
        : {}),
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => {
      const fault =
        direction === 'upload' && e.code !== 'ECONNREFUSED' && e.code !== 'ENOTFOUND'
          ? FaultCode.UploadFailure
          : FaultCode.FileServerUnreachable;
      reject(new CwmpFault(fault, undefined, { cause: e.code ?? e.message }));
    });
    req.on('response', resolve);
    req.end(upload?.body);
  });
}
