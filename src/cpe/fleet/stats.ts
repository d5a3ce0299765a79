/**
 * A fleet's statistics: sessions completed and failed, faults, errors by kind, and session latency kept in a
 * log-scale histogram (1 % buckets from 0.1 ms to about 20 minutes: constant memory whatever the number of
 * sessions, percentiles within 1 %).
 */
import type { SessionRecord } from '../device/simulated-device.ts';

const MIN_MS = 0.1;
const GROWTH = 1.01;
const BUCKETS = Math.ceil(Math.log(1_200_000 / MIN_MS) / Math.log(GROWTH)) + 2;

export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  max = 0;

  record(ms: number): void {
    const v = Math.max(ms, 0);
    const i =
      v <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(v / MIN_MS) / Math.log(GROWTH)));
    this.counts[i]!++;
    this.count++;
    if (v > this.max) this.max = v;
  }

  /** The q-quantile (0-1) in ms: the upper bound of its bucket, never above the largest value seen. 0 when empty. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(MIN_MS * GROWTH ** i, this.max);
    }
    return this.max;
  }
}

export interface FleetSnapshot {
  devices: number;
  started: number;
  sessionsCompleted: number;
  sessionsFailed: number;
  /** SOAP faults: ACS requests the devices answered with a fault, and Informs the ACS answered with one. */
  faults: number;
  errors: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  rssBytes: number;
}

export class FleetStats {
  sessionsCompleted = 0;
  sessionsFailed = 0;
  faults = 0;
  readonly errors = new Map<string, number>();
  readonly latency = new LatencyHistogram();

  record(r: SessionRecord): void {
    if (r.ok) {
      this.sessionsCompleted++;
      this.latency.record(r.durationMs);
    } else {
      this.sessionsFailed++;
    }
    this.faults += r.faultsSent + (r.error?.kind === 'fault' ? 1 : 0);
    if (r.error !== undefined)
      this.errors.set(r.error.kind, (this.errors.get(r.error.kind) ?? 0) + 1);
  }

  snapshot(devices: number, started: number): FleetSnapshot {
    return {
      devices,
      started,
      sessionsCompleted: this.sessionsCompleted,
      sessionsFailed: this.sessionsFailed,
      faults: this.faults,
      errors: Object.fromEntries(this.errors),
      p50Ms: round(this.latency.quantile(0.5)),
      p99Ms: round(this.latency.quantile(0.99)),
      rssBytes: process.memoryUsage.rss(),
    };
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
