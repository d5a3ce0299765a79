import type { SessionReply } from '../session/reply.ts';
import type { CwmpSession } from '../session/session.ts';
import type { CwmpHandlerOptions } from './cwmp-handler.ts';
import { challenge } from './refusal.ts';
import type { CwmpRequest } from './request.ts';

/**
 * A request that neither a cookie nor its connection ties to a session (not an Inform). It joins a session only
 * by proving, on this request, the credential that opened it (a CPE that reconnects mid-session without its
 * cookie, quirk 19) — never by its address, which every CPE behind one NAT or proxy shares. Anything else gets
 * the 401 challenge: that is also what libcurl's Digest probe (an empty POST without credentials, quirk 21)
 * needs before it sends its Inform. Nothing here touches a session it cannot prove is its own.
 */
export async function bindUnbound(
  options: Pick<CwmpHandlerOptions, 'authenticate' | 'engine' | 'log'>,
  request: CwmpRequest,
): Promise<CwmpSession | SessionReply> {
  const { authenticate, engine, log } = options;
  const fields = {
    remoteAddress: request.address,
    message: request.envelope?.body.method ?? 'empty',
  };
  const unproven = (reason: string, username?: string): SessionReply =>
    challenge(
      log,
      engine.deps.metrics,
      {
        ok: false,
        reason,
        challenges: authenticate.challenges(request.isTls),
        ...(username !== undefined ? { username } : {}),
      },
      fields,
    );
  const username = authenticate.claimant(request.req);
  if (username === undefined) return unproven('missing');
  const candidates = engine.deps.registry.forUsername(username, request.address);
  if (candidates.length !== 1) {
    return unproven(candidates.length === 0 ? 'no-session-for-credential' : 'ambiguous', username);
  }
  const session = candidates[0]!;
  const auth = await authenticate.rejoin(
    request.req,
    { deviceId: session.deviceId, username, bootstrapping: session.auth.bootstrapping },
    request.isTls,
  );
  if (!auth.ok)
    return challenge(log, engine.deps.metrics, auth, { ...fields, deviceId: session.deviceId });
  log('session-rejoined', {
    deviceId: session.deviceId,
    sessionId: session.id,
    remoteAddress: request.address,
  });
  return session;
}
