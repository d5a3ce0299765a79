/**
 * Time for simulated devices: what time it is, and "call me back in N ms". Every device timer (periodic informs,
 * ScheduleInform, DelaySeconds, retry back-off, reboot) goes through a Scheduler, so the fleet runs on real time and
 * tests on a SimulatedClock they advance by hand. Network I/O (sockets, HTTP timeouts) always runs on real time.
 *
 * Both implementations keep their timers in one TimerQueue (a binary heap): a hundred thousand devices cost one heap
 * entry per pending timer and, on real time, a single Node timer for the earliest.
 */
import { TimerQueue } from './timer-queue.ts';

export interface Timer {
  /** Idempotent; a cancelled timer never fires. */
  cancel(): void;
}

export interface Scheduler {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Calls `callback` once, `delayMs` from now (at once, asynchronously, for 0 or less). */
  setTimer(delayMs: number, callback: () => void): Timer;
}

export interface RealSchedulerOptions {
  /** Keep the process alive while timers are pending. Default false: the fleet's servers and loop do that. */
  ref?: boolean;
  /** Errors thrown by callbacks; default: printed to stderr. A callback's error never stops the queue. */
  onError?: (error: unknown) => void;
}

/** Real time: one Node timer armed for the earliest entry of the queue. */
export class RealScheduler implements Scheduler {
  private readonly queue = new TimerQueue();
  private armed: NodeJS.Timeout | undefined;
  private armedFor = Number.POSITIVE_INFINITY;
  private readonly ref: boolean;
  private readonly onError: (error: unknown) => void;

  constructor(options: RealSchedulerOptions = {}) {
    this.ref = options.ref === true;
    this.onError =
      options.onError ??
      ((error) => process.stderr.write(`timer callback failed: ${(error as Error).stack}\n`));
  }

  now(): number {
    return Date.now();
  }

  setTimer(delayMs: number, callback: () => void): Timer {
    const timer = this.queue.add(Date.now() + Math.max(0, delayMs), callback);
    this.arm();
    return timer;
  }

  /** Timers waiting (cancelled ones excluded). */
  get pending(): number {
    return this.queue.size;
  }

  /** Cancels every pending timer. */
  clear(): void {
    this.queue.clear();
    if (this.armed !== undefined) clearTimeout(this.armed);
    this.armed = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
  }

  private arm(): void {
    const due = this.queue.nextDue();
    if (due === undefined || due >= this.armedFor) return;
    if (this.armed !== undefined) clearTimeout(this.armed);
    this.armedFor = due;
    // setTimeout's delay is a signed 32-bit number of ms: longer waits re-arm on the way.
    const delay = Math.min(Math.max(0, due - Date.now()), 0x7fff_ffff);
    this.armed = setTimeout(() => this.fire(), delay);
    if (!this.ref) this.armed.unref();
  }

  private fire(): void {
    this.armed = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    this.queue.runDue(Date.now(), this.onError);
    this.arm();
  }
}
