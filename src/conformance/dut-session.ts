/**
 * The DUT's CWMP session as the lab drives it (TR-069 §3.7, cwmp-spec §1.5): wait for the Inform, answer it, wait
 * for the empty POST that gives the lab its turn, send RPCs one at a time and take their responses or faults, end
 * the session with 204. Whatever the DUT sends that does not fit becomes a StepFailure naming what came instead.
 */
import { randomBytes } from 'node:crypto';
import {
  type CwmpEnvelope,
  type CwmpHeader,
  type CwmpMessage,
  decodeEnvelope,
  encodeEnvelope,
  type FaultMessage,
  type Inform,
} from '../cwmp/index.ts';
import type { DutRequest, LabEndpoint } from './endpoint.ts';
import { StepFailure } from './step-failure.ts';

export type RpcOutcome =
  | { kind: 'response'; message: CwmpMessage; envelope: CwmpEnvelope; sentId: string }
  | { kind: 'fault'; fault: FaultMessage; envelope: CwmpEnvelope; sentId: string };

/** A request the DUT posted in this session, as the cases check it (headers, whether it was empty). */
export interface SessionPost {
  headers: DutRequest['headers'];
  empty: boolean;
  /** The TCP connection that carried it (DutRequest.connection). */
  connection: number;
  /** The path it was posted to. */
  path: string;
  /** The TLS version it came over, undefined over plain HTTP. */
  tls: string | undefined;
}

/** The CPE-originated requests the lab acknowledges on the way to the empty POST. */
const CPE_REQUESTS = new Set([
  'TransferComplete',
  'AutonomousTransferComplete',
  'DUStateChangeComplete',
  'AutonomousDUStateChangeComplete',
  'Kicked',
  'RequestDownload',
]);

export class DutSession {
  inform: CwmpEnvelope<Inform> | undefined;
  /** The path the DUT posted its Inform to. */
  path = '/';
  /** The cookie the lab set with its InformResponse; a DUT returns it on every later POST of the session. */
  readonly cookie = `corral-lab=${randomBytes(8).toString('hex')}`;
  readonly posts: SessionPost[] = [];
  /** The DUT's own requests of the session (TransferComplete, …), as the lab acknowledged them. */
  readonly cpeRequests: CwmpMessage[] = [];
  private held: DutRequest | undefined;
  private namespace = 'urn:dslforum-org:cwmp-1-0';
  private ended = false;

  constructor(
    private readonly endpoint: LabEndpoint,
    private readonly stepTimeoutMs: number,
  ) {}

  get open(): boolean {
    return !this.ended && this.held !== undefined && !this.held.closed;
  }

  /** The session's first POST, which must be an Inform. */
  async waitInform(timeoutMs = this.stepTimeoutMs): Promise<CwmpEnvelope<Inform>> {
    const deadline = Date.now() + timeoutMs;
    let request = await this.take(timeoutMs);
    let envelope = decodeOrFail(request);
    // A late answer to a step that timed out belongs to the session the lab gave up: 204 ends it, and the DUT's
    // next session (the connection request it was sent) follows.
    for (let stale = 0; envelope.body.method !== 'Inform' && stale < 8; stale++) {
      request.answer(204);
      request = await this.take(Math.max(1, deadline - Date.now()));
      envelope = decodeOrFail(request);
    }
    if (envelope.body.method !== 'Inform') {
      request.answer(400);
      throw new StepFailure(
        'unexpected-message',
        `expected an Inform to open the session, got ${describe(envelope.body)}`,
      );
    }
    this.posts.length = 0;
    this.cpeRequests.length = 0;
    this.posts.push({
      headers: request.headers,
      empty: false,
      connection: request.connection,
      path: request.path,
      tls: request.tls,
    });
    this.namespace = envelope.cwmpNamespace;
    this.path = request.path;
    this.inform = envelope as CwmpEnvelope<Inform>;
    return this.inform;
  }

  /** Answers the Inform; `holdRequests`: with HoldRequests true (mustUnderstand), the DUT may not send requests. */
  informResponse(options: { holdRequests?: boolean } = {}): void {
    const request = this.holding('InformResponse');
    this.send(
      request,
      { method: 'InformResponse', MaxEnvelopes: 1 },
      this.inform?.header.ID,
      { 'Set-Cookie': `${this.cookie}; Path=/` },
      {},
      options.holdRequests === true ? { HoldRequests: true } : {},
    );
  }

  /** Acknowledges the DUT's own requests (TransferComplete, …) until it posts empty: the lab's turn. */
  async waitEmptyPost(
    options: { retryFault?: { method: string; times: number } } = {},
  ): Promise<void> {
    let faults = options.retryFault?.times ?? 0;
    for (let i = 0; i < 16; i++) {
      const request = await this.take(this.stepTimeoutMs);
      if (request.body.trim() === '') return;
      const envelope = decodeOrFail(request);
      const method = envelope.body.method;
      if (CPE_REQUESTS.has(method)) {
        this.cpeRequests.push(envelope.body);
        if (method === options.retryFault?.method && faults > 0) {
          // ACS fault 8005 "Retry request" (cwmp-spec §6.2): the DUT should send the same request again.
          faults--;
          const retry: FaultMessage = {
            method: 'Fault',
            faultcode: 'Server',
            faultstring: 'CWMP fault',
            FaultCode: 8005,
            FaultString: 'Retry request',
            SetParameterValuesFault: [],
          };
          this.send(request, retry, envelope.header.ID);
          continue;
        }
        this.send(request, { method: `${method}Response` } as CwmpMessage, envelope.header.ID);
        continue;
      }
      if (method === 'GetRPCMethods') {
        this.send(
          request,
          {
            method: 'GetRPCMethodsResponse',
            MethodList: ['Inform', 'GetRPCMethods', 'TransferComplete'],
          },
          envelope.header.ID,
        );
        continue;
      }
      throw new StepFailure(
        'unexpected-message',
        `expected an empty POST after the InformResponse, got ${describe(envelope.body)}`,
      );
    }
    throw new StepFailure('unexpected-message', 'the DUT never posted empty (16 requests)');
  }

  /** Sends one RPC in the lab's turn (chunked: with Transfer-Encoding: chunked) and takes the DUT's response or fault. */
  async rpc(
    message: CwmpMessage,
    timeoutMs = this.stepTimeoutMs,
    options: { chunked?: boolean } = {},
  ): Promise<RpcOutcome> {
    const request = this.holding(
      message.method === 'UnknownMethod' ? message.Name : message.method,
    );
    const sentId = `lab-${randomBytes(4).toString('hex')}`;
    this.send(request, message, sentId, {}, options);
    const answer = await this.take(timeoutMs);
    if (answer.body.trim() === '')
      throw new StepFailure(
        'unexpected-message',
        `expected the answer to ${nameOf(message)}, got an empty POST`,
      );
    const envelope = decodeOrFail(answer);
    if (envelope.body.method === 'Fault')
      return { kind: 'fault', fault: envelope.body, envelope, sentId };
    if (envelope.body.method !== `${nameOf(message)}Response`)
      throw new StepFailure(
        'unexpected-message',
        `expected ${nameOf(message)}Response or a fault, got ${describe(envelope.body)}`,
      );
    return { kind: 'response', message: envelope.body, envelope, sentId };
  }

  /**
   * Breaks the session at its Inform, on purpose: an HTTP status with no body (503), or `drop` — the connection
   * closed without an answer. For the DUT the session failed; it must retry (TR-069 §3.2.1.1).
   */
  refuse(how: number | 'drop'): void {
    const request = this.holding('a refusal');
    if (how === 'drop') request.drop();
    else request.answer(how);
    this.held = undefined;
    this.ended = true;
  }

  /** Answers the Inform in hand with a redirect (302 or 307) to `location`: the DUT posts it there again. */
  redirect(status: 302 | 307, location: string): void {
    const request = this.holding('a redirect');
    request.answer(status, '', { Location: location });
    this.held = undefined;
    this.ended = true;
  }

  /** Ends the session: 204 to the POST the lab holds (cwmp-spec §1.4 "Ending a session"). */
  end(): void {
    if (this.held !== undefined && !this.held.closed) this.held.answer(204);
    this.held = undefined;
    this.ended = true;
  }

  private async take(timeoutMs: number): Promise<DutRequest> {
    const request = await this.endpoint.next(timeoutMs);
    this.posts.push({
      headers: request.headers,
      empty: request.body.trim() === '',
      connection: request.connection,
      path: request.path,
      tls: request.tls,
    });
    this.held = request;
    return request;
  }

  private holding(what: string): DutRequest {
    const request = this.held;
    if (this.ended || request === undefined)
      throw new StepFailure('no-session', `no session open to send ${what} in`);
    if (request.closed)
      throw new StepFailure('dropped', `the DUT closed its connection before the lab sent ${what}`);
    return request;
  }

  private send(
    request: DutRequest,
    body: CwmpMessage,
    id: string | undefined,
    headers: Record<string, string> = {},
    options: { chunked?: boolean } = {},
    extraHeader: CwmpHeader = {},
  ): void {
    const text = encodeEnvelope({
      cwmpNamespace: this.namespace,
      header: { ...(id === undefined ? {} : { ID: id }), ...extraHeader },
      body,
    });
    request.answer(200, text, headers, options);
    this.held = undefined;
  }
}

function decodeOrFail(request: DutRequest): CwmpEnvelope {
  const result = decodeEnvelope(request.body);
  if (!result.ok) {
    request.answer(400);
    throw new StepFailure(
      'malformed',
      `the DUT's message does not decode: ${result.error.code}: ${result.error.message}`,
    );
  }
  return result.envelope;
}

function nameOf(message: CwmpMessage): string {
  return message.method === 'UnknownMethod' ? message.Name : message.method;
}

function describe(message: CwmpMessage): string {
  if (message.method === 'Fault')
    return `a fault ${message.FaultCode} (${message.FaultString ?? ''})`;
  return nameOf(message);
}
