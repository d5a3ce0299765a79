import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LoopTurns } from './loop-turns.ts';

function block(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('loop turns', () => {
  it('runs one request’s work per turn of the loop, letting timers and I/O in between', async () => {
    const turns = new LoopTurns();
    const done: number[] = [];
    const work = Array.from({ length: 6 }, async (_, i) => {
      await turns.next();
      block(20); // a request's synchronous store writes
      done.push(i);
    });
    // Something else on the loop (an API request's callback): it must not wait for all six.
    const other = new Promise<number>((resolve) => setTimeout(() => resolve(done.length), 1));
    const finishedBeforeOther = await other;
    assert.ok(finishedBeforeOther <= 2, `${finishedBeforeOther} requests ran before the timer`);
    await Promise.all(work);
    assert.deepEqual(done, [0, 1, 2, 3, 4, 5], 'in the order they came');
    assert.equal(turns.waiting, 0);
  });
});

describe('the wait for a turn', () => {
  it('reports the longest wait since it was last asked, the oldest still waiting included', async () => {
    const turns = new LoopTurns();
    assert.equal(turns.takeWorstWaitMs(), 0);
    const waits = Array.from({ length: 3 }, () => turns.next());
    const until = performance.now() + 40;
    while (performance.now() < until); // the loop busy: the three wait
    assert.ok(turns.takeWorstWaitMs() >= 40, 'the oldest waiting counts');
    await Promise.all(waits);
    assert.ok(turns.takeWorstWaitMs() >= 40, 'and the waits that ended');
    assert.equal(turns.takeWorstWaitMs(), 0, 'reset once read');
  });
});
