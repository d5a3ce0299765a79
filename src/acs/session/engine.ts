import type { Socket } from 'node:net';
import type { CwmpEnvelope, Inform } from '../../cwmp/index.ts';
import { FaultCode } from '../../cwmp/index.ts';
import { onAnswer, onNoAnswer, sendNextRequest } from './acs-requests.ts';
import { answerCpeRequest, isCpeRequest } from './cpe-requests.ts';
import type { SessionDeps } from './deps.ts';
import { deviceIdOf, releaseExpired, startSession } from './inform.ts';
import { acsFault, badRequest, type SessionReply } from './reply.ts';
import type { CwmpSession } from './session.ts';
import { flushTrace, traceMessage } from './trace.ts';

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
 */
export class SessionEngine {
  constructor(readonly deps: SessionDeps) {}

  async handle(
    session: CwmpSession | undefined,
    envelope: CwmpEnvelope | null,
    context: MessageContext,
  ): Promise<SessionReply> {
    if (envelope?.body.method === 'Inform') {
      const inform = envelope as CwmpEnvelope<Inform>;
      // An Inform inside its own device's session: the CPE started over (it lost our answer, or rebooted).
      // A session found for another device (by connection or address) is none of this Inform's business.
      if (session !== undefined && session.deviceId === deviceIdOf(inform.body)) {
        await this.end(session, 'superseded by a new Inform');
      }
      const { reply } = await startSession(this.deps, inform, context);
      return reply;
    }
    if (session === undefined) return badRequest('a CWMP session starts with an Inform');
    session.lastActivity = this.deps.clock();
    this.deps.registry.bindSocket(session, context.socket);
    await traceMessage(this.deps, session, 'cpe-to-acs', envelope, context.raw);

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
    if (isCpeRequest(message)) return answerCpeRequest(this.deps, session, envelope);
    if (message.method === 'UnknownMethod') {
      return acsFault(
        session.cwmpNamespace,
        envelope.header.ID,
        FaultCode.AcsMethodNotSupported,
        undefined,
        session.id,
      );
    }
    await this.end(session, `unexpected ${message.method}`);
    return badRequest(`unexpected ${message.method}: no request of the ACS is waiting for it`);
  }

  /** End a session early: its claimed tasks go back to the queue or fail as interrupted (store's rule). */
  async end(session: CwmpSession, why: string): Promise<void> {
    if (session.phase === 'closed') return;
    this.deps.registry.close(session);
    await flushTrace(this.deps, session);
    this.deps.log('session-abort', { deviceId: session.deviceId, sessionId: session.id, why });
    await this.deps.store.tasks.releaseSession(session.deviceId, session.id);
  }

  /** Abandon sessions idle past their timeout (run periodically). */
  async expireIdle(): Promise<void> {
    for (const session of this.deps.registry.expire(this.deps.clock()))
      await releaseExpired(this.deps, session);
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
}
