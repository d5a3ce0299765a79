/**
 * A boot storm: N CPEs (one OUI and ProductClass, distinct serial numbers) come back after a power cut and each
 * opens one CWMP session — Inform `0 BOOTSTRAP` + `1 BOOT`, then the empty POST, answering whatever the ACS sends
 * until its 204 — at most C sessions in flight at once. Light on purpose, so that one process can play a storm
 * against an ACS in another: the Inform is encoded once and the serial number (and RetryCount) substituted, each
 * RPC the ACS sends is answered with a minimal valid response, nothing else is decoded.
 *
 * The devices behave as CPEs do: a session's requests share one keep-alive connection and the session cookie; a
 * new session opens a new connection. A 503 ends the attempt: the device waits Retry-After seconds (or backs off
 * when there is none) and starts again from the Inform. A request that gets no answer within the client timeout
 * counts as a timeout, a connection reset or closed under it as dropped; both end the attempt and the device
 * retries with the TR-069 back-off (cwmp-spec §3.2.1.1, m·2^(n-1) to m·2^n seconds, m scaled down for a test).
 */
import { performance } from 'node:perf_hooks';
import { deviceAddress, type InformShape, informTemplate, runSession } from './cwmp-session.ts';

export interface StormOptions {
  /** The ACS's CWMP URL, e.g. http://127.0.0.1:7547/ (http only). */
  acsUrl: string;
  devices: number;
  /** Sessions in flight at once; a device waiting out a Retry-After or a back-off holds no slot. */
  concurrency: number;
  /** A request unanswered after this long is a timeout (a CPE's is typically 30 s). */
  requestTimeoutMs?: number;
  /** m of the retry back-off after a timeout, a dropped connection or an unexpected answer, in ms. */
  backoffMs?: number;
  /** The storm gives up after this long; devices not done by then are reported as unfinished. */
  deadlineMs?: number;
  oui?: string;
  productClass?: string;
  /** The Inform's events, connection-request URL and extra parameters (default: 0 BOOTSTRAP + 1 BOOT). */
  inform?: InformShape;
  /** Each device's first Inform at a random moment within this window (default 0: all at once). */
  arrivalWindowMs?: number;
  /** Each device from a loopback address of its own (deviceAddress) instead of one address for all. */
  ownAddresses?: boolean;
  /** Serial numbers are the prefix and the device's number, zero-padded: STORM00000001. */
  serialPrefix?: string;
  /** Called about every `progressEveryMs` with the figures so far. */
  progress?: (snapshot: StormProgress) => void;
  progressEveryMs?: number;
}

export interface StormProgress {
  elapsedMs: number;
  completed: number;
  inFlight: number;
  waiting: number;
  timeouts: number;
  dropped: number;
  status503: number;
}

/** What the storm saw, as the CPEs saw it. */
export interface StormReport {
  acsUrl: string;
  devices: number;
  concurrency: number;
  requestTimeoutMs: number;
  /** Devices whose session ended with the ACS's 204. */
  sessionsCompleted: number;
  /** Devices still without a completed session at the deadline. */
  unfinished: number;
  /** Session attempts begun (an Inform POSTed), first tries and retries. */
  attempts: number;
  /** HTTP requests sent. */
  requests: number;
  /** Requests unanswered after requestTimeoutMs. */
  timeouts: number;
  /** The timeouts by the session's step: `inform`, `empty-post` (the POST after the InformResponse), `rpc-response`. */
  timeoutsBy: Record<string, number>;
  /** Requests whose connection was reset, refused or closed before a complete answer. */
  dropped: number;
  /** The errors behind `dropped`, by step and code (`inform ECONNRESET`, `empty-post ECONNRESET`, …). */
  droppedBy: Record<string, number>;
  status503: number;
  /** The 503s by the first line of their body (the ACS's reason). */
  status503By: Record<string, number>;
  /** Answers that were neither the session's next step nor a 503 (401, 400, 408, 500, …), by step and status. */
  unexpected: Record<string, number>;
  retryAfter: RetryAfterFigures;
  wallMs: number;
  /** Completed sessions per second of wall time. */
  sessionsPerSec: number;
  /** A completed session as its device saw it: from its Inform's POST to the ACS's 204 (not the waits before). */
  sessionMs: { p50: number; p99: number; max: number };
  /** Requests' answer times (any answer, 503s included), ms. */
  requestMs: { p50: number; p99: number; max: number };
}

export interface RetryAfterFigures {
  /** 503s that carried a usable Retry-After (delta-seconds). */
  count: number;
  min: number | null;
  median: number | null;
  max: number | null;
  /** How many different values: 1 means every refused device comes back in step. */
  distinct: number;
  /** Value (seconds) → how many 503s carried it. */
  histogram: Record<string, number>;
}

/** A FIFO of session slots. */
class Slots {
  #free: number;
  readonly #waiters: Array<() => void> = [];
  #head = 0;
  constructor(size: number) {
    this.#free = size;
  }
  acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
  release(): void {
    if (this.#head < this.#waiters.length) {
      const next = this.#waiters[this.#head]!;
      this.#waiters[this.#head++] = () => {};
      if (this.#head > 4096 && this.#head * 2 > this.#waiters.length) {
        this.#waiters.splice(0, this.#head);
        this.#head = 0;
      }
      next();
    } else this.#free++;
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** p50, p99 and max of `values` (sorted in place), in ms to a tenth. */
export function spread(values: number[]): { p50: number; p99: number; max: number } {
  values.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    p50: round(percentile(values, 0.5)),
    p99: round(percentile(values, 0.99)),
    max: round(values.at(-1) ?? 0),
  };
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs the storm to its end (every device done) or its deadline, and reports. */
export async function runStorm(options: StormOptions): Promise<StormReport> {
  const url = new URL(options.acsUrl);
  if (url.protocol !== 'http:') throw new RangeError('the storm speaks plain http only');
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const backoffMs = options.backoffMs ?? 1000;
  const deadlineMs = options.deadlineMs ?? 15 * 60_000;
  const prefix = options.serialPrefix ?? 'STORM';
  const inform = informTemplate(
    options.oui ?? '00D09E',
    options.productClass ?? 'StormGW',
    options.inform,
  );
  const arrivalWindowMs = options.arrivalWindowMs ?? 0;
  const slots = new Slots(options.concurrency);

  let completed = 0;
  let inFlight = 0;
  let attempts = 0;
  let requests = 0;
  let timeouts = 0;
  let dropped = 0;
  let status503 = 0;
  const droppedBy: Record<string, number> = {};
  const timeoutsBy: Record<string, number> = {};
  const status503By: Record<string, number> = {};
  const unexpected: Record<string, number> = {};
  const retryAfter = new Map<number, number>();
  const sessionMs: number[] = [];
  const requestMs: number[] = [];
  let stopped = false;

  /** How one attempt ended: done, or wait this long before the next. */
  type Outcome = { done: true } | { done: false; waitMs: number; failure: boolean };

  const attempt = async (serial: string, retryCount: number, index: number): Promise<Outcome> => {
    attempts++;
    const outcome = await runSession(url, inform(serial, retryCount), requestTimeoutMs, {
      ...(options.ownAddresses === true ? { localAddress: deviceAddress(index) } : {}),
      onAnswer: (ms) => {
        requests++;
        requestMs.push(ms);
      },
    });
    switch (outcome.kind) {
      case 'done':
        completed++;
        sessionMs.push(outcome.ms);
        return { done: true };
      case 'timeout':
        requests++;
        timeouts++;
        bump(timeoutsBy, outcome.step);
        return { done: false, waitMs: 0, failure: true };
      case 'dropped':
        requests++;
        dropped++;
        bump(droppedBy, `${outcome.step} ${outcome.code}`);
        return { done: false, waitMs: 0, failure: true };
      case '503': {
        status503++;
        bump(status503By, outcome.reason);
        const seconds = outcome.retryAfter;
        if (seconds === undefined) return { done: false, waitMs: 0, failure: true };
        retryAfter.set(seconds, (retryAfter.get(seconds) ?? 0) + 1);
        return { done: false, waitMs: seconds * 1000, failure: false };
      }
      case 'unexpected':
        bump(unexpected, outcome.what);
        return { done: false, waitMs: 0, failure: true };
    }
  };

  const device = async (index: number): Promise<void> => {
    const serial = `${prefix}${String(index + 1).padStart(8, '0')}`;
    let retryCount = 0;
    let failures = 0;
    if (arrivalWindowMs > 0) await sleep(Math.random() * arrivalWindowMs);
    while (!stopped) {
      await slots.acquire();
      if (stopped) return;
      inFlight++;
      let outcome: Outcome;
      try {
        outcome = await attempt(serial, retryCount, index);
      } finally {
        inFlight--;
        slots.release();
      }
      if (outcome.done) return;
      retryCount++;
      let waitMs = outcome.waitMs;
      if (outcome.failure) {
        // TR-069's back-off: between m·2^(n-1) and m·2^n, n capped at 6.
        failures++;
        const low = backoffMs * 2 ** (Math.min(failures, 6) - 1);
        waitMs = low + Math.random() * low;
      }
      await sleep(waitMs);
    }
  };

  const began = performance.now();
  const progressTimer =
    options.progress === undefined
      ? undefined
      : setInterval(() => {
          options.progress?.({
            elapsedMs: performance.now() - began,
            completed,
            inFlight,
            waiting: options.devices - completed - inFlight,
            timeouts,
            dropped,
            status503,
          });
        }, options.progressEveryMs ?? 5000);
  let deadlineTimer: NodeJS.Timeout | undefined;
  const all = Promise.all(Array.from({ length: options.devices }, (_, i) => device(i)));
  await Promise.race([
    all,
    new Promise<void>((resolve) => {
      deadlineTimer = setTimeout(resolve, deadlineMs);
    }),
  ]);
  stopped = true;
  clearTimeout(deadlineTimer);
  clearInterval(progressTimer);
  const wallMs = performance.now() - began;

  const values = [...retryAfter.entries()].sort((a, b) => a[0] - b[0]);
  const count = values.reduce((n, [, c]) => n + c, 0);
  const valueAt = (rank: number): number | null => {
    let seen = 0;
    for (const [value, c] of values) {
      seen += c;
      if (seen >= rank) return value;
    }
    return null;
  };
  return {
    acsUrl: options.acsUrl,
    devices: options.devices,
    concurrency: options.concurrency,
    requestTimeoutMs,
    sessionsCompleted: completed,
    unfinished: options.devices - completed,
    attempts,
    requests,
    timeouts,
    timeoutsBy,
    dropped,
    droppedBy,
    status503,
    status503By,
    unexpected,
    retryAfter: {
      count,
      min: values[0]?.[0] ?? null,
      median: count === 0 ? null : valueAt(Math.ceil(count / 2)),
      max: values.at(-1)?.[0] ?? null,
      distinct: values.length,
      histogram: Object.fromEntries(values.map(([v, c]) => [String(v), c])),
    },
    wallMs: Math.round(wallMs),
    sessionsPerSec: Math.round((completed * 1000 * 10) / wallMs) / 10,
    sessionMs: spread(sessionMs),
    requestMs: spread(requestMs),
  };
}
