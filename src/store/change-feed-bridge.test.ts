import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bridgeChangeFeed, ChangeFeed, type StoreChange } from './change-feed.ts';
import { LocalCoordination } from './coordination.ts';

/** Nodes on one bus, as PostgreSQL's NOTIFY connects them: a broadcast reaches every node but its sender. */
class Bus {
  readonly nodes: BusNode[] = [];
  broadcasts = 0;
}

class BusNode extends LocalCoordination {
  readonly #bus: Bus;
  readonly #listeners = new Map<string, Set<(message: string) => void>>();

  constructor(bus: Bus, name: string) {
    super(name);
    this.#bus = bus;
    bus.nodes.push(this);
  }

  override async broadcast(channel: string, message: string): Promise<void> {
    this.#bus.broadcasts++;
    for (const node of this.#bus.nodes) if (node !== this) node.deliver(channel, message);
  }

  override listen(channel: string, onMessage: (message: string) => void): () => void {
    const set = this.#listeners.get(channel) ?? new Set();
    this.#listeners.set(channel, set);
    set.add(onMessage);
    return () => set.delete(onMessage);
  }

  deliver(channel: string, message: string): void {
    for (const l of this.#listeners.get(channel) ?? []) l(message);
  }
}

describe('the change feed across nodes', () => {
  it('what one node publishes reaches the others once, and is not sent back', () => {
    const bus = new Bus();
    const feeds = [new ChangeFeed(), new ChangeFeed(), new ChangeFeed()];
    const seen: StoreChange[][] = feeds.map(() => []);
    feeds.forEach((feed, i) => {
      bridgeChangeFeed(feed, new BusNode(bus, `node-${i}`));
      feed.subscribe((c) => seen[i]!.push(c));
    });
    const change: StoreChange = { kind: 'task', taskId: 7, deviceId: 'd-1', state: 'done' };
    feeds[0]!.publish(change);
    assert.deepEqual(seen, [[change], [change], [change]]);
    assert.equal(bus.broadcasts, 1, 'the receivers do not broadcast it again');
  });

  it('ignores a message that is not a change, and stops when ended', () => {
    const bus = new Bus();
    const feed = new ChangeFeed();
    const seen: StoreChange[] = [];
    feed.subscribe((c) => seen.push(c));
    const end = bridgeChangeFeed(feed, new BusNode(bus, 'a'));
    const other = new BusNode(bus, 'b');
    void other.broadcast('corral_changes', '{not json');
    void other.broadcast('corral_changes', '42');
    void other.broadcast(
      'corral_changes',
      JSON.stringify({ kind: 'device', deviceId: 'x', change: 'inform' }),
    );
    assert.equal(seen.length, 1);
    end();
    void other.broadcast(
      'corral_changes',
      JSON.stringify({ kind: 'device', deviceId: 'y', change: 'inform' }),
    );
    assert.equal(seen.length, 1);
  });
});
