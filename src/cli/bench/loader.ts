/**
 * The load generator of `corral bench`, in a process of its own (pinned to a core apart from the ACS's): it plays
 * CPE sessions (src/cli/bench/cwmp-session.ts: pre-built Informs, minimal answers, nothing else decoded) as the
 * harness asks over IPC — each device once, a closed loop for a while, an open loop at a fixed arrival rate, or a
 * storm — and it is the devices' connection-request listener: a GET on /cr/SERIAL is answered 200 and the device
 * calls in.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  deviceAddress,
  type InformShape,
  informTemplate,
  PERIODIC_EXTRA_PARAMETERS,
  runSession,
  type SessionOutcome,
} from './cwmp-session.ts';
import { runStorm, type StormOptions, type StormReport, spread } from './storm-client.ts';

/** A device as the load plays it: its ProductClass and serial number (the OUI is the job's). */
export type BenchDevice = readonly [productClass: string, serial: string];

export interface SessionsJob {
  kind: 'sessions';
  url: string;
  oui: string;
  devices: readonly BenchDevice[];
  events: readonly string[];
  /** Sessions in flight at once (a closed loop), or the most in flight (an open loop). */
  concurrency: number;
  /** Closed or open loop for this long, cycling through the devices; without it, each device once. */
  durationMs?: number;
  /** An open loop: sessions begun at this rate whatever the answers' times. */
  ratePerSec?: number;
  /** Bring back the ACS's answers of one session, for the floor to replay. */
  sample?: boolean;
}

export interface StormJob {
  kind: 'storm';
  options: Omit<StormOptions, 'progress'>;
}

/** Where a connection request sends the device. */
export interface ConnectionRequestTargetJob {
  kind: 'cr-target';
  url: string;
  oui: string;
  productClass: string;
}

export type LoadJob = SessionsJob | StormJob | ConnectionRequestTargetJob | { kind: 'cr-stats' };

export interface SessionsResult {
  completed: number;
  failed: number;
  /** Failures by kind (`503 reason`, `timeout inform`, `dropped empty-post ECONNRESET`, `unexpected …`). */
  failures: Record<string, number>;
  wallMs: number;
  sessionsPerSec: number;
  /** A completed session as its device saw it, ms (an open loop counts from the session's scheduled start). */
  sessionMs: { p50: number; p99: number; max: number };
  /** The RPCs the ACS sent, by method. */
  rpcs: Record<string, number>;
  /** The ACS's answer bodies in one session (the InformResponse first), with `sample`. */
  sample?: string[];
}

export interface ConnectionRequestStats {
  requests: number;
  sessionsCompleted: number;
  sessionsFailed: number;
  /** Session attempts that failed (each retried, up to three times, as a CPE would), by kind. */
  failures: Record<string, number>;
}

export type LoadResult = SessionsResult | StormReport | ConnectionRequestStats | { ok: true };

/** What the load says to the harness between the answers to its jobs. */
export type LoadMessage =
  | { type: 'ready'; connectionRequestBase: string }
  | { type: 'progress'; id: number; done: number }
  | { type: 'result'; id: number; result: LoadResult }
  | { type: 'error'; id: number; message: string };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

function failureKey(outcome: Exclude<SessionOutcome, { kind: 'done' }>): string {
  switch (outcome.kind) {
    case '503':
      return `503 ${outcome.reason}`;
    case 'timeout':
      return `timeout ${outcome.step}`;
    case 'dropped':
      return `dropped ${outcome.step} ${outcome.code}`;
    case 'unexpected':
      return `unexpected ${outcome.what}`;
  }
}

export class Load {
  readonly #templates = new Map<string, (serial: string, retry: number) => Buffer>();
  connectionRequestBase = 'http://127.0.0.1:9/cr/';
  #crTarget: ConnectionRequestTargetJob | undefined;
  readonly #crStats: ConnectionRequestStats = {
    requests: 0,
    sessionsCompleted: 0,
    sessionsFailed: 0,
    failures: {},
  };

  /** The Inform of `productClass` with `events`, built once. */
  inform(oui: string, productClass: string, events: readonly string[]) {
    const key = `${oui}\n${productClass}\n${events.join(',')}`;
    let template = this.#templates.get(key);
    if (template === undefined) {
      const shape: InformShape = {
        events,
        connectionRequestBase: this.connectionRequestBase,
        extraParameters: PERIODIC_EXTRA_PARAMETERS,
      };
      template = informTemplate(oui, productClass, shape);
      this.#templates.set(key, template);
    }
    return template;
  }

  /** The connection-request listener on loopback; its base URL goes into every Inform built after. */
  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      const serial = /^\/cr\/([^/?]+)/.exec(req.url ?? '')?.[1];
      req.resume();
      if (req.method !== 'GET' || serial === undefined || this.#crTarget === undefined) {
        res.writeHead(404);
        res.end();
        return;
      }
      this.#crStats.requests++;
      res.writeHead(200, { 'Content-Length': '0' });
      res.end();
      const t = this.#crTarget;
      const inform = this.inform(t.oui, t.productClass, ['6 CONNECTION REQUEST'])(serial, 0);
      void (async () => {
        for (let attempt = 1; ; attempt++) {
          const outcome = await runSession(new URL(t.url), inform, 30_000);
          if (outcome.kind === 'done') {
            this.#crStats.sessionsCompleted++;
            return;
          }
          bump(this.#crStats.failures, failureKey(outcome));
          if (attempt > 3) {
            this.#crStats.sessionsFailed++;
            return;
          }
          // Retry-After when the ACS said so (capped), else a short back-off.
          const retry = outcome.kind === '503' ? (outcome.retryAfter ?? 1) : 1;
          await sleep(Math.min(5, retry) * 1000);
        }
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.unref();
    this.connectionRequestBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cr/`;
    return this.connectionRequestBase;
  }

  async run(job: LoadJob, progress: (done: number) => void): Promise<LoadResult> {
    switch (job.kind) {
      case 'sessions':
        return this.sessions(job, progress);
      case 'storm':
        return runStorm({
          ...job.options,
          inform: { ...job.options.inform, connectionRequestBase: this.connectionRequestBase },
          ownAddresses: true,
          progress: (p) => progress(p.completed),
          progressEveryMs: 250,
        });
      case 'cr-target':
        this.#crTarget = job;
        return { ok: true };
      case 'cr-stats':
        return { ...this.#crStats, failures: { ...this.#crStats.failures } };
    }
  }

  async sessions(job: SessionsJob, progress: (done: number) => void): Promise<SessionsResult> {
    const url = new URL(job.url);
    const n = job.devices.length;
    const templates = new Map<string, (serial: string, retry: number) => Buffer>();
    const informOf = (device: BenchDevice) => {
      let t = templates.get(device[0]);
      if (t === undefined) {
        t = this.inform(job.oui, device[0], job.events);
        templates.set(device[0], t);
      }
      return t(device[1], 0);
    };
    let completed = 0;
    let failed = 0;
    const failures: Record<string, number> = {};
    const rpcs: Record<string, number> = {};
    const times: number[] = [];
    let sample: string[] | undefined;
    const began = performance.now();
    const ticker = setInterval(() => progress(completed), 250);

    /** One session of device `index`, from its own address; true when it completed. */
    const play = async (index: number, scheduledAt: number): Promise<boolean> => {
      const device = job.devices[index % n]!;
      const bodies = job.sample === true && sample === undefined ? [] : undefined;
      const outcome = await runSession(url, informOf(device), 30_000, {
        localAddress: deviceAddress(index % n),
        ...(bodies ? { bodies } : {}),
      });
      if (outcome.kind === 'done') {
        completed++;
        times.push(performance.now() - scheduledAt);
        for (const m of outcome.rpcs) bump(rpcs, m);
        if (bodies !== undefined && sample === undefined) sample = bodies;
        return true;
      }
      failed++;
      bump(failures, failureKey(outcome));
      // The loop's next session waits a moment (a refused device itself comes back later: each-once retries it).
      await sleep(100);
      return false;
    };

    try {
      if (job.ratePerSec !== undefined) {
        // Open loop: session k is due at k / rate; the ones due are begun whatever the earlier ones' fate.
        const durationMs = job.durationMs ?? 10_000;
        const total = Math.floor((durationMs / 1000) * job.ratePerSec);
        const pending = new Set<Promise<boolean>>();
        let started = 0;
        while (started < total) {
          const now = performance.now() - began;
          const due = Math.min(total, Math.floor((now / 1000) * job.ratePerSec) + 1);
          while (started < due && pending.size < job.concurrency) {
            const scheduledAt = began + (started / job.ratePerSec) * 1000;
            const p = play(started, scheduledAt);
            pending.add(p);
            void p.then(() => pending.delete(p));
            started++;
          }
          await sleep(1);
        }
        await Promise.all(pending);
      } else if (job.durationMs !== undefined) {
        // Closed loop for a while: each worker begins its next session when its last one ends.
        const until = began + job.durationMs;
        let next = 0;
        const worker = async () => {
          while (performance.now() < until) {
            await play(next++, performance.now());
          }
        };
        await Promise.all(Array.from({ length: job.concurrency }, worker));
      } else {
        // Each device once (failed ones again, up to four more tries each).
        const queue = job.devices.map((_, index) => ({ index, tries: 0 }));
        let head = 0;
        const worker = async () => {
          while (head < queue.length) {
            const item = queue[head++]!;
            if (!(await play(item.index, performance.now())) && ++item.tries < 5) queue.push(item);
          }
        };
        await Promise.all(Array.from({ length: Math.min(job.concurrency, n) }, worker));
      }
    } finally {
      clearInterval(ticker);
    }
    const wallMs = performance.now() - began;
    return {
      completed,
      failed,
      failures,
      wallMs: Math.round(wallMs),
      sessionsPerSec: Math.round((completed * 10_000) / wallMs) / 10,
      sessionMs: spread(times),
      rpcs,
      ...(sample === undefined ? {} : { sample }),
    };
  }
}

/** The load's process: listens, says it is ready, then runs the harness's jobs one at a time. */
export async function loaderChild(): Promise<void> {
  const send = (m: LoadMessage) => process.send?.(m);
  const load = new Load();
  const base = await load.listen();
  process.on('message', (m: { id: number; job: LoadJob }) => {
    load
      .run(m.job, (done) => send({ type: 'progress', id: m.id, done }))
      .then(
        (result) => send({ type: 'result', id: m.id, result }),
        (error: Error) => send({ type: 'error', id: m.id, message: error.message }),
      );
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', connectionRequestBase: base });
}
