import type { Log } from '../acs/log.ts';
import type { ChangeFeed } from '../store/change-feed.ts';
import type { Store } from '../store/store.ts';
import type { TaskRecord } from '../store/tasks.ts';

/**
 * What asking a CPE to open a session (TR-069 §3.2.2, the connection request) came to. The ACS's sender does
 * the HTTP GET with Digest and reports; `ok` means the CPE acknowledged, not that the session has run.
 * `reason` is short and carries no secret ("no connection-request URL", "timeout", "reset"); `detail` says
 * what happened at which step.
 */
export type ConnectionRequestOutcome = (
  | { ok: true }
  | {
      ok: false;
      reason: string;
      /** What happened at which step ("the CPE closed the connection on the authorised request"); no secret. */
      detail?: string;
    }
) & {
  /** The path that reached the device (http, udp). */
  path?: string;
  /** Each path tried, in order. */
  tried?: { path: string; ok: boolean; reason?: string; detail?: string; ms: number }[];
};

export type ConnectionRequester = (deviceId: string) => Promise<ConnectionRequestOutcome>;

/** The most a request may wait for its task, in seconds. */
export const MAX_WAIT_SECONDS = 60;
/** How often a wait reads the task: often without the change feed, as a safety net with it. */
const POLL_MS = 100;
const POLL_WITH_FEED_MS = 1000;

/** Pending or running: the CPE has not answered yet. */
export function isUnfinished(task: TaskRecord): boolean {
  return task.state === 'pending' || task.state === 'running';
}

/**
 * Ask for a connection request, never throwing: a sender that fails unexpectedly is reported as
 * `{ ok: false, reason: 'error' }` (its message is not passed on: it may name a URL with credentials).
 */
export async function requestConnection(
  requester: ConnectionRequester,
  deviceId: string,
  log: Log,
): Promise<ConnectionRequestOutcome> {
  let outcome: ConnectionRequestOutcome;
  try {
    outcome = await requester(deviceId);
  } catch (error) {
    log(
      'api-connection-request-error',
      { deviceId, error: (error as Error)?.name ?? 'unknown' },
      'error',
    );
    outcome = { ok: false, reason: 'error' };
  }
  log('api-connection-request', {
    deviceId,
    ok: outcome.ok,
    ...(outcome.ok
      ? {}
      : {
          reason: outcome.reason,
          ...(outcome.detail === undefined ? {} : { detail: outcome.detail }),
        }),
  });
  return outcome;
}

/**
 * The task once it has left pending/running, or as it stands when `waitMs` runs out or `signal` aborts (the
 * client went away, the API is closing). Reads the store when the change feed says the task changed (on any node:
 * the feed is bridged between them), and every second besides; without a feed, every 100 ms.
 */
export async function waitForTask(
  store: Store,
  task: TaskRecord,
  waitMs: number,
  signal: AbortSignal,
  /** The store's changes: the wait ends as soon as the task's state changes, instead of at the next poll. */
  changes?: ChangeFeed,
): Promise<TaskRecord> {
  const deadline = performance.now() + waitMs;
  let current = task;
  while (isUnfinished(current) && !signal.aborted) {
    const left = deadline - performance.now();
    if (left <= 0) break;
    await nextChange(
      task.id,
      Math.min(changes ? POLL_WITH_FEED_MS : POLL_MS, left),
      signal,
      changes,
    );
    current = (await store.tasks.get(task.id)) ?? current;
  }
  return current;
}

/** Resolves when task `taskId` changes (by the feed), after `ms`, or on abort, whichever comes first. */
function nextChange(
  taskId: number,
  ms: number,
  signal: AbortSignal,
  changes: ChangeFeed | undefined,
): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      unsubscribe?.();
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    const unsubscribe = changes?.subscribe((change) => {
      if (change.kind === 'task' && change.taskId === taskId) done();
    });
  });
}
