import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { RealScheduler } from './scheduler.ts';
import { SimulatedClock } from './simulated-clock.ts';
import { TimerQueue } from './timer-queue.ts';

describe('TimerQueue', () => {
  it('runs timers in due order, ties in insertion order, and skips cancelled ones', () => {
    const q = new TimerQueue();
    const ran: string[] = [];
    q.add(30, () => ran.push('c'));
    q.add(10, () => ran.push('a1'));
    const cancelled = q.add(20, () => ran.push('x'));
    q.add(10, () => ran.push('a2'));
    q.add(20, () => ran.push('b'));
    cancelled.cancel();
    assert.equal(q.size, 4);
    assert.equal(
      q.runDue(25, () => {}),
      3,
    );
    assert.deepEqual(ran, ['a1', 'a2', 'b']);
    assert.equal(q.nextDue(), 30);
  });

  it('stays a heap through many cancellations (rebuilds)', () => {
    const q = new TimerQueue();
    const timers = [];
    const ran: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const due = (i * 7919) % 1000;
      timers.push(q.add(due, () => ran.push(due)));
    }
    for (let i = 0; i < 1000; i += 2) timers[i]!.cancel();
    assert.equal(q.size, 500);
    q.runDue(2000, () => {});
    assert.equal(ran.length, 500);
    assert.deepEqual(
      ran,
      [...ran].sort((a, b) => a - b),
    );
  });

  it('keeps going after a callback throws', () => {
    const q = new TimerQueue();
    const errors: unknown[] = [];
    let after = false;
    q.add(1, () => {
      throw new Error('boom');
    });
    q.add(2, () => {
      after = true;
    });
    q.runDue(5, (e) => errors.push(e));
    assert.equal(errors.length, 1);
    assert.equal(after, true);
  });
});

describe('SimulatedClock', () => {
  it('fires timers only as time is advanced past them, reading their due time', () => {
    const clock = new SimulatedClock(1_000_000);
    const seen: number[] = [];
    clock.setTimer(5000, () => seen.push(clock.now()));
    clock.setTimer(1000, () => {
      seen.push(clock.now());
      clock.setTimer(1000, () => seen.push(clock.now()));
    });
    assert.equal(clock.advance(999), 0);
    assert.deepEqual(seen, []);
    assert.equal(clock.advance(4001), 3);
    assert.deepEqual(seen, [1_001_000, 1_002_000, 1_005_000]);
    assert.equal(clock.now(), 1_005_000);
  });

  it('fires zero-delay timers by itself, asynchronously', async () => {
    const clock = new SimulatedClock();
    let fired = false;
    clock.setTimer(0, () => {
      fired = true;
    });
    assert.equal(fired, false);
    await tick();
    assert.equal(fired, true);
  });

  it('advanceToNext jumps to the next timer', () => {
    const clock = new SimulatedClock(0);
    let n = 0;
    clock.setTimer(7000, () => n++);
    assert.equal(clock.advanceToNext(), 7000);
    assert.equal(n, 1);
    assert.equal(clock.advanceToNext(), undefined);
  });
});

describe('RealScheduler', () => {
  it('fires real timers in order through one Node timer', async () => {
    const s = new RealScheduler({ ref: true });
    const seen: number[] = [];
    const done = new Promise<void>((resolve) => {
      s.setTimer(30, () => {
        seen.push(30);
        resolve();
      });
    });
    s.setTimer(10, () => seen.push(10));
    s.setTimer(20, () => seen.push(20)).cancel();
    await done;
    assert.deepEqual(seen, [10, 30]);
    assert.equal(s.pending, 0);
  });
});
