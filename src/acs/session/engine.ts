import type { Socket } from 'node:net';
import type { CwmpEnvelope, Inform } from '../../cwmp/index.ts';
import { FaultCode } from '../../cwmp/index.ts';
import { onAnswer, onNoAnswer, sendNextRequest } from './acs-requests.ts';
import { answerCpeRequest, isCpeRequest } from './cpe-requests.ts';
import type { SessionDeps } from './deps.ts';
import { renewHold } from './device-hold.ts';
import { endSession } from './end.ts';
import { startSession } from './inform.ts';
import { acsFault, badRequest, type SessionReply, tryLater } from './reply.ts';
import type { CwmpSession, SessionAuth } from './session.ts';
import { traceRequest, traceResponse } from './trace.ts';

export interface MessageContext {
  remoteAddress: string | null;
  socket: Socket | null;
  /** The body as received (empty for an empty POST), for the trace. */
  raw: string;
}

/**
 * The CWMP session state machine (TR-069 §3.7), one HTTP POST at a time: the Inform opens a session; the CPE's
 * own requests are answered; its empty POST hands the turn to the ACS, which sends one request per response
 * until its queue is empty and it answers 204. State lives in CwmpSession; every write goes to the store.
 * The HTTP layer has authenticated the CPE and bound the request to its session before anything gets here.
 */
export class SessionEngine {
  constructor(readonly deps: SessionDeps) {}

  /** An authenticated Inform: a new session, which replaces any the device still has open. */
  async inform(
    envelope: CwmpEnvelope<Inform>,
    auth: SessionAuth,
    context: MessageContext,
  ): Promise<SessionReply> {
    return (await startSession(this.deps, envelope, auth, context)).reply;
  }

  /** Any other message (or an empty POST) of the session the request is bound to. */
  async message(
    session: CwmpSession,
    envelope: CwmpEnvelope | null,
    context: MessageContext,
  ): Promise<SessionReply> {
    session.lastActivity = this.deps.clock();
    this.deps.registry.bindSocket(session, context.socket);
    if (!(await renewHold(this.deps, session))) {
      // Idle past its hold, and another node's session has the device now: this one is over.
      await this.end(session, 'the device is in a session on another node');
      this.deps.metrics.cwmpRefusal(503, 'device-busy');
      return tryLater(5, 'this session has ended; start a new one');
    }
    await traceRequest(this.deps, session, envelope, context.raw);

    if (envelope === null) {
      if (session.pending !== null) return onNoAnswer(this.deps, session);
      session.phase = 'acs-requests';
      return sendNextRequest(this.deps, session);
    }
    const message = envelope.body;
    if (
      session.pending !== null &&
      (message.method === 'Fault' || message.method.endsWith('Response'))
    ) {
      return onAnswer(this.deps, session, envelope);
    }
    if (isCpeRequest(message))
      return this.traced(session, await answerCpeRequest(this.deps, session, envelope));
    if (message.method === 'UnknownMethod') {
      const fault = acsFault(
        session.cwmpNamespace,
        envelope.header.ID,
        FaultCode.AcsMethodNotSupported,
        undefined,
        session.cookie,
      );
      return this.traced(session, fault);
    }
    const refusal = badRequest(
      `unexpected ${message.method}: no request of the ACS is waiting for it`,
    );
    await traceResponse(this.deps, session, refusal);
    await this.end(session, `unexpected ${message.method}`);
    this.deps.metrics.cwmpRefusal(400, 'bad-request');
    return refusal;
  }

  /** End a session early: its claimed tasks go back to the queue or fail as interrupted (store's rule). */
  async end(session: CwmpSession, why: string): Promise<void> {
    if (session.phase === 'closed') return;
    const reason = this.deps.registry.draining ? 'shutting-down' : 'aborted';
    await endSession(this.deps, session, 'session-abort', why, reason);
  }

  /** Abandon sessions idle past their timeout (run periodically). */
  async expireIdle(): Promise<void> {
    for (const session of this.deps.registry.expire(this.deps.clock()))
      await endSession(this.deps, session, 'session-timeout', 'idle past its timeout', 'timeout');
  }

  /** Fail the transfers whose TransferComplete is overdue, visibly (run periodically). */
  async expireTransfers(): Promise<void> {
    for (const task of await this.deps.store.tasks.expireTransfers()) {
      this.deps.log('transfer-timeout', {
        deviceId: task.deviceId,
        taskId: task.id,
        type: task.type,
      });
    }
  }

  /** Every message the ACS sends is in the session's trace, answers to the CPE's own requests too. */
  private async traced(session: CwmpSession, reply: SessionReply): Promise<SessionReply> {
    await traceResponse(this.deps, session, reply);
    return reply;
  }
}
