import type { CpeAuthOutcome } from '../auth/authenticator.ts';
import type { Log } from '../log.ts';
import type { AcsMetrics } from '../metrics.ts';
import { type SessionReply, tryLater } from '../session/reply.ts';

/** A 4xx/5xx the endpoint answers, logged with its reason (a CPE engineer reads the log to learn why). */
export function refusal(
  log: Log,
  reply: SessionReply,
  reason: string,
  fields: Record<string, unknown>,
): SessionReply {
  log('cwmp-refused', { status: reply.status, reason, ...fields }, 'warn');
  return reply;
}

/**
 * 401 with fresh challenges. A request without credentials is the normal first step of Digest (and libcurl's
 * probe, quirk 21): logged as a challenge, not a refusal. Wrong credentials are a refusal, logged with the
 * username claimed and the device named — never a secret. Past the throttle's allowance: 503 + Retry-After.
 */
export function challenge(
  log: Log,
  metrics: AcsMetrics,
  auth: Extract<CpeAuthOutcome, { ok: false }>,
  fields: Record<string, unknown>,
): SessionReply {
  if (auth.reason === 'missing') log('cwmp-challenge', fields);
  else
    log(
      'cpe-auth-refused',
      {
        reason: auth.reason,
        ...(auth.username !== undefined ? { username: auth.username } : {}),
        ...fields,
      },
      'warn',
    );
  if (auth.retryAfterSeconds !== undefined) metrics.cwmpRefusal(503, 'auth-throttled');
  else metrics.cwmpRefusal(401, auth.reason === 'missing' ? 'challenge' : 'auth-failed');
  if (auth.retryAfterSeconds !== undefined)
    return tryLater(auth.retryAfterSeconds, 'too many failed authentications; try again later');
  return {
    status: 401,
    headers: { 'WWW-Authenticate': auth.challenges },
    body: 'authentication required\n',
  };
}
