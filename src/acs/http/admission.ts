import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { WaitingRoom } from './waiting-room.ts';

/**
 * Admission by measured capacity (issue #11 item 10: a 20,000-device boot storm got no 503, yet a quarter of its
 * sessions timed out and the API took 22 s to answer). The ACS runs on one event loop: when it is late, every
 * request waits, the API's too. So a new session is admitted only while the loop keeps time (or fewer than the
 * minimum are open) and the sessions already open stay under a limit that grows while the loop is on time and
 * shrinks when it is late. Sessions already open always go on: finishing them is what frees capacity. A new
 * session that finds no room waits for a turn, its request unread, in a waiting room that holds what the ACS has
 * been opening in `maxWaitMs` (a storm's retries cost a CPE and the ACS a connection each; a wait costs a socket).
 * Beyond, or after waiting that long, a refusal is a cheap 503 before the body is read, with a Retry-After drawn
 * at random over a horizon that widens while most of those who come back are refused again and narrows when few
 * are, so that the retries of a fleet do not come back in step.
 */
export interface AdmissionSettings {
  /** Event-loop delay (the worst of a window, ms) above which the ACS counts as late; default 50. */
  targetLoopDelayMs: number;
  /**
   * How long a request may wait for its turn (the worst of a window, ms) before the ACS counts as late; default
   * 500. The loop can keep time while requests queue for their turns: a limit grown on a punctual loop alone let
   * a 100,000-device storm in at 10,000 sessions at once, more than one core finishes within a CPE's timeout.
   */
  targetQueueDelayMs: number;
  /** Sessions open at once, at most, whatever the loop says (`--max-sessions`). */
  maxSessions: number;
  /** The limit on open sessions to start from and never to go below, kept even while late; default 32. */
  minSessions: number;
  /** How often the loop is measured and the limit adjusted; default 200 ms. */
  windowMs: number;
  /** The longest Retry-After; default 120 s. */
  maxRetryAfterSeconds: number;
  /**
   * How long a new session may wait for a turn, and so how many may wait: those the ACS opened in this long, in
   * the last second's pace (at least `minSessions`); default 10 s, well within a CPE's HTTP timeout. 0: none.
   */
  maxWaitMs: number;
}

export const DEFAULT_ADMISSION: Omit<AdmissionSettings, 'maxSessions'> = Object.freeze({
  targetLoopDelayMs: 50,
  targetQueueDelayMs: 500,
  minSessions: 32,
  windowMs: 200,
  maxRetryAfterSeconds: 120,
  maxWaitMs: 10_000,
});

export type AdmissionVerdict =
  | {
      ok: true;
      /** The admitted request is over: its session is open (and counted as such) or it never began. */
      settle: () => void;
    }
  | { ok: false; reason: AdmissionRefusal; retryAfterSeconds: number };

export type AdmissionRefusal =
  | 'loop-late'
  | 'queue-late'
  | 'session-limit'
  /** The waiting room holds all it may. */
  | 'room-full'
  /** Waited `maxWaitMs` for a turn. */
  | 'waited-too-long'
  /** The connection went while it waited. */
  | 'gone';

/** What admission reports of itself (for logs, metrics and tests). */
export interface AdmissionState {
  loopDelayMs: number;
  queueDelayMs: number;
  sessionLimit: number;
  horizonSeconds: number;
  refused: number;
  /** New sessions waiting for a turn. */
  waiting: number;
}

/** What a waiter whose connection went is given: nobody reads it, and it counts as no refusal. */
const GONE: AdmissionVerdict = Object.freeze({ ok: false, reason: 'gone', retryAfterSeconds: 1 });

/** Windows after a decrease of the limit in which lateness does not decrease it again. */
const DECREASE_HOLD_WINDOWS = 3;

export class Admission {
  readonly settings: AdmissionSettings;
  readonly #histogram: IntervalHistogram;
  readonly #timer: NodeJS.Timeout;
  readonly #random: () => number;
  #loopDelayMs = 0;
  #queueDelayMs = 0;
  #limit: number;
  /** Over how many seconds the devices turned away should come back. */
  #horizon = 2;
  #windows = 0;
  #refusedInSecond = 0;
  #admittedInSecond = 0;
  /** Sessions admitted over the last whole second: the pace the waiting room is sized by. */
  #admittedLastSecond = 0;
  readonly #room = new WaitingRoom<AdmissionVerdict>();
  #refused = 0;
  /**
   * Admitted, not yet settled: their sessions are not open yet (the Inform is being read and stored). Counted as
   * open, or a burst of thousands of connections is let in before the first of their sessions opens.
   */
  #admitted = 0;
  #sinceDecrease = 0;

  constructor(
    settings: Partial<AdmissionSettings> & Pick<AdmissionSettings, 'maxSessions'>,
    /** Sessions open now. */
    private readonly openSessions: () => number,
    random: () => number = Math.random,
    /** The worst wait of a request for its turn since the last call (LoopTurns); none: 0. */
    private readonly queueDelay: () => number = () => 0,
  ) {
    this.settings = { ...DEFAULT_ADMISSION, ...settings };
    this.#limit = Math.min(this.settings.minSessions, this.settings.maxSessions);
    this.#random = random;
    this.#histogram = monitorEventLoopDelay({ resolution: 10 });
    this.#histogram.enable();
    this.#timer = setInterval(() => this.#adjust(), this.settings.windowMs);
    this.#timer.unref();
  }

  /** May a new session start now? (Without waiting: `enter` waits.) */
  admit(): AdmissionVerdict {
    const reason = this.#refusal();
    return reason === undefined ? this.#pass() : this.#refuse(reason);
  }

  /**
   * A new session starts now, or waits in the waiting room for its turn (behind those already there), or is
   * refused. `alive`: whether its connection is still there (a waiter whose CPE gave up is skipped).
   */
  enter(alive: () => boolean): AdmissionVerdict | Promise<AdmissionVerdict> {
    if (this.#room.size === 0) {
      const reason = this.#refusal();
      if (reason === undefined) return this.#pass();
      if (this.settings.maxWaitMs <= 0) return this.#refuse(reason);
    }
    if (this.#room.size >= this.#roomCapacity()) return this.#refuse('room-full');
    const turn = this.#room.join(alive);
    this.pump();
    return turn;
  }

  /** Capacity may have freed (a session ended, a request finished): the waiting get their turns. */
  pump(): void {
    while (this.#room.size > 0 && this.#refusal() === undefined) {
      if (!this.#room.serveNext(() => this.#pass(), GONE)) return;
    }
  }

  /** Why a new session may not start now, if it may not. */
  #refusal(): AdmissionRefusal | undefined {
    const open = this.#open();
    // Late or not, the minimum of sessions is kept going: lateness is measured over the last window, and with so
    // few open what made it has drained. Refused outright, those few left the ACS idle until the next window (a
    // storm's first 45 s: idle a quarter to three quarters of the time, while most devices were refused).
    const aboveMinimum = open >= this.settings.minSessions;
    if (aboveMinimum && this.#loopDelayMs > this.settings.targetLoopDelayMs) return 'loop-late';
    if (aboveMinimum && this.#queueDelayMs > this.settings.targetQueueDelayMs) return 'queue-late';
    if (open >= this.#limit) return 'session-limit';
    return undefined;
  }

  #pass(): AdmissionVerdict {
    this.#admittedInSecond++;
    this.#admitted++;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      this.#admitted--;
    };
    return { ok: true, settle };
  }

  #refuse(reason: AdmissionRefusal): AdmissionVerdict {
    this.#refusedInSecond++;
    this.#refused++;
    // Uniform over the horizon: the refused come back at about the rate sessions are admitted. Those the full
    // room turned away no sooner than its wait: what waits in it is that long in work, and coming back before it
    // is served only earns another 503.
    const spread = 1 + Math.floor(this.#random() * this.#horizon);
    const wait =
      reason === 'room-full' || reason === 'waited-too-long' ? this.#roomWaitSeconds() : 0;
    return {
      ok: false,
      reason,
      retryAfterSeconds: Math.min(this.settings.maxRetryAfterSeconds, wait + spread),
    };
  }

  /** How long, at the last second's pace, what waits in the room takes to get in (at most `maxWaitMs`). */
  #roomWaitSeconds(): number {
    const pace = Math.max(1, this.#admittedLastSecond);
    return Math.ceil(Math.min(this.settings.maxWaitMs / 1000, this.#room.size / pace));
  }

  /** As many as the ACS opened sessions for in `maxWaitMs` at the last second's pace, and the minimum. */
  #roomCapacity(): number {
    const { maxWaitMs, minSessions } = this.settings;
    if (maxWaitMs <= 0) return 0;
    return Math.max(minSessions, Math.floor((this.#admittedLastSecond * maxWaitMs) / 1000));
  }

  get state(): AdmissionState {
    return {
      loopDelayMs: this.#loopDelayMs,
      queueDelayMs: this.#queueDelayMs,
      sessionLimit: this.#limit,
      horizonSeconds: this.#horizon,
      refused: this.#refused,
      waiting: this.#room.size,
    };
  }

  close(): void {
    clearInterval(this.#timer);
    this.#histogram.disable();
    this.#room.clear(() => this.#refuse('session-limit'));
  }

  /** Sessions open, and those admitted on their way to opening. */
  #open(): number {
    return this.openSessions() + this.#admitted;
  }

  /** The loop is late, or requests wait too long for their turns. */
  #late(): boolean {
    return (
      this.#loopDelayMs > this.settings.targetLoopDelayMs ||
      this.#queueDelayMs > this.settings.targetQueueDelayMs
    );
  }

  #adjust(): void {
    const { minSessions, maxSessions, maxRetryAfterSeconds } = this.settings;
    // The worst lateness of the loop over the window (in ns, less the resolution): a loop that is on time on
    // average can still hold a request for a whole long turn, and the API's requests wait behind it too.
    const worst = this.#histogram.count > 0 ? this.#histogram.percentile(99) / 1e6 : 0;
    this.#loopDelayMs = Math.max(0, worst - 10);
    this.#histogram.reset();
    this.#queueDelayMs = this.queueDelay();

    const open = this.#open();
    this.#sinceDecrease++;
    if (this.#late()) {
      // Once, then held while the queue drains: the lateness measured next is still that of the sessions let in
      // before, and cutting again for it emptied the ACS (a storm's limit fell to the minimum, its sessions to none).
      if (this.#sinceDecrease > DECREASE_HOLD_WINDOWS) {
        this.#limit = Math.max(minSessions, Math.floor(Math.min(this.#limit, open) * 0.7));
        this.#sinceDecrease = 0;
      }
    } else if (open >= this.#limit * 0.8) {
      // On time and nearly full: there is room, find it quickly (a fleet coming back after a restart).
      this.#limit = Math.min(maxSessions, Math.ceil(this.#limit * 1.5));
    }
    this.#limit = Math.min(this.#limit, maxSessions);

    this.#room.expire(this.settings.maxWaitMs, () => this.#refuse('waited-too-long'), GONE);
    this.pump();

    // Every five windows (a second by default), the horizon follows what the refused do: more of them bounce
    // than get in — they come back too soon, spread them wider; fewer — bring them back sooner.
    if (++this.#windows % 5 !== 0) return;
    const refused = this.#refusedInSecond;
    const admitted = this.#admittedInSecond;
    this.#admittedLastSecond = admitted;
    this.#refusedInSecond = 0;
    this.#admittedInSecond = 0;
    if (refused > 2 * Math.max(1, admitted))
      this.#horizon = Math.min(maxRetryAfterSeconds, this.#horizon * 1.2);
    else if (refused < admitted) this.#horizon = Math.max(2, this.#horizon * 0.8);
  }
}
