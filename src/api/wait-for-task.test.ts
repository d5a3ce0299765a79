import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChangeFeed } from '../store/change-feed.ts';
import type { Store } from '../store/store.ts';
import type { TaskRecord } from '../store/tasks.ts';
import { waitForTask } from './connection-request.ts';

/** A store of one task whose state the test sets, counting the reads: what a wait does is what it reads. */
function oneTask(): { store: Store; task: TaskRecord; reads: () => number; finish: () => void } {
  let reads = 0;
  const task = { id: 7, deviceId: 'd', state: 'pending' } as TaskRecord;
  let current = task;
  const store = {
    tasks: {
      get: async (id: number) => {
        reads++;
        return id === task.id ? current : null;
      },
    },
  } as unknown as Store;
  return {
    store,
    task,
    reads: () => reads,
    finish: () => {
      current = { ...task, state: 'done' } as TaskRecord;
    },
  };
}

describe('waiting for a task', () => {
  it('with the change feed, reads the task when it changes, not on every poll', async () => {
    const { store, task, reads, finish } = oneTask();
    const feed = new ChangeFeed();
    const waiting = waitForTask(store, task, 30_000, new AbortController().signal, feed);
    feed.publish({ kind: 'task', taskId: 99, deviceId: 'd', state: 'done' }); // another task: no read
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(reads(), 0);
    finish();
    feed.publish({ kind: 'task', taskId: 7, deviceId: 'd', state: 'done' });
    assert.equal((await waiting).state, 'done');
    assert.equal(reads(), 1);
    assert.equal(feed.listeners, 0, 'the wait unsubscribed');
  });

  it('ends with the task as it stands when the client goes away', async () => {
    const { store, task } = oneTask();
    const abort = new AbortController();
    const waiting = waitForTask(store, task, 30_000, abort.signal, new ChangeFeed());
    abort.abort();
    assert.equal((await waiting).state, 'pending');
  });
});
