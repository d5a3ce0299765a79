/**
 * A clock that moves only when told: tests advance it past a periodic interval or a retry back-off instead of
 * waiting. Timers set for "now" (delay 0 or less) fire on their own, asynchronously, as they would on real time;
 * later ones fire only as `advance` passes their time, in due order, the clock reading each timer's due time while
 * its callback runs.
 */
import type { Scheduler, Timer } from './scheduler.ts';
import { TimerQueue } from './timer-queue.ts';

export class SimulatedClock implements Scheduler {
  private current: number;
  private readonly queue = new TimerQueue();
  private immediate: NodeJS.Immediate | undefined;
  readonly errors: unknown[] = [];

  /** `start`: ms since the epoch; default 2026-01-01T00:00:00Z. */
  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(delayMs: number, callback: () => void): Timer {
    const timer = this.queue.add(this.current + Math.max(0, delayMs), callback);
    if (delayMs <= 0 && this.immediate === undefined) {
      this.immediate = setImmediate(() => {
        this.immediate = undefined;
        this.queue.runDue(this.current, (e) => this.errors.push(e));
      });
    }
    return timer;
  }

  /** Moves time forward by `ms`, firing every timer due on the way. Returns how many fired. */
  advance(ms: number): number {
    return this.advanceTo(this.current + ms);
  }

  advanceTo(time: number): number {
    let fired = 0;
    for (;;) {
      const due = this.queue.nextDue();
      if (due === undefined || due > time) break;
      this.current = Math.max(this.current, due);
      fired += this.queue.runDue(this.current, (e) => this.errors.push(e));
    }
    this.current = Math.max(this.current, time);
    return fired;
  }

  /** When the next timer is due (undefined: none pending). */
  nextDue(): number | undefined {
    return this.queue.nextDue();
  }

  /** Moves to the next timer's time and fires what is due then. Returns the time moved by (ms), or undefined. */
  advanceToNext(): number | undefined {
    const due = this.queue.nextDue();
    if (due === undefined) return undefined;
    const by = Math.max(0, due - this.current);
    this.advanceTo(due);
    return by;
  }

  get pending(): number {
    return this.queue.size;
  }
}
