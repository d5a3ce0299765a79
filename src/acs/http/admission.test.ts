import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Admission } from './admission.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Keep the event loop busy, as a burst of synchronous store writes does. */
function block(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/** Late for a whole window (100 ms): the loop stalls between its turns. */
async function stallForAWindow(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    block(80);
    await sleep(1);
  }
}

describe('admission by measured capacity', () => {
  it('admits up to the session limit, then refuses with a Retry-After of at least a second', () => {
    let open = 0;
    const admission = new Admission({ maxSessions: 1000, minSessions: 4 }, () => open);
    try {
      for (; open < 4; open++) {
        const verdict = admission.admit();
        assert.equal(verdict.ok, true);
        if (verdict.ok) verdict.settle(); // its session is open: counted by `open` from now on
      }
      const refused = admission.admit();
      assert.equal(refused.ok, false);
      if (!refused.ok) {
        assert.equal(refused.reason, 'session-limit');
        assert.ok(refused.retryAfterSeconds >= 1 && refused.retryAfterSeconds <= 2);
      }
      assert.equal(admission.state.refused, 1);
    } finally {
      admission.close();
    }
  });

  it('counts a burst of admitted requests as open until each settles (their sessions are not open yet)', () => {
    const admission = new Admission({ maxSessions: 1000, minSessions: 4 }, () => 0);
    try {
      const admitted = [1, 2, 3, 4].map(() => admission.admit());
      assert.ok(admitted.every((v) => v.ok));
      const fifth = admission.admit();
      assert.equal(fifth.ok, false);
      if (!fifth.ok) assert.equal(fifth.reason, 'session-limit');
      const first = admitted[0]!;
      if (first.ok) {
        first.settle();
        first.settle(); // once is what counts
      }
      assert.equal(admission.admit().ok, true);
      assert.equal(admission.admit().ok, false);
    } finally {
      admission.close();
    }
  });

  it('grows the limit while the loop keeps time, and never past --max-sessions', async () => {
    let open = 4;
    const admission = new Admission({ maxSessions: 20, minSessions: 4, windowMs: 20 }, () => open);
    try {
      await sleep(60);
      assert.ok(admission.state.sessionLimit > 4, `limit ${admission.state.sessionLimit}`);
      open = 20;
      for (let waited = 0; admission.state.sessionLimit < 20 && waited < 2000; waited += 20)
        await sleep(20);
      await sleep(60); // and there it stays
      assert.equal(admission.state.sessionLimit, 20);
      assert.equal(admission.admit().ok, false);
    } finally {
      admission.close();
    }
  });

  it('turns new sessions away while the loop is late, shrinking the limit, and admits again once it keeps time', async () => {
    let open = 8;
    const admission = new Admission(
      { maxSessions: 1000, minSessions: 8, windowMs: 100, targetLoopDelayMs: 30 },
      () => open,
    );
    try {
      // On time and full: the limit grows past the minimum.
      while (admission.state.sessionLimit < 20) {
        open = admission.state.sessionLimit;
        await sleep(20);
      }
      const grown = admission.state.sessionLimit;
      await stallForAWindow();
      const verdict = admission.admit();
      assert.equal(verdict.ok, false, JSON.stringify(admission.state));
      if (!verdict.ok) assert.equal(verdict.reason, 'loop-late');
      assert.ok(admission.state.sessionLimit < grown, `limit ${admission.state.sessionLimit}`);
      open = 10; // under the limit, over the minimum: lateness alone refuses
      const late = admission.admit();
      assert.equal(late.ok, false, JSON.stringify(admission.state));
      if (!late.ok) assert.equal(late.reason, 'loop-late');
      await sleep(250);
      assert.equal(admission.admit().ok, true, JSON.stringify(admission.state));
    } finally {
      admission.close();
    }
  });

  it('keeps the minimum of sessions going while the loop is late', async () => {
    let open = 0;
    const admission = new Admission(
      { maxSessions: 1000, minSessions: 4, windowMs: 100, targetLoopDelayMs: 30 },
      () => open,
    );
    try {
      await stallForAWindow();
      assert.ok(admission.state.loopDelayMs > 30, JSON.stringify(admission.state));
      // Late, yet nothing open: admitted up to the minimum (the loop would otherwise idle until the next window).
      for (; open < 4; open++) {
        const verdict = admission.admit();
        assert.equal(verdict.ok, true, JSON.stringify(admission.state));
        if (verdict.ok) verdict.settle();
      }
      const verdict = admission.admit();
      assert.equal(verdict.ok, false);
      if (!verdict.ok) assert.equal(verdict.reason, 'loop-late');
    } finally {
      admission.close();
    }
  });

  it('spreads Retry-After wider while most of the refused are refused again', async () => {
    const open = 10;
    let draws = 0;
    const admission = new Admission(
      { maxSessions: 10, minSessions: 10, windowMs: 20 },
      () => open,
      () => (draws++ % 10) / 10,
    );
    try {
      for (let w = 0; w < 60; w++) {
        for (let i = 0; i < 50; i++) admission.admit();
        await sleep(21);
      }
      assert.ok(admission.state.horizonSeconds > 8, `horizon ${admission.state.horizonSeconds}`);
      const seen = new Set<number>();
      for (let i = 0; i < 10; i++) {
        const verdict = admission.admit();
        if (!verdict.ok) seen.add(verdict.retryAfterSeconds);
      }
      assert.ok(seen.size >= 5, `Retry-After values ${[...seen]}`);
    } finally {
      admission.close();
    }
  });
});

describe('admission sees requests queueing for their turns', () => {
  it('cuts the limit once for a lateness, then holds it while the queue drains', async () => {
    let open = 0;
    let queueDelay = 0;
    const admission = new Admission(
      { maxSessions: 1000, minSessions: 8, windowMs: 100, targetQueueDelayMs: 200 },
      () => open,
      Math.random,
      () => queueDelay,
    );
    try {
      open = 100;
      while (admission.state.sessionLimit < 100) await sleep(10);
      const grown = admission.state.sessionLimit;
      queueDelay = 900; // late, and still late while the sessions let in before finish
      while (admission.state.sessionLimit >= grown) await sleep(5);
      const cut = admission.state.sessionLimit;
      assert.equal(cut, Math.floor(Math.min(grown, open) * 0.7));
      // A window and a half later: held (no second cut for four windows; cut at each, it would be 49 by now).
      await sleep(150);
      assert.equal(admission.state.sessionLimit, cut, JSON.stringify(admission.state));
    } finally {
      admission.close();
    }
  });

  it('turns new sessions away and shrinks the limit while requests wait too long, the loop punctual', async () => {
    let open = 64;
    let queueDelay = 0;
    const admission = new Admission(
      { maxSessions: 1000, minSessions: 8, windowMs: 20, targetQueueDelayMs: 200 },
      () => open,
      Math.random,
      () => queueDelay,
    );
    try {
      await sleep(50);
      const grown = admission.state.sessionLimit;
      queueDelay = 900;
      await sleep(60);
      const verdict = admission.admit();
      assert.equal(verdict.ok, false);
      if (!verdict.ok) assert.equal(verdict.reason, 'queue-late');
      assert.ok(admission.state.sessionLimit < grown, JSON.stringify(admission.state));
      queueDelay = 10;
      open = 0;
      await sleep(60);
      assert.equal(admission.admit().ok, true);
    } finally {
      admission.close();
    }
  });
});

describe('the waiting room of new sessions', () => {
  it('holds new sessions at the limit and lets them in, in order, as sessions end', async () => {
    let open = 4;
    const admission = new Admission({ maxSessions: 4, minSessions: 4 }, () => open);
    try {
      const order: string[] = [];
      const waiting = ['a', 'b', 'c'].map((name) =>
        Promise.resolve(admission.enter(() => true)).then((verdict) => {
          order.push(name);
          return verdict;
        }),
      );
      assert.equal(admission.state.waiting, 3);
      open = 3; // a session ended
      admission.pump();
      const a = await waiting[0]!;
      assert.equal(a.ok, true);
      // Admitted and not yet settled, it holds the freed place: nobody else goes in.
      admission.pump();
      assert.equal(admission.state.waiting, 2);
      if (a.ok) a.settle();
      open = 2; // its session opened, and two others ended
      admission.pump();
      assert.deepEqual(
        (await Promise.all(waiting)).map((v) => v.ok),
        [true, true, true],
      );
      assert.deepEqual(order, ['a', 'b', 'c']);
      assert.equal(admission.state.refused, 0);
    } finally {
      admission.close();
    }
  });

  it('lets no newcomer in ahead of those waiting', async () => {
    let open = 2;
    const admission = new Admission({ maxSessions: 2, minSessions: 2 }, () => open);
    try {
      const first = admission.enter(() => true);
      open = 1;
      // Room now, but someone was waiting for it: the newcomer queues behind, the first goes in.
      const second = admission.enter(() => true);
      assert.equal((await first).ok, true);
      assert.ok(second instanceof Promise);
      assert.equal(admission.state.waiting, 1);
    } finally {
      admission.close();
    }
  });

  it('turns away, with a Retry-After, those the room has no place for and those who waited too long', async () => {
    const admission = new Admission(
      { maxSessions: 2, minSessions: 2, maxWaitMs: 150, windowMs: 20 },
      () => 2,
    );
    try {
      // The ACS admitted nobody in the last second: the room holds the minimum, two.
      const waiting = [admission.enter(() => true), admission.enter(() => true)];
      const third = admission.enter(() => true);
      assert.ok(!(third instanceof Promise));
      assert.equal(third.ok, false);
      if (!third.ok) assert.equal(third.reason, 'room-full');
      await sleep(200); // the window's timer is unref'd: this keeps the test's loop alive meanwhile
      const verdicts = await Promise.all(waiting);
      for (const verdict of verdicts) {
        assert.equal(verdict.ok, false);
        if (!verdict.ok) {
          assert.equal(verdict.reason, 'waited-too-long');
          assert.ok(verdict.retryAfterSeconds >= 1);
        }
      }
      assert.equal(admission.state.waiting, 0);
      assert.equal(admission.state.refused, 3);
    } finally {
      admission.close();
    }
  });

  it('sizes the room by the pace sessions were admitted at over the last second, and sends the rest past its wait', async () => {
    let open = 0;
    const admission = new Admission(
      { maxSessions: 1000, minSessions: 2, maxWaitMs: 2000, windowMs: 20 },
      () => open,
    );
    try {
      // 50 admitted within a second, each settled and its session ended at once.
      for (let i = 0; i < 50; i++) {
        const verdict = admission.admit();
        if (verdict.ok) verdict.settle();
      }
      await sleep(130); // the second is over (five windows)
      open = 1000; // now full: the next ones wait, as many as 2 s at 50 a second
      const waiting = Array.from({ length: 100 }, () => admission.enter(() => true));
      assert.ok(waiting.every((v) => v instanceof Promise));
      const over = admission.enter(() => true);
      assert.ok(!(over instanceof Promise) && !over.ok && over.reason === 'room-full');
      // Back no sooner than the 100 waiting get in at 50 a second: 2 s, and the spread's second at least.
      assert.ok(over.retryAfterSeconds >= 3, `Retry-After ${over.retryAfterSeconds}`);
      admission.close();
      for (const verdict of await Promise.all(waiting)) assert.equal(verdict.ok, false);
    } finally {
      admission.close();
    }
  });

  it('refuses outright, as before, with no waiting (maxWaitMs 0)', () => {
    const admission = new Admission({ maxSessions: 1, minSessions: 1, maxWaitMs: 0 }, () => 1);
    try {
      const verdict = admission.enter(() => true);
      assert.ok(!(verdict instanceof Promise) && !verdict.ok);
      if (!verdict.ok) assert.equal(verdict.reason, 'session-limit');
    } finally {
      admission.close();
    }
  });
});
