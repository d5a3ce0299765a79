import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { startAcs } from '../src/acs/acs.ts';
import { instrumentStore } from '../src/acs/metrics-store.ts';
import type { ZeroTouchSettings } from '../src/acs/provisioning/zero-touch.ts';
import { testAcsOptions } from '../src/acs/testing/acs-options.ts';
import { createPrometheusMetrics } from '../src/api/metrics/prometheus.ts';
import { startFloorAcs } from '../src/cli/bench/floor-acs.ts';
import { openSqliteStore, type SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { PERIODIC_INTERVAL_SECONDS } from './acs-fleet.ts';

/** What the devices inform: the floor responder, or the real ACS over its own store. */
export interface Target {
  url: string;
  close(): Promise<void>;
}

export interface RealTarget extends Target {
  store: SqliteStore;
  /** The ACS's log, counted by event name. */
  logCounts: Map<string, number>;
}

export const BENCH_ZERO_TOUCH: ZeroTouchSettings = {
  periodicInformInterval: PERIODIC_INTERVAL_SECONDS,
  connectionRequestCredentials: true,
};

export function startFloorTarget(): Promise<Target> {
  return startFloorAcs();
}

/**
 * The real ACS (startAcs) over a SQLite store in its own directory under `parent` (synchronous 'full' unless
 * told: the store's default), every CPE admitted (as the end-to-end tests run it). Admission is sized for the fleet, and the per-address Inform limit is lifted: the
 * whole fleet comes from 127.0.0.1, which the default limit (a burst of 1000, then 100/s) would throttle.
 */
export async function startRealTarget(
  parent: string,
  options: {
    concurrency: number;
    zeroTouch?: ZeroTouchSettings;
    synchronous?: 'full' | 'normal';
    metrics?: boolean;
  },
): Promise<RealTarget> {
  const dir = mkdtempSync(join(parent, 'acs-'));
  const store = await openSqliteStore({
    path: join(dir, 'corral.db'),
    secretKey: randomBytes(32),
    synchronous: options.synchronous ?? 'full',
  });
  const logCounts = new Map<string, number>();
  // With metrics, as `corral serve` runs: the engine counts and every store call is timed.
  const metrics = options.metrics ? createPrometheusMetrics(new Registry(), { store }) : undefined;
  const acs = await startAcs(
    testAcsOptions(metrics ? instrumentStore(store, metrics) : store, {
      ...(metrics ? { metrics } : {}),
      maxSessions: Math.max(1000, 2 * options.concurrency),
      addressLimits: {
        maxConcurrentRequests: 2 * options.concurrency,
        informBurst: 1e9,
        informsPerSecond: 1e9,
      },
      ...(options.zeroTouch === undefined ? {} : { zeroTouch: options.zeroTouch }),
      log: (event) => logCounts.set(event, (logCounts.get(event) ?? 0) + 1),
    }),
  );
  return {
    url: acs.url,
    store,
    logCounts,
    async close() {
      await acs.close(1000);
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Three presets every device matches and, once applied, satisfies: the PeriodicInformInterval zero-touch set, a
 * tag, and a Wi-Fi SSID (which differs from the profile's, so reaching it takes a SetParameterValues).
 */
export const BENCH_SSID = 'corral-bench';

export async function putConvergedPresets(store: SqliteStore): Promise<void> {
  await store.presets.put('bench-periodic-interval', {
    weight: 10,
    declarations: {
      values: [
        {
          path: 'Device.ManagementServer.PeriodicInformInterval',
          value: PERIODIC_INTERVAL_SECONDS,
          type: 'unsignedInt',
        },
      ],
    },
  });
  await store.presets.put('bench-tag', { weight: 20, declarations: { addTags: ['bench'] } });
  await store.presets.put('bench-wifi-ssid', {
    weight: 30,
    declarations: {
      values: [{ path: 'Device.WiFi.SSID.1.SSID', value: BENCH_SSID, type: 'string' }],
    },
  });
}
