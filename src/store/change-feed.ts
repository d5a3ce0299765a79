import type { Coordination } from './coordination.ts';
import type { Store } from './store.ts';

/**
 * What changed in the store, as it happens: the console's live updates (server-sent events) and its dashboard
 * read it. Published after the store call succeeded, in this process; with several nodes on one database each
 * publishes its own changes (PostgreSQL's LISTEN/NOTIFY is the way to share them).
 */
export type StoreChange =
  | { kind: 'task'; taskId: number; deviceId: string; state: string }
  | { kind: 'device'; deviceId: string; change: 'inform' | 'parameters' | 'tags' | 'deleted' }
  | { kind: 'campaign'; campaignId: number; state: string };

export type ChangeListener = (change: StoreChange) => void;

export class ChangeFeed {
  readonly #listeners = new Set<ChangeListener>();

  /** Returns the unsubscribe function. */
  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listeners(): number {
    return this.#listeners.size;
  }

  publish(change: StoreChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch {
        // A listener's failure is its own (a closed stream): the store call and the others go on.
      }
    }
  }
}

const CHANNEL = 'corral_changes';

/**
 * The feed across the nodes sharing the store: what this node publishes goes to the others, what they broadcast
 * is published here (and not sent back). Returns the function that ends the bridge.
 */
export function bridgeChangeFeed(feed: ChangeFeed, coordination: Coordination): () => void {
  const fromElsewhere = new WeakSet<StoreChange>();
  const unsubscribe = feed.subscribe((change) => {
    if (fromElsewhere.has(change)) return;
    // Best effort, as the feed itself is: a lost broadcast costs a console a live update, never data.
    coordination.broadcast(CHANNEL, JSON.stringify(change)).catch(() => undefined);
  });
  const unlisten = coordination.listen(CHANNEL, (message) => {
    let change: StoreChange;
    try {
      change = JSON.parse(message) as StoreChange;
    } catch {
      return;
    }
    if (typeof change !== 'object' || change === null || typeof change.kind !== 'string') return;
    fromElsewhere.add(change);
    feed.publish(change);
  });
  return () => {
    unsubscribe();
    unlisten();
  };
}

type Publisher = (feed: ChangeFeed, args: unknown[], result: unknown) => void;

const taskRecords: Publisher = (feed, _args, result) => {
  for (const task of tasksIn(result)) {
    feed.publish({ kind: 'task', taskId: task.id, deviceId: task.deviceId, state: task.state });
  }
  // A completed read or write changes the cached parameters in the same transaction.
  const changes = (result as { changes?: unknown[] } | null)?.changes;
  const task = (result as { task?: unknown } | null)?.task;
  if (Array.isArray(changes) && changes.length > 0 && isTask(task)) {
    feed.publish({ kind: 'device', deviceId: task.deviceId, change: 'parameters' });
  }
};
const device =
  (change: 'inform' | 'parameters' | 'tags' | 'deleted'): Publisher =>
  (feed, args) =>
    feed.publish({ kind: 'device', deviceId: String(args[0]), change });
const campaign: Publisher = (feed, _args, result) => {
  const record = result as { id?: unknown; state?: unknown } | null;
  if (typeof record?.id === 'number' && typeof record.state === 'string')
    feed.publish({ kind: 'campaign', campaignId: record.id, state: record.state });
};

/** The store calls that change something, and what each publishes. */
const PUBLISHERS: Record<string, Record<string, Publisher>> = {
  tasks: Object.fromEntries(
    [
      'enqueue',
      'claimNext',
      'complete',
      'fault',
      'awaitTransfer',
      'completeTransfer',
      'expireTransfers',
      'releaseSession',
      'recoverClaims',
      'cancel',
      'retry',
      'clearFault',
    ].map((m) => [m, taskRecords]),
  ),
  devices: {
    recordInform: (feed, _args, result) => {
      const outcome = result as { device: { id: string } };
      feed.publish({ kind: 'device', deviceId: outcome.device.id, change: 'inform' });
    },
    delete: device('deleted'),
    addTags: device('tags'),
    removeTags: device('tags'),
  },
  parameters: { upsert: device('parameters'), deleteSubtree: device('parameters') },
  campaigns: Object.fromEntries(
    ['create', 'approve', 'start', 'transition'].map((m) => [m, campaign]),
  ),
};

/**
 * The store, publishing its changes to `feed`: a wrapper, so neither the store nor its callers change (as
 * acs/metrics-store.ts times it). Reads pass through untouched.
 */
export function withChangeFeed<S extends Store>(store: S, feed: ChangeFeed): S {
  const parts = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      const publishers = typeof key === 'string' ? PUBLISHERS[key] : undefined;
      if (publishers === undefined || typeof value !== 'object' || value === null) {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      let part = parts.get(key);
      if (part === undefined) {
        part = publishingPart(value as object, publishers, feed);
        parts.set(key, part);
      }
      return part;
    },
  });
}

function publishingPart<P extends object>(
  part: P,
  publishers: Record<string, Publisher>,
  feed: ChangeFeed,
): P {
  const methods = new Map<PropertyKey, unknown>();
  return new Proxy(part, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      const publish = typeof key === 'string' ? publishers[key] : undefined;
      if (typeof value !== 'function' || publish === undefined) {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      let wrapped = methods.get(key);
      if (wrapped === undefined) {
        const method = value.bind(target) as (...args: unknown[]) => Promise<unknown>;
        wrapped = async (...args: unknown[]) => {
          const result = await method(...args);
          if (feed.listeners > 0) publish(feed, args, result);
          return result;
        };
        methods.set(key, wrapped);
      }
      return wrapped;
    },
  });
}

interface TaskLike {
  id: number;
  deviceId: string;
  state: string;
}

function isTask(value: unknown): value is TaskLike {
  const v = value as Partial<TaskLike> | null;
  return typeof v?.id === 'number' && typeof v.deviceId === 'string' && typeof v.state === 'string';
}

/** The task records in a result: one, a list, or one inside an outcome (`{ task }`). */
function tasksIn(result: unknown): TaskLike[] {
  if (isTask(result)) return [result];
  if (Array.isArray(result)) return result.filter(isTask);
  const inner = (result as { task?: unknown } | null)?.task;
  return isTask(inner) ? [inner] : [];
}
