import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningAcs, startAcs } from '../../acs/acs.ts';
import { FsBlobStore } from '../../acs/files/blob-store.ts';
import { type RunningFileServer, startFileServer } from '../../acs/files/file-server.ts';
import { deriveFileUrlKey } from '../../acs/files/signed-url.ts';
import type { AuthThrottleOptions } from '../../acs/http/auth-throttle.ts';
import { ScriptedCpe } from '../../acs/testing/scripted-cpe.ts';
import type { CwmpMessage } from '../../cwmp/index.ts';
import type { Role } from '../../store/api-keys.ts';
import { ChangeFeed, withChangeFeed } from '../../store/change-feed.ts';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { type RunningApi, startApi } from '../api.ts';
import type { ConnectionRequester } from '../connection-request.ts';

/** A parsed JSON body, probed freely by the tests (a wrong guess fails the assertion that made it). */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are read as untyped JSON
export type Json = any;

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: Json;
}

export interface RequestOptions {
  /** Sent as `Authorization: Bearer`; null sends none. Default: the admin key's token. */
  token?: string | null;
  /** JSON-encoded unless `raw` is given. */
  body?: unknown;
  raw?: string | Buffer;
  headers?: Record<string, string>;
  /** The client's own address (another loopback address, 127.0.0.2, is another client). */
  localAddress?: string;
  /** Resolve on the status and headers and close: for a stream that never ends (/api/v1/events). */
  headersOnly?: boolean;
}

export interface LogEntry {
  event: string;
  fields: Record<string, unknown>;
}

/**
 * A real deployment in miniature for the API's end-to-end tests: SQLite in a temp dir, the ACS admitting every
 * CPE, the API on 127.0.0.1 with random ports, and a key per role. HTTP goes over real sockets.
 */
export class Harness {
  /** What the API's connection request does; tests replace it. */
  onConnectionRequest: ConnectionRequester = async () => ({ ok: false, reason: 'not wired' });
  readonly tokens = {} as Record<Role, string>;
  /** Every response body the API sent in this harness, for leak checks. */
  readonly transcript: string[] = [];
  static readonly ADMIN_KEY = `env-admin-${randomBytes(16).toString('hex')}`;
  /** The largest file the API and the file server take here. */
  static readonly MAX_FILE_BYTES = 1 << 20;

  private constructor(
    readonly dir: string,
    readonly store: SqliteStore,
    readonly acs: RunningAcs,
    readonly api: RunningApi,
    readonly fileServer: RunningFileServer,
    readonly logs: LogEntry[],
  ) {}

  /**
   * `authThrottle`: failed-authentication throttling (auth-throttle.ts). Off unless given — route-by-route tests
   * send many bad keys on purpose from one address.
   */
  static async start(
    options: {
      authThrottle?: AuthThrottleOptions;
      consoleDir?: string;
      datamodelDir?: string;
    } = {},
  ): Promise<Harness> {
    const dir = mkdtempSync(join(tmpdir(), 'corral-api-'));
    const secretKey = randomBytes(32);
    const store = await openSqliteStore({ path: join(dir, 'corral.db'), secretKey });
    const logs: LogEntry[] = [];
    const log = (event: string, fields: Record<string, unknown>) => logs.push({ event, fields });
    const blobs = await FsBlobStore.open(dir);
    const fileServer = await startFileServer({
      host: '127.0.0.1',
      port: 0,
      store,
      blobs,
      signingKey: deriveFileUrlKey(secretKey),
      log,
      maxUploadBytes: Harness.MAX_FILE_BYTES,
    });
    // As corral serve wires it: the ACS and the API see the store through its change feed.
    const changes = new ChangeFeed();
    const fed = withChangeFeed(store, changes);
    const acs = await startAcs({
      fileServer,
      store: fed,
      authenticate: async () => ({ ok: true }),
      host: '127.0.0.1',
      port: 0,
      maxSessions: 100,
      sessionTimeoutMs: 30_000,
      bodyLimits: { maxBytes: 1 << 20, maxDecodedBytes: 4 << 20 },
      admission: false,
      log,
    });
    let harness: Harness | undefined;
    const api = await startApi({
      store: fed,
      changes,
      sessionsInFlight: () => acs.status().sessionsOpen,
      host: '127.0.0.1',
      port: 0,
      adminKey: Harness.ADMIN_KEY,
      connectionRequest: (deviceId) => harness!.onConnectionRequest(deviceId),
      files: { blobs, maxBytes: Harness.MAX_FILE_BYTES },
      log,
      authThrottle: options.authThrottle ?? { freeFailures: Number.MAX_SAFE_INTEGER },
      ...(options.consoleDir === undefined ? {} : { consoleDir: options.consoleDir }),
      ...(options.datamodelDir === undefined ? {} : { datamodelDir: options.datamodelDir }),
    });
    harness = new Harness(dir, store, acs, api, fileServer, logs);
    for (const role of ['admin', 'operator', 'read-only'] as const) {
      const { token } = await store.apiKeys.create({ name: `test ${role}`, role });
      harness.tokens[role] = token.reveal();
    }
    return harness;
  }

  async close(): Promise<void> {
    await this.api.close();
    await this.acs.close(1000);
    await this.fileServer.close();
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** One HTTP request to the API over a fresh connection. */
  request(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const url = new URL(path, this.api.url);
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? this.tokens.admin : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | Buffer | undefined = options.raw;
    if (body === undefined && options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method,
          headers,
          agent: false,
          ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
        },
        (res) => {
          if (options.headersOnly === true) {
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: '',
              json: undefined,
            });
            res.destroy();
            return;
          }
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = text === '' ? undefined : JSON.parse(text);
            } catch {
              json = undefined;
            }
            this.transcript.push(text);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
          });
          res.on('error', reject);
        },
      );
      // The server may answer (401, 413) and close before the whole body is sent: a reset while
      // sending is not a failure if a response came; a connection closed without one is.
      let answered = false;
      req.on('response', () => {
        answered = true;
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
      });
      req.on('close', () => {
        if (!answered) reject(new Error(`${method} ${path}: connection closed without a response`));
      });
      req.end(body);
    });
  }

  cpe(serialNumber: string, options: { oui?: string; productClass?: string } = {}): ScriptedCpe {
    return new ScriptedCpe(this.acs.url, { serialNumber, ...options });
  }

  /** A device created by a real Inform session (BOOTSTRAP), with extra Inform parameters. */
  async informDevice(
    serialNumber: string,
    parameters: { name: string; value: string; type: string }[] = [],
    options: { oui?: string; productClass?: string } = {},
  ): Promise<{ id: string; cpe: ScriptedCpe }> {
    const cpe = this.cpe(serialNumber, options);
    const inform = await cpe.inform(['0 BOOTSTRAP', '1 BOOT'], parameters);
    if (inform.status !== 200) throw new Error(`Inform answered ${inform.status}`);
    const end = await cpe.emptyPost();
    if (end.status !== 204) throw new Error(`session end answered ${end.status}`);
    cpe.reset();
    return { id: cpe.deviceId, cpe };
  }
}

/**
 * One whole CWMP session of `cpe`: an Inform with `events`, then every RPC the ACS sends answered by
 * `answer`, until the ACS ends the session. Returns the RPCs the ACS sent.
 */
export async function serveSession(
  cpe: ScriptedCpe,
  events: string[],
  answer: (request: CwmpMessage) => CwmpMessage,
): Promise<CwmpMessage[]> {
  cpe.reset();
  const inform = await cpe.inform(events);
  if (inform.status !== 200) throw new Error(`Inform answered ${inform.status}`);
  const sent: CwmpMessage[] = [];
  let reply = await cpe.emptyPost();
  while (reply.status === 200 && reply.envelope !== undefined) {
    sent.push(reply.envelope.body);
    reply = await cpe.answer(reply, answer(reply.envelope.body));
  }
  if (reply.status !== 204) throw new Error(`session ended with ${reply.status}`);
  return sent;
}
