/**
 * The conformance lab: the lab's endpoint and the DUT's sessions over it, the connection-request client, and what
 * was learnt of the DUT at the start (its first Inform, its RPC methods). The runner hands cases a context on it.
 */
import { type CwmpEnvelope, type Inform, REQUIRED_CPE_METHODS } from '../cwmp/index.ts';
import type { DutFacts } from './case.ts';
import { type ConnectionRequestResult, sendConnectionRequest } from './connection-request.ts';
import { DutSession } from './dut-session.ts';
import { LabEndpoint } from './endpoint.ts';
import { FILES_PREFIX } from './file-server.ts';
import { StepFailure } from './step-failure.ts';

export interface LabOptions {
  host: string;
  port: number;
  cpeCredentials?: { username: string; password: string };
  connectionRequest?: { url?: string; username?: string; password?: string };
  /** The wait for each message of the DUT (default 30 s, TR-069's session timeout). */
  stepTimeoutMs?: number;
  /** PEM certificate and key: the lab's endpoint speaks HTTPS. */
  tls?: { cert: string; key: string };
  /** The CA the DUT trusts for the lab: the Secure CWMP cases issue certificates with one defect each with it. */
  tlsIssuer?: { cert: string; key: string };
  /** The lab's own XMPP login, to send XMPP connection requests (TR-069 Annex K). */
  xmpp?: { service: string; jid: string; password: string };
  /** How the DUT changes a value by itself (local-change.ts), and the parameter it can change. */
  localChange?: { command: string; parameter?: string };
  /** A firmware image for the DUT (--firmware), its file name, and the version it must report after (--firmware-version). */
  firmware?: { image: Buffer; name: string; version: string | undefined };
}

/** How long the lab waits out a DUT's connection-request rate limit, asking again every few seconds. */
const RATE_LIMIT_WAIT_MS = 65_000;
const RATE_LIMIT_RETRY_MS = 5000;

export class ConformanceLab {
  readonly endpoint: LabEndpoint;
  readonly stepTimeoutMs: number;
  current: DutSession | undefined;
  facts: DutFacts | undefined;

  private constructor(readonly options: LabOptions) {
    this.endpoint = new LabEndpoint({
      host: options.host,
      port: options.port,
      ...(options.cpeCredentials === undefined ? {} : { cpeCredentials: options.cpeCredentials }),
      ...(options.tls === undefined ? {} : { tls: options.tls }),
    });
    this.stepTimeoutMs = options.stepTimeoutMs ?? 30_000;
  }

  static async start(options: LabOptions): Promise<ConformanceLab> {
    const lab = new ConformanceLab(options);
    await lab.endpoint.start();
    return lab;
  }

  get url(): string {
    return this.endpoint.url;
  }

  get evidence() {
    return this.endpoint.evidence;
  }

  /**
   * Waits up to `timeoutMs` for the DUT's first Inform (asking it to call in when a connection-request URL is
   * configured), takes the session to the lab's turn and asks for the DUT's RPC methods.
   */
  async begin(timeoutMs: number): Promise<DutFacts> {
    const configured = this.options.connectionRequest?.url;
    if (configured !== undefined) {
      const knock = await this.connectionRequest();
      if (!knock.ok) throw new StepFailure('no-session', `connection request: ${knock.detail}`);
    }
    const session = new DutSession(this.endpoint, this.stepTimeoutMs);
    this.current = session;
    const inform = await session.waitInform(timeoutMs);
    session.informResponse();
    await session.waitEmptyPost();
    const root = rootOf(inform);
    let methods = [...REQUIRED_CPE_METHODS];
    try {
      const answer = await session.rpc({ method: 'GetRPCMethods' });
      if (answer.kind === 'response' && answer.message.method === 'GetRPCMethodsResponse')
        methods = answer.message.MethodList.map(String);
    } catch (error) {
      // A DUT that cannot answer GetRPCMethods is RPC-001's failure, not the end of the run.
      if (!(error instanceof StepFailure)) throw error;
      this.endSession();
    }
    this.facts = {
      root,
      firstInform: inform,
      methods,
      connectionRequestUrl:
        configured ??
        inform.body.ParameterList.find((p) =>
          p.name.endsWith('ManagementServer.ConnectionRequestURL'),
        )?.value,
    };
    return this.facts;
  }

  /** A file URL on the lab, at the Host the DUT used to reach it (the listening address may be 0.0.0.0). */
  fileUrl(name: string): string {
    const host = this.endpoint.dutHost ?? new URL(this.endpoint.url).host;
    const scheme = this.endpoint.secure ? 'https' : 'http';
    return `${scheme}://${host}${FILES_PREFIX}${encodeURIComponent(name)}`;
  }

  endSession(): void {
    this.current?.end();
    this.current = undefined;
  }

  /** A session in the lab's turn. */
  async session(): Promise<DutSession> {
    if (this.current?.open) return this.current;
    return this.newSession();
  }

  async newSession(): Promise<DutSession> {
    this.endSession();
    this.endpoint.drain();
    let knock = await this.connectionRequest();
    // A DUT may take only so many connection requests a minute, answering 503 beyond (TR-069 §3.2.2): the lab
    // waits for its window rather than fail every case that follows.
    for (let waited = 0; knock.ok && knock.status === 503 && waited < RATE_LIMIT_WAIT_MS; ) {
      await new Promise((resolve) => setTimeout(resolve, RATE_LIMIT_RETRY_MS));
      waited += RATE_LIMIT_RETRY_MS;
      knock = await this.connectionRequest();
    }
    if (!knock.ok) throw new StepFailure('no-session', `connection request: ${knock.detail}`);
    if (knock.status !== 200 && knock.status !== 204)
      throw new StepFailure('http-error', `connection request answered ${knock.status}`);
    return this.waitSession();
  }

  /** The DUT's next Inform, left unanswered: the case answers (or refuses) it. */
  async waitInform(timeoutMs = this.stepTimeoutMs): Promise<DutSession> {
    const session = new DutSession(this.endpoint, this.stepTimeoutMs);
    this.current = session;
    await session.waitInform(timeoutMs);
    return session;
  }

  async waitSession(timeoutMs = this.stepTimeoutMs): Promise<DutSession> {
    const session = new DutSession(this.endpoint, this.stepTimeoutMs);
    this.current = session;
    await session.waitInform(timeoutMs);
    session.informResponse();
    await session.waitEmptyPost();
    return session;
  }

  connectionRequest(
    options: { authenticate?: boolean; password?: string; path?: string; replay?: boolean } = {},
  ): Promise<ConnectionRequestResult> {
    const cr = this.options.connectionRequest ?? {};
    let url = cr.url ?? this.facts?.connectionRequestUrl;
    if (url !== undefined && options.path !== undefined) {
      try {
        const moved = new URL(url);
        moved.pathname = options.path;
        url = moved.href;
      } catch {
        // Not a URL: sendConnectionRequest says so.
      }
    }
    if (url === undefined || url === '')
      return Promise.resolve({
        ok: false,
        reason: 'bad-url',
        detail: 'no ConnectionRequestURL (none reported, no --connection-request-url)',
      });
    return sendConnectionRequest(
      {
        url,
        ...(cr.username === undefined ? {} : { username: cr.username }),
        ...(cr.password === undefined ? {} : { password: cr.password }),
        ...(options.password === undefined ? {} : { password: options.password }),
      },
      this.endpoint.evidence,
      options,
    );
  }

  async close(): Promise<void> {
    this.endSession();
    await this.endpoint.close();
  }
}

/** The root object, from the Inform's parameter names (Device:2 or InternetGatewayDevice:1). */
export function rootOf(inform: CwmpEnvelope<Inform>): string {
  const first = inform.body.ParameterList[0]?.name ?? 'Device.';
  return `${first.split('.')[0]}.`;
}
