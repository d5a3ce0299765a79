/**
 * One session of a device, from its state to its record: the Inform built from the model, the queued events, the
 * pending value changes and the outbox; the session run with the device's credentials, CAs and behaviour; the ACS's
 * requests answered (their after-session effects collected). The device then settles what it means.
 */
import { performance } from 'node:perf_hooks';
import type { DeviceModel } from '../model/device-model.ts';
import type { InformEvent } from '../session/event-queue.ts';
import { buildInform } from '../session/inform.ts';
import { runSession, type SessionResult } from '../session/session-runner.ts';
import {
  answerAcsRequest,
  noEffects,
  type RequestContext,
  type SessionEffects,
} from './acs-requests.ts';
import { DEFAULT_SESSION_TIMEOUT_SECONDS, type DeviceBehaviour } from './behaviour.ts';
import { ManagementServer } from './management-server.ts';
import { eventLabel, informEvents, type SessionRecord } from './session-record.ts';
import type { OutboxEntry } from './transfer-runner.ts';

export interface TurnInput {
  model: DeviceModel;
  queued: readonly InformEvent[];
  outbox: readonly OutboxEntry[];
  retryCount: number;
  behaviour: DeviceBehaviour;
  ca: string | Buffer | readonly (string | Buffer)[] | undefined;
  now: () => number;
  context: Omit<RequestContext, 'effects'>;
}

export interface TurnOutcome {
  record: SessionRecord;
  result: SessionResult;
  /** The Inform's events. */
  sent: InformEvent[];
  /** The value changes the Inform carried. */
  valueChanges: string[];
  /** The outbox as sent (result.acknowledged indexes into it). */
  outbox: OutboxEntry[];
  effects: SessionEffects;
  /** The ACS URL the session went to. */
  url: string;
}

export async function sessionTurn(input: TurnInput): Promise<TurnOutcome> {
  const { model, behaviour: b } = input;
  const ms = new ManagementServer(model);
  const url = ms.url;
  const valueChanges = model.pendingValueChanges().map((p) => p.name);
  const sent = informEvents(input.queued, input.outbox, valueChanges.length > 0);
  const outbox = [...input.outbox];
  const effects = noEffects();
  const startedAt = input.now();
  const started = performance.now();
  const result = await runSession({
    transport: {
      url,
      username: ms.get('Username'),
      password: ms.get('Password'),
      ...(input.ca === undefined ? {} : { ca: input.ca }),
      returnCookies: b.returnCookies !== false,
      sendChunked: b.sendChunked === true,
      keepAlive: b.keepAlive !== false,
      ...(b.followRedirects === false ? { maxRedirects: 0 } : {}),
      ...(b.insecureTls === true ? { insecureTls: true } : {}),
      ...(b.tlsMaxVersion === undefined ? {} : { tlsMaxVersion: b.tlsMaxVersion }),
      ...(b.tlsHostnameUnchecked === true ? { tlsHostnameUnchecked: true } : {}),
      ...(b.basicOverHttp === true ? { basic: 'always' as const } : {}),
    },
    maxVersion: b.maxVersion ?? '1.4',
    ...(b.cwmpNamespace === undefined ? {} : { cwmpNamespace: b.cwmpNamespace }),
    sessionTimeoutSeconds: b.sessionTimeoutSeconds ?? DEFAULT_SESSION_TIMEOUT_SECONDS,
    inform: buildInform({
      model,
      events: sent,
      retryCount: b.retryCountAlwaysZero === true ? 0 : input.retryCount,
      now: startedAt,
    }),
    requests: outbox.map((e) => e.message),
    answer: (request) => {
      const response = answerAcsRequest({ ...input.context, effects }, request);
      if (
        b.valueChanges === 'acs-changes-reported' &&
        request.method === 'SetParameterValues' &&
        response.method === 'SetParameterValuesResponse'
      )
        for (const pv of request.ParameterList) model.noteValueChange(pv.name);
      return response;
    },
    ...(b.wire === undefined ? {} : { wire: b.wire }),
    ...(b.faults === undefined ? {} : { faults: b.faults }),
  });
  const serialPath = `${model.root}DeviceInfo.SerialNumber`;
  const record: SessionRecord = {
    serialNumber: model.resolve(serialPath)?.kind === 'parameter' ? model.getValue(serialPath) : '',
    startedAt,
    durationMs: performance.now() - started,
    ok: result.ok,
    informAccepted: result.informAccepted,
    events: sent.map(eventLabel),
    retryCount: input.retryCount,
    acsRequests: result.acsRequests,
    acknowledged: result.acknowledged.map((i) => outbox[i]!.message.method),
    faultsSent: result.faultsSent,
    ...(result.version === undefined ? {} : { version: result.version }),
    ...(result.error === undefined ? {} : { error: result.error }),
  };
  return { record, result, sent, valueChanges, outbox, effects, url };
}
