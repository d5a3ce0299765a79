import type { SessionEndReason } from '../metrics.ts';
import type { SessionDeps } from './deps.ts';
import { releaseHold } from './device-hold.ts';
import type { CwmpSession } from './session.ts';
import { flushTrace } from './trace.ts';

/**
 * A session ends before its 204 (aborted, superseded, timed out, the ACS stopping): it is closed, its trace is
 * written, and its claimed tasks are released at once — read-only ones back to the queue, side-effecting ones
 * failed as interrupted (the store's rule) — so the device's next session finds its work.
 */
export async function endSession(
  deps: SessionDeps,
  session: CwmpSession,
  event: 'session-abort' | 'session-timeout',
  why: string,
  reason: SessionEndReason,
): Promise<void> {
  await closeSession(deps, session);
  deps.metrics.sessionEnded(reason, (deps.clock() - session.startedAt) / 1000);
  session.traceNotable = true; // an abnormal end is worth its trace
  await flushTrace(deps, session);
  deps.log(event, { deviceId: session.deviceId, sessionId: session.id, why });
  await deps.store.tasks.releaseSession(session.deviceId, session.id);
}

/** The session is over on this node: out of the registry, and the device's hold let go for any node to take. */
export async function closeSession(deps: SessionDeps, session: CwmpSession): Promise<void> {
  deps.registry.close(session);
  await releaseHold(deps, session);
}
