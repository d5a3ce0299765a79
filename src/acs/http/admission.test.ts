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
