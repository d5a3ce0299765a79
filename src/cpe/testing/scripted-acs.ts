/**
 * A test ACS that answers each POST with whatever the test scripts, over a real HTTP(S) server on 127.0.0.1: the
 * instrument for checking the CPE's HTTP behaviour (cookies, authentication, redirects, HoldRequests) turn by turn.
 * Every request is recorded with its headers and decoded body. (The real ACS is src/acs; this is for what it
 * cannot be made to do, such as HoldRequests or a redirect.)
 */
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  type CwmpEnvelope,
  type CwmpMessage,
  decodeEnvelope,
  encodeEnvelope,
} from '../../cwmp/index.ts';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  envelope: CwmpEnvelope | undefined;
}

export interface ScriptedReply {
  status?: number;
  headers?: Record<string, string | string[]>;
  /** A raw body, or a message to encode in `cwmpNamespace`. */
  body?: string;
  message?: CwmpMessage;
  header?: CwmpEnvelope['header'];
  cwmpNamespace?: string;
  /** Write the body in several chunks (Transfer-Encoding: chunked). */
  chunked?: boolean;
}

export type Script = (
  request: RecordedRequest,
  index: number,
) => ScriptedReply | Promise<ScriptedReply>;

export class ScriptedAcs {
  readonly requests: RecordedRequest[] = [];
  /** Requests received. */
  count = 0;
  url = '';
  private server: Server | undefined;

  /** `record: false` keeps nothing (load and memory tests); `requests` then stays empty. */
  constructor(
    private script: Script,
    private readonly options: { record?: boolean } = {},
  ) {}

  setScript(script: Script): void {
    this.script = script;
  }

  async start(tls?: { cert: string | Buffer; key: string | Buffer }, path = '/acs'): Promise<this> {
    const handler: Parameters<typeof createHttpServer>[1] = (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const decoded = body === '' ? undefined : decodeEnvelope(body);
        const recorded: RecordedRequest = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body,
          envelope: decoded?.ok ? decoded.envelope : undefined,
        };
        const index = this.count++;
        if (this.options.record !== false) this.requests.push(recorded);
        let reply: ScriptedReply;
        try {
          reply = await this.script(recorded, index);
        } catch (error) {
          reply = { status: 500, body: String(error) };
        }
        const text =
          reply.message !== undefined
            ? encodeEnvelope({
                cwmpNamespace: reply.cwmpNamespace ?? 'urn:dslforum-org:cwmp-1-2',
                header: reply.header ?? {},
                body: reply.message,
              })
            : (reply.body ?? '');
        const status = reply.status ?? (text === '' ? 204 : 200);
        const headers: Record<string, string | string[]> = { ...reply.headers };
        if (text !== '') headers['Content-Type'] = 'text/xml; charset="utf-8"';
        if (reply.chunked === true) {
          res.writeHead(status, headers);
          const third = Math.ceil(text.length / 3);
          res.write(text.slice(0, third));
          res.write(text.slice(third, 2 * third));
          res.end(text.slice(2 * third));
          return;
        }
        if (status !== 204) headers['Content-Length'] = String(Buffer.byteLength(text));
        res.writeHead(status, headers);
        res.end(status === 204 ? undefined : text);
      });
    };
    this.server = tls === undefined ? createHttpServer(handler) : createHttpsServer(tls, handler);
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const port = (this.server.address() as AddressInfo).port;
    this.url = `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}${path}`;
    return this;
  }

  /** The CWMP methods received, '' for an empty POST. */
  get methods(): string[] {
    return this.requests.map((r) => r.envelope?.body.method ?? (r.body === '' ? '' : '?'));
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** An InformResponse, as a scripted reply. */
export function informResponse(
  header: CwmpEnvelope['header'] = {},
  extra: ScriptedReply = {},
): ScriptedReply {
  return { message: { method: 'InformResponse', MaxEnvelopes: 1 }, header, ...extra };
}
