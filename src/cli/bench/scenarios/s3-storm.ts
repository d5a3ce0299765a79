/**
 * S3 storm: D devices each send 1 BOOT at a random moment within the window, each from a loopback address of its
 * own (a power cut's devices come from their own addresses; one address for all would meet the ACS's limits per
 * address), and retry as CPEs do (Retry-After after a 503, TR-069's back-off after a timeout or a drop). The time
 * until all are served, the 503s, the ACS's peak RSS, and the proof nothing was lost: every device counted through
 * the REST API, every 1 BOOT event counted in the ACS's metrics.
 */
import { countDevices, metric } from '../api-client.ts';
import type { BenchContext } from '../context.ts';
import { watchRss } from '../proc.ts';
import type { StormReport } from '../storm-client.ts';

export const S3 = {
  productClass: 'BenchStorm',
  serialPrefix: 'S3-',
  events: ['1 BOOT'],
  /** Devices in flight at once on the load's side, at most (the ACS sheds the rest with 503). */
  maxInFlight: 15_000,
} as const;

export interface S3Result {
  devices: number;
  windowSeconds: number;
  /** From the first Inform to the last device's 204. */
  drainedSeconds: number;
  served: number;
  status503: number;
  timeouts: number;
  /** The timeouts by the session's step (`inform`, `empty-post`, `rpc-response`). */
  timeoutsBy: Record<string, number>;
  dropped: number;
  /** The dropped connections by step and error (`inform ECONNRESET`, …). */
  droppedBy: Record<string, number>;
  peakRssBytes: number;
  /**
   * Devices the API knows of that ProductClass, and 1 BOOT events the ACS counted over the run: more events than
   * devices when devices sent their Inform again after a session that timed out or dropped (RetryCount > 0).
   */
  devicesRecorded: number;
  bootEventsCounted: number;
  /** Devices or events that went missing (0 and 0 is the proof). */
  lostDevices: number;
  lostEvents: number;
  sessionP50Ms: number;
  sessionP99Ms: number;
}

export async function runS3(ctx: BenchContext): Promise<S3Result> {
  const { options, acs, api } = ctx;
  const bootEvent = 'corral_cwmp_inform_events_total';
  const bootsBefore = await metric(api, bootEvent, 'event="1 BOOT"');
  const rss = watchRss(acs.child.pid!);
  ctx.progress.phase(
    `S3: ${options.stormDevices} devices booting within ${options.stormWindowMs / 1000} s`,
    options.stormDevices,
  );
  const report = await ctx.load.run<StormReport>(
    {
      kind: 'storm',
      options: {
        acsUrl: acs.cwmpUrl,
        devices: options.stormDevices,
        concurrency: Math.min(options.stormDevices, S3.maxInFlight),
        requestTimeoutMs: 30_000,
        backoffMs: 1000,
        deadlineMs: 15 * 60_000 + options.stormWindowMs,
        arrivalWindowMs: options.stormWindowMs,
        serialPrefix: S3.serialPrefix,
        oui: '00D09E',
        productClass: S3.productClass,
        inform: { events: S3.events },
        ownAddresses: true,
      },
    },
    (done) => ctx.progress.update(done),
  );
  const memory = rss.stop();
  const devicesRecorded = await countDevices(api, S3.productClass);
  const bootEventsCounted = (await metric(api, bootEvent, 'event="1 BOOT"')) - bootsBefore;
  const result: S3Result = {
    devices: options.stormDevices,
    windowSeconds: options.stormWindowMs / 1000,
    drainedSeconds: Math.round(report.wallMs / 100) / 10,
    served: report.sessionsCompleted,
    status503: report.status503,
    timeouts: report.timeouts,
    timeoutsBy: report.timeoutsBy,
    dropped: report.dropped,
    droppedBy: report.droppedBy,
    peakRssBytes: memory.peakBytes,
    devicesRecorded,
    bootEventsCounted,
    lostDevices: Math.max(0, options.stormDevices - devicesRecorded),
    lostEvents: Math.max(0, options.stormDevices - bootEventsCounted),
    sessionP50Ms: report.sessionMs.p50,
    sessionP99Ms: report.sessionMs.p99,
  };
  ctx.progress.end(
    `${result.served}/${result.devices} served in ${result.drainedSeconds} s, ${result.status503} 503s, ` +
      `${result.timeouts} client timeouts, ${result.dropped} dropped, ${bootEventsCounted} Informs recorded, ` +
      `peak RSS ${Math.round(result.peakRssBytes / 2 ** 20)} MiB, lost ${result.lostDevices} devices and ` +
      `${result.lostEvents} events`,
  );
  return result;
}
