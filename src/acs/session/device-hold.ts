import type { SessionDeps } from './deps.ts';
import type { CwmpSession } from './session.ts';

/** A hold outlives the session's idle timeout by this much, so that it never lapses under a live session. */
const HOLD_MARGIN_MS = 10_000;

/**
 * Several ACS nodes on one database: a device is in at most one session across all of them. The node that
 * admits a session holds the device (store/coordination.ts) for the session's idle timeout plus a margin,
 * renews the hold as the session goes on, and lets it go when the session ends; a node that dies lets its holds
 * lapse. With one node the hold always succeeds (its registry already keeps one session per device).
 */
export async function holdDevice(deps: SessionDeps, session: CwmpSession): Promise<boolean> {
  const held = await deps.coordination.holdDevice(
    session.deviceId,
    session.id,
    session.timeoutMs + HOLD_MARGIN_MS,
  );
  if (held) session.heldAt = deps.clock();
  return held;
}

/** Renews the hold once a third of it has passed; false: it lapsed and another node's session has the device. */
export async function renewHold(deps: SessionDeps, session: CwmpSession): Promise<boolean> {
  if (deps.clock() - session.heldAt < (session.timeoutMs + HOLD_MARGIN_MS) / 3) return true;
  return holdDevice(deps, session);
}

/**
 * Lets the hold go before the session's last answer, so that the device's next session (a connection request
 * may bring it at once) finds it free on any node. A failure is logged and leaves the hold to lapse.
 */
export async function releaseHold(deps: SessionDeps, session: CwmpSession): Promise<void> {
  try {
    await deps.coordination.releaseDevice(session.deviceId, session.id);
  } catch (error) {
    deps.log('device-hold-release-failed', {
      deviceId: session.deviceId,
      sessionId: session.id,
      error: (error as Error).message,
    });
  }
}
