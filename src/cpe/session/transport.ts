/**
 * HTTP for one CWMP session, the CPE being the client (cwmp-spec.md §1.4): POSTs on one keep-alive connection
 * (never pipelined), the session's cookies returned on every POST, HTTP Digest or Basic answered through
 * HttpAuthClient (and sent pre-emptively on later POSTs, as TR-069 §3.4.5 asks), up to five 3xx redirects followed
 * for the rest of the session, HTTPS verified against the trusted CAs, chunked replies read, and the empty POST sent
 * with neither Content-Type nor SOAPAction.
 */
import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { type BasicPolicy, HttpAuthClient } from '../../cwmp/auth/index.ts';
import { CookieJar } from './cookie-jar.ts';
import { networkError, SessionError } from './errors.ts';

export interface TransportOptions {
  url: string;
  /** ManagementServer.Username / Password; without them a 401 fails the session. */
  username?: string;
  password?: string;
  /** Trusted CA certificates for an https ACS (default: Node's bundled roots). */
  ca?: string | Buffer | readonly (string | Buffer)[];
  /** How long to wait for each answer of the ACS (the SessionTimeout the CPE announced). */
  timeoutMs: number;
  /** Return the ACS's cookies (default true); false plays a CPE that ignores them (vendor quirk 2). */
  returnCookies?: boolean;
  /** Send bodies chunked instead of with Content-Length. */
  sendChunked?: boolean;
  /** Default true; false plays a CPE that opens a new TCP connection for every POST (Connection: close). */
  keepAlive?: boolean;
  /** Trust any certificate and take TLS 1.0: a deviation, for testing a conformance checker. */
  insecureTls?: boolean;
  /** Offer TLS up to this version only (a device stuck on TLS 1.0: a deviation, for testing a checker). */
  tlsMaxVersion?: 'TLSv1' | 'TLSv1.1';
  /** Take a certificate for any host name (a deviation from TR-069 §3.3, for testing a conformance checker). */
  tlsHostnameUnchecked?: boolean;
  /** Default 5 (TR-069 §3.4.6). */
  maxRedirects?: number;
  /** Default `tls-only`: Basic credentials never go over plain HTTP. */
  basic?: BasicPolicy;
  /** The largest answer accepted from the ACS; default 8 MiB. */
  maxReplyBytes?: number;
  userAgent?: string;
}

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  /** WWW-Authenticate lines as sent, one challenge list per header line. */
  challenges: string[];
  body: Buffer;
}

export interface PostOptions {
  /** Fault injection: write only this many bytes of the body, then drop the connection. */
  dropAfterBytes?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export class SessionTransport {
  /** Where POSTs go now: the ACS URL, or where a redirect sent the session. */
  url: URL;
  readonly cookies = new CookieJar();
  private readonly auth: HttpAuthClient | undefined;
  private httpAgent: HttpAgent | undefined;
  private httpsAgent: HttpsAgent | undefined;
  private redirects = 0;
  private closed = false;

  constructor(private readonly options: TransportOptions) {
    this.url = new URL(options.url);
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:') {
      throw new SessionError(
        'connect',
        `the ACS URL must be http or https, not ${this.url.protocol}`,
      );
    }
    if (options.username !== undefined && options.username !== '') {
      this.auth = new HttpAuthClient({
        username: options.username,
        password: options.password ?? '',
        basic: options.basic ?? 'tls-only',
      });
    }
  }

  /**
   * POSTs one message (`body` undefined: the empty POST) and returns the ACS's answer once authentication and
   * redirects are dealt with. `soapAction`: `"<ns>#Method"` for a request, '' for a response or fault (the header
   * present with no value). Throws SessionError.
   */
  async post(
    body: string | undefined,
    soapAction = '',
    options: PostOptions = {},
  ): Promise<HttpReply> {
    let authorization: string | undefined;
    let authRounds = 0;
    for (;;) {
      if (this.closed) throw new SessionError('aborted', 'the session was closed');
      const url = this.url;
      const tls = url.protocol === 'https:';
      const target = `${url.pathname || '/'}${url.search}`;
      authorization ??= this.auth?.authorize({ method: 'POST', uri: target, tls });
      const headers: OutgoingHttpHeaders = {};
      if (this.options.userAgent !== undefined) headers['User-Agent'] = this.options.userAgent;
      if (this.options.keepAlive === false) headers.Connection = 'close';
      if (body !== undefined) {
        headers['Content-Type'] = 'text/xml; charset="utf-8"';
        headers.SOAPAction = soapAction;
        if (this.options.sendChunked === true) headers['Transfer-Encoding'] = 'chunked';
        else headers['Content-Length'] = Buffer.byteLength(body);
      } else {
        headers['Content-Length'] = 0;
      }
      if (this.options.returnCookies !== false) {
        const cookie = this.cookies.header(url);
        if (cookie !== undefined) headers.Cookie = cookie;
      }
      if (authorization !== undefined) headers.Authorization = authorization;
      const reply = await this.send(url, headers, body, options);
      this.cookies.store(reply.headers['set-cookie'], url);

      if (reply.status === 401) {
        if (this.auth === undefined) {
          throw new SessionError('auth', 'the ACS asks for credentials and the device has none', {
            status: 401,
          });
        }
        if (++authRounds > 2) {
          throw new SessionError('auth', 'the ACS keeps refusing the credentials', { status: 401 });
        }
        const answer = this.auth.respond(reply.challenges, {
          method: 'POST',
          uri: target,
          tls,
          hadCredentials: authorization !== undefined,
        });
        if (!answer.ok) {
          throw new SessionError('auth', `cannot authenticate to the ACS: ${answer.reason}`, {
            status: 401,
          });
        }
        authorization = answer.authorization;
        continue;
      }
      if (REDIRECTS.has(reply.status)) {
        const location = reply.headers.location;
        if (++this.redirects > (this.options.maxRedirects ?? 5)) {
          throw new SessionError('redirect', 'more than 5 redirects', { status: reply.status });
        }
        let next: URL;
        try {
          next = new URL(location ?? '', url);
        } catch {
          throw new SessionError('redirect', 'a redirect without a usable Location', {
            status: reply.status,
          });
        }
        if (location === undefined || (next.protocol !== 'http:' && next.protocol !== 'https:')) {
          throw new SessionError('redirect', 'a redirect without a usable Location', {
            status: reply.status,
          });
        }
        // Followed for the rest of this session only.
        this.url = next;
        authorization = undefined;
        authRounds = 0;
        continue;
      }
      return reply;
    }
  }

  /** Ends the session's connection. */
  close(): void {
    this.closed = true;
    this.httpAgent?.destroy();
    this.httpsAgent?.destroy();
  }

  private agentFor(tls: boolean): HttpAgent {
    if (tls) {
      this.httpsAgent ??= new HttpsAgent({
        keepAlive: true,
        maxSockets: 1,
        ...(this.options.ca === undefined
          ? {}
          : { ca: this.options.ca as string | Buffer | (string | Buffer)[] }),
        ...(this.options.insecureTls === true
          ? { rejectUnauthorized: false, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }
          : { minVersion: 'TLSv1.2' }),
        ...(this.options.tlsHostnameUnchecked === true
          ? { checkServerIdentity: () => undefined }
          : {}),
        ...(this.options.tlsMaxVersion === undefined
          ? {}
          : {
              minVersion: 'TLSv1',
              maxVersion: this.options.tlsMaxVersion,
              ciphers: 'DEFAULT@SECLEVEL=0',
            }),
      });
      return this.httpsAgent;
    }
    this.httpAgent ??= new HttpAgent({ keepAlive: true, maxSockets: 1 });
    return this.httpAgent;
  }

  private send(
    url: URL,
    headers: OutgoingHttpHeaders,
    body: string | undefined,
    options: PostOptions,
  ): Promise<HttpReply> {
    const tls = url.protocol === 'https:';
    const maxBytes = this.options.maxReplyBytes ?? 8 << 20;
    return new Promise<HttpReply>((resolve, reject) => {
      const req = (tls ? httpsRequest : httpRequest)({
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname || '/'}${url.search}`,
        method: 'POST',
        headers,
        agent: this.agentFor(tls),
        timeout: this.options.timeoutMs,
        ...(tls ? { servername: url.hostname } : {}),
      });
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        reject(networkError(error));
      };
      req.on('timeout', () =>
        req.destroy(
          new SessionError('timeout', `no answer from the ACS within ${this.options.timeoutMs} ms`),
        ),
      );
      req.on('error', fail);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy(new SessionError('protocol', `the ACS's answer exceeds ${maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', fail);
        res.on('aborted', () =>
          fail(new SessionError('dropped', 'the ACS closed the connection mid-answer')),
        );
        res.on('end', () => {
          if (settled) return;
          settled = true;
          const challenges: string[] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            if (res.rawHeaders[i]!.toLowerCase() === 'www-authenticate')
              challenges.push(res.rawHeaders[i + 1]!);
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            challenges,
            body: Buffer.concat(chunks),
          });
        });
      });
      if (body !== undefined && options.dropAfterBytes !== undefined) {
        const bytes = Buffer.from(body);
        req.write(bytes.subarray(0, Math.min(options.dropAfterBytes, bytes.length)), () => {
          req.destroy(new SessionError('aborted', 'the device dropped the connection mid-message'));
        });
        return;
      }
      if (body !== undefined && this.options.sendChunked === true) {
        // Two writes make two chunks.
        const bytes = Buffer.from(body);
        const half = bytes.length >> 1;
        req.write(bytes.subarray(0, half));
        req.end(bytes.subarray(half));
        return;
      }
      req.end(body);
    });
  }
}
