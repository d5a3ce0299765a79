/**
 * S4 scale: M devices put in the store in bulk (bulk-devices.ts) before an ACS of its own starts on it, then S1's
 * periodic sessions over a sample of them: throughput as a ratio of S1's (per ACS CPU-second), and the ACS's RSS.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQLITE_FILE } from '../../../store/open-store.ts';
import { openSqliteStore } from '../../../store/sqlite/sqlite-store.ts';
import { loadSecretKey } from '../../secret-key.ts';
import { addBulkDevices, bulkDevice } from '../bulk-devices.ts';
import { type BenchContext, measure, type Throughput } from '../context.ts';
import { rssBytes, watchRss } from '../proc.ts';
import { removeServeFiles, startServe } from '../serve-process.ts';
import { S1, type S1Result } from './s1-periodic.ts';

export interface S4Result {
  storeDevices: number;
  sample: number;
  fillSeconds: number;
  acs: Throughput;
  /** S4's sessions per ACS CPU-second over S1's (null without S1 in the run). */
  ratioToS1: number | null;
  /** The ACS's RSS once the sessions are done. */
  rssBytes: number;
  /** The ACS's highest RSS while the sample's sessions ran. */
  peakRssBytes: number;
}

export async function runS4(ctx: BenchContext): Promise<S4Result> {
  const { options } = ctx;
  const dir = mkdtempSync(join(tmpdir(), 'corral-bench-scale-'));
  const dataDir = join(dir, 'data');
  const apiKey = `bench-${randomBytes(24).toString('hex')}`;
  try {
    // The store laid out as `corral serve` lays it out (its key, its schema), then filled in bulk.
    ctx.progress.phase(
      `S4: filling a store with ${options.scaleDevices} devices`,
      options.scaleDevices,
    );
    mkdirSync(dataDir, { recursive: true });
    const { key: secretKey } = loadSecretKey({ dataDir, file: null, env: {} });
    const dbPath = join(dataDir, SQLITE_FILE);
    await (await openSqliteStore({ path: dbPath, secretKey })).close();
    const began = Date.now();
    addBulkDevices(dbPath, options.scaleDevices, (done) => ctx.progress.update(done));
    const fillSeconds = Math.round((Date.now() - began) / 100) / 10;
    ctx.progress.end(`${options.scaleDevices} devices in ${fillSeconds} s`);

    const acs = await startServe({
      apiKey,
      dataDir,
      cpu: ctx.serverCpu,
      args: ['--zero-touch', 'true'],
    });
    try {
      // A sample spread over the whole fleet, each device as the bulk fill made it.
      const sample = Math.min(options.devices, options.scaleDevices);
      const step = options.scaleDevices / sample;
      const fleet = Array.from({ length: sample }, (_, i) => {
        const d = bulkDevice(Math.floor(i * step), 0);
        return [d.productClass, d.serialNumber] as const;
      });
      const pid = acs.child.pid!;
      const rss = watchRss(pid);
      await measure(ctx, pid, `S4: the sample's first Informs (not measured)`, {
        url: acs.cwmpUrl,
        devices: fleet,
        events: S1.events,
        concurrency: options.concurrency,
      });
      const run = await measure(
        ctx,
        pid,
        `S4: ACS at saturation over ${options.scaleDevices} devices`,
        {
          url: acs.cwmpUrl,
          devices: fleet,
          events: S1.events,
          concurrency: options.concurrency,
          durationMs: options.durationMs,
        },
      );
      const s1 = ctx.results.S1 as S1Result | undefined;
      const mine = run.figures.sessionsPerCpuSecond;
      const theirs = s1?.acs.sessionsPerCpuSecond ?? null;
      return {
        storeDevices: options.scaleDevices,
        sample,
        fillSeconds,
        acs: run.figures,
        ratioToS1:
          mine === null || theirs === null ? null : Math.round((mine / theirs) * 1000) / 1000,
        rssBytes: rssBytes(pid) ?? 0,
        peakRssBytes: rss.stop().peakBytes,
      };
    } finally {
      await acs.stop();
      removeServeFiles(acs);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
