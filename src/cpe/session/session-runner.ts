/**
 * One CWMP session from the CPE's side (cwmp-spec.md §1.5): POST the Inform, read the InformResponse (version from
 * UseCWMPVersion, HoldRequests), send the CPE's own requests unless held (TransferComplete, DUStateChangeComplete),
 * then the empty POST, and answer every request the ACS sends until it answers 204. One envelope per message.
 *
 * The runner knows the protocol, not the device: answers come from `plan.answer`, and what the session meant for
 * the device (events delivered, requests acknowledged) comes back in the result. A session is successful for the
 * retry policy once the InformResponse arrived (`informAccepted`), even if it broke later.
 */
import {
  CwmpFault,
  type CwmpHeader,
  type CwmpMessage,
  type CwmpVersion,
  decodeEnvelope,
  FaultCode,
  type Inform,
  namespaceForVersion,
  parseVersionList,
  versionOfNamespace,
} from '../../cwmp/index.ts';
import { faultMessage } from '../methods/fault-message.ts';
import { SessionError } from './errors.ts';
import { informHeader, versionsUpTo } from './inform.ts';
import { type HttpReply, SessionTransport, type TransportOptions } from './transport.ts';
import { encodeMessage, malformed, type WireStyle } from './wire.ts';

/** Faults a device can be told to inject, to test how an ACS copes. */
export interface SessionFaults {
  /** Answer these ACS methods with this CWMP fault code instead of doing them. */
  faultFor?: Readonly<Record<string, number>>;
  /** Send half of the message, then drop the connection: when answering this ACS method, or 'Inform'. */
  dropOn?: string;
  /** Send a message that is not well-formed XML in place of the answer to this ACS method, or of the Inform. */
  malformedOn?: string;
  /** Wait this long (real milliseconds) before each answer to an ACS request. */
  answerDelayMs?: number;
  /** Send the CPE's own requests even when the ACS set HoldRequests (a deviation, for testing a checker). */
  ignoreHoldRequests?: boolean;
  /** Leave a request the ACS answered with 8005 for a later session instead of sending it again at once. */
  ignoreRetryRequest?: boolean;
}

export type CpeRequest = Extract<
  CwmpMessage,
  {
    method:
      | 'TransferComplete'
      | 'DUStateChangeComplete'
      | 'AutonomousTransferComplete'
      | 'AutonomousDUStateChangeComplete'
      | 'RequestDownload'
      | 'GetRPCMethods';
  }
>;

export interface SessionPlan {
  /** The timeout is the session's: `sessionTimeoutSeconds`. */
  transport: Omit<TransportOptions, 'timeoutMs'>;
  /** The highest CWMP version the device speaks; it offers every one up to it. */
  maxVersion: CwmpVersion;
  /** Overrides the Inform's namespace (a device on the non-standard cwmp-1-3, say). */
  cwmpNamespace?: string;
  /** Announced in the Inform (1.3+) and used as the wait for each answer. */
  sessionTimeoutSeconds: number;
  inform: Inform;
  /** Requests of the CPE to send after the InformResponse, in order, unless the ACS holds them. */
  requests: readonly CpeRequest[];
  /** The device's answer to one ACS request: a response, or a Fault message (a thrown CwmpFault is one too). */
  answer: (
    request: CwmpMessage,
    session: { version: CwmpVersion },
  ) => CwmpMessage | Promise<CwmpMessage>;
  wire?: WireStyle;
  faults?: SessionFaults;
}

export interface SessionResult {
  /** The session ran to its end (the ACS's 204) without error. */
  ok: boolean;
  /** The InformResponse arrived: the Inform's events are delivered and the retry count resets. */
  informAccepted: boolean;
  version: CwmpVersion | undefined;
  /** Indexes into `plan.requests` of the requests the ACS acknowledged. */
  acknowledged: number[];
  /** The methods the ACS called, in order. */
  acsRequests: string[];
  /** The ACS set HoldRequests when the device had requests to send. */
  held: boolean;
  /** ACS requests the device answered with a SOAP fault. */
  faultsSent: number;
  error?: SessionError;
  /** A 503's Retry-After, in seconds, when the ACS gave one. */
  retryAfterSeconds?: number;
}

/** The ACS's 8005 "Retry request": the CPE sends the same request again, up to this many times (as icwmp). */
const MAX_RETRY_REQUESTS = 5;

export async function runSession(plan: SessionPlan): Promise<SessionResult> {
  const result: SessionResult = {
    ok: false,
    informAccepted: false,
    version: undefined,
    acknowledged: [],
    acsRequests: [],
    held: false,
    faultsSent: 0,
  };
  const transport = new SessionTransport({
    ...plan.transport,
    timeoutMs: plan.sessionTimeoutSeconds * 1000,
  });
  try {
    await converse(plan, transport, result);
    result.ok = true;
  } catch (error) {
    result.error =
      error instanceof SessionError
        ? error
        : new SessionError('protocol', `session failed: ${(error as Error).message}`, {
            cause: error,
          });
  } finally {
    transport.close();
  }
  return result;
}

async function converse(plan: SessionPlan, transport: SessionTransport, result: SessionResult) {
  const wire = plan.wire ?? {};
  const faults = plan.faults ?? {};
  let nextId = 1;
  const opening = informHeader(plan.maxVersion, `cpe-${nextId++}`, plan.sessionTimeoutSeconds);
  const informNs = plan.cwmpNamespace ?? opening.cwmpNamespace;

  // 1. Inform → InformResponse.
  let informReply: { header: CwmpHeader; body: CwmpMessage; ns: string } | undefined;
  for (let attempt = 0; informReply === undefined; attempt++) {
    const xml = encodeMessage(
      { cwmpNamespace: informNs, header: opening.header, body: plan.inform },
      wire,
    );
    const reply = await transport.post(
      faults.malformedOn === 'Inform' ? malformed(xml) : xml,
      `"${informNs}#Inform"`,
      faults.dropOn === 'Inform' ? { dropAfterBytes: xml.length >> 1 } : {},
    );
    const message = expectEnvelope(reply, result, 'InformResponse');
    if (message.body.method === 'Fault') {
      if (message.body.FaultCode === FaultCode.AcsRetryRequest && attempt < MAX_RETRY_REQUESTS)
        continue;
      throw new SessionError(
        'fault',
        `the ACS answered the Inform with fault ${message.body.FaultCode}`,
        {
          faultCode: message.body.FaultCode,
        },
      );
    }
    if (message.body.method !== 'InformResponse') {
      throw new SessionError('protocol', `the ACS answered the Inform with ${message.body.method}`);
    }
    informReply = message;
  }
  result.informAccepted = true;
  const version = negotiated(plan.maxVersion, informReply.header.UseCWMPVersion, informReply.ns);
  result.version = version;
  const ns = plan.cwmpNamespace ?? namespaceForVersion(version);
  let hold = informReply.header.HoldRequests === true && faults.ignoreHoldRequests !== true;

  // 2. The CPE's own requests, unless held.
  for (let i = 0; i < plan.requests.length; i++) {
    if (hold) {
      result.held = true;
      break;
    }
    const request = plan.requests[i]!;
    for (let attempt = 0; ; attempt++) {
      const xml = encodeMessage(
        { cwmpNamespace: ns, header: { ID: `cpe-${nextId++}` }, body: request },
        wire,
      );
      const reply = await transport.post(xml, `"${ns}#${request.method}"`);
      const message = expectEnvelope(reply, result, `${request.method}Response`);
      hold = message.header.HoldRequests === true && faults.ignoreHoldRequests !== true;
      if (message.body.method === `${request.method}Response`) {
        result.acknowledged.push(i);
        break;
      }
      if (message.body.method === 'Fault') {
        // 8005: send it again; any other fault: it stays in the outbox for a later session.
        if (
          message.body.FaultCode === FaultCode.AcsRetryRequest &&
          attempt < MAX_RETRY_REQUESTS &&
          !hold &&
          faults.ignoreRetryRequest !== true
        )
          continue;
        break;
      }
      throw new SessionError(
        'protocol',
        `the ACS answered ${request.method} with ${message.body.method}`,
      );
    }
  }

  // 3. The empty POST hands the turn to the ACS; answer its requests until it sends nothing.
  let reply = await transport.post(undefined);
  for (;;) {
    if (reply.status === 204 || (reply.status === 200 && reply.body.length === 0)) return;
    const message = expectEnvelope(reply, result, 'a request or 204');
    const request = message.body;
    if (request.method === 'Fault' || request.method.endsWith('Response')) {
      throw new SessionError(
        'protocol',
        `the ACS sent ${request.method} when a request or 204 was due`,
      );
    }
    const name = request.method === 'UnknownMethod' ? request.Name : request.method;
    result.acsRequests.push(name);
    const answer = await answerOne(plan, request, name, version, faults);
    if (answer.method === 'Fault') result.faultsSent++;
    if (faults.answerDelayMs !== undefined && faults.answerDelayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, faults.answerDelayMs));
    }
    const header: CwmpHeader = message.header.ID === undefined ? {} : { ID: message.header.ID };
    const xml = encodeMessage({ cwmpNamespace: ns, header, body: answer }, wire);
    reply = await transport.post(
      faults.malformedOn === name ? malformed(xml) : xml,
      '',
      faults.dropOn === name ? { dropAfterBytes: xml.length >> 1 } : {},
    );
  }
}

async function answerOne(
  plan: SessionPlan,
  request: CwmpMessage,
  name: string,
  version: CwmpVersion,
  faults: SessionFaults,
): Promise<CwmpMessage> {
  const injected = faults.faultFor?.[name];
  if (injected !== undefined) return faultMessage(new CwmpFault(injected));
  try {
    return await plan.answer(request, { version });
  } catch (error) {
    if (error instanceof CwmpFault) return faultMessage(error);
    return faultMessage(new CwmpFault(FaultCode.InternalError, undefined, { cause: error }));
  }
}

/** A 200 carrying one CWMP envelope, decoded; anything else ends the session with a typed error. */
function expectEnvelope(
  reply: HttpReply,
  result: SessionResult,
  expected: string,
): { header: CwmpHeader; body: CwmpMessage; ns: string } {
  if (reply.status !== 200 || reply.body.length === 0) {
    const retryAfter = Number(reply.headers['retry-after']);
    if (reply.status === 503 && Number.isFinite(retryAfter) && retryAfter > 0)
      result.retryAfterSeconds = retryAfter;
    throw new SessionError(
      'http-status',
      `the ACS answered HTTP ${reply.status}${reply.body.length === 0 ? ' with no body' : ''} where ${expected} was due`,
      { status: reply.status },
    );
  }
  const decoded = decodeEnvelope(reply.body);
  if (!decoded.ok) {
    throw new SessionError(
      'decode',
      `the ACS sent an undecodable message: ${decoded.error.message}`,
    );
  }
  const { envelope } = decoded;
  return { header: envelope.header, body: envelope.body, ns: envelope.cwmpNamespace };
}

/**
 * The session's version (TR-069 A6 §3.7.4): UseCWMPVersion when the ACS sent one the device offered; otherwise what
 * the InformResponse's namespace says, capped at the device's own version.
 */
function negotiated(max: CwmpVersion, useVersion: string | undefined, ns: string): CwmpVersion {
  const offered = versionsUpTo(max);
  if (useVersion !== undefined) {
    const [chosen] = parseVersionList(useVersion);
    if (chosen !== undefined && offered.includes(chosen)) return chosen;
    throw new SessionError(
      'protocol',
      `the ACS chose CWMP ${useVersion}, which the device did not offer`,
    );
  }
  const fromNs = versionOfNamespace(ns) ?? '1.0';
  if (!offered.includes(fromNs)) return max;
  // Without UseCWMPVersion a 1.4 device cannot be sure the ACS speaks 1.4: cwmp-1-2 is read as 1.2.
  return fromNs === '1.4' ? max : fromNs;
}
