import { performance } from 'node:perf_hooks';
import { SimulatedClock } from '../src/cpe/clock/simulated-clock.ts';
import type { SessionRecord } from '../src/cpe/device/simulated-device.ts';
import { Fleet } from '../src/cpe/fleet/fleet.ts';
import { DEVICE2_GATEWAY } from '../src/datamodel/profiles/index.ts';

/** Every device's PeriodicInformInterval (the fleet's, zero-touch's and the presets'): a round is one interval. */
export const PERIODIC_INTERVAL_SECONDS = 3600;

/** What one round (every device one session) cost, from the trigger to the last session's end. */
export interface RoundFigures {
  sessions: number;
  failed: number;
  wallMs: number;
  sessionsPerSec: number;
  /** Session latency as the device sees it: its Inform's POST to the ACS's final 204 (not the wait for a slot). */
  p50Ms: number;
  p99Ms: number;
  /** process.cpuUsage (user + system) over the round, per session: devices and ACS, one process. */
  cpuMsPerSession: number;
  /** The RPCs the ACS sent, by method, over the round. */
  acsRequests: Record<string, number>;
}

export interface BenchFleetOptions {
  acsUrl: string;
  devices: number;
  /** Sessions in flight at once, fleet-wide (the fleet's gate). */
  concurrency: number;
  serialPrefix?: string;
  /** A round that has not finished by then fails (a device waiting on a retry never would). */
  roundTimeoutMs?: number;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/**
 * A fleet of simulated Device:2 gateways on a simulated clock, driven in rounds: `boot` starts them all (their
 * 0 BOOTSTRAP 1 BOOT session is the first round), `periodic` moves the clock one interval on (every device's
 * 2 PERIODIC session). Sessions run in real time, at most `concurrency` at once, as the fleet's gate allows.
 */
export class BenchFleet {
  private sink: ((record: SessionRecord) => void) | undefined;
  private fleet: Fleet | undefined;
  readonly clock = new SimulatedClock();

  private constructor(private readonly options: BenchFleetOptions) {}

  /** Starts the devices and measures their first sessions. */
  static async boot(
    options: BenchFleetOptions,
  ): Promise<{ fleet: BenchFleet; round: RoundFigures }> {
    const bench = new BenchFleet(options);
    const round = await bench.measure(async () => {
      bench.fleet = await Fleet.start({
        acsUrl: options.acsUrl,
        profile: DEVICE2_GATEWAY,
        devices: options.devices,
        serialPrefix: options.serialPrefix ?? 'BEN',
        rate: Number.POSITIVE_INFINITY,
        scheduler: bench.clock,
        periodicInterval: PERIODIC_INTERVAL_SECONDS,
        connectionRequest: false,
        maxConcurrentSessions: options.concurrency,
        onSession: (record) => bench.sink?.(record),
      });
    });
    return { fleet: bench, round };
  }

  get devices(): Fleet['devices'] {
    return this.fleet?.devices ?? [];
  }

  /** One periodic interval on: every device's next 2 PERIODIC session. */
  periodic(): Promise<RoundFigures> {
    return this.measure(() => {
      this.clock.advance(PERIODIC_INTERVAL_SECONDS * 1000);
    });
  }

  async close(): Promise<void> {
    this.sink = undefined;
    await this.fleet?.stop();
  }

  private async measure(trigger: () => void | Promise<void>): Promise<RoundFigures> {
    const expected = this.options.devices;
    const durations: number[] = [];
    const acsRequests: Record<string, number> = {};
    let failed = 0;
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve, reject) => {
      this.sink = (record) => {
        durations.push(record.durationMs);
        if (!record.ok) failed++;
        for (const method of record.acsRequests)
          acsRequests[method] = (acsRequests[method] ?? 0) + 1;
        if (durations.length === expected) resolve();
      };
      const timeoutMs = this.options.roundTimeoutMs ?? 120_000;
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `round unfinished after ${timeoutMs} ms: ${durations.length}/${expected} sessions, ${failed} failed`,
            ),
          ),
        timeoutMs,
      );
    });
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    try {
      await trigger();
      await done;
    } finally {
      clearTimeout(timer);
      this.sink = undefined;
    }
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    durations.sort((a, b) => a - b);
    return {
      sessions: durations.length,
      failed,
      wallMs,
      sessionsPerSec: (durations.length * 1000) / wallMs,
      p50Ms: percentile(durations, 0.5),
      p99Ms: percentile(durations, 0.99),
      cpuMsPerSession: (cpu.user + cpu.system) / 1000 / durations.length,
      acsRequests,
    };
  }
}
