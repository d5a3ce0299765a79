import { randomBytes } from 'node:crypto';
import { UsageError } from './args.ts';
import { type BenchChild, CHILD_ROLE_ENV, runChild, startChild } from './bench/children.ts';
import type { BenchContext } from './bench/context.ts';
import { pin, tasksetAvailable } from './bench/node-child.ts';
import { BENCH_USAGE, parseBenchOptions, type ScenarioName } from './bench/options.ts';
import { machineInfo } from './bench/proc.ts';
import { Progress } from './bench/progress.ts';
import { type BenchReport, table, writeReport } from './bench/report.ts';
import { runS1 } from './bench/scenarios/s1-periodic.ts';
import { runS2 } from './bench/scenarios/s2-first-contact.ts';
import { runS3 } from './bench/scenarios/s3-storm.ts';
import { runS4 } from './bench/scenarios/s4-scale.ts';
import { runS5 } from './bench/scenarios/s5-task.ts';
import { runS6 } from './bench/scenarios/s6-nodes.ts';
import { type RunningServe, removeServeFiles, startServe } from './bench/serve-process.ts';

export { BENCH_USAGE };

export interface BenchIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

/** `corral bench`: see BENCH_USAGE. Returns the exit code. */
export async function benchCommand(
  argv: readonly string[],
  io: BenchIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const role = process.env[CHILD_ROLE_ENV];
  if (role !== undefined && role !== '') return runChild(role);
  let options: ReturnType<typeof parseBenchOptions>;
  try {
    options = parseBenchOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`corral bench: ${error.message}\n\n${BENCH_USAGE}`);
    return 2;
  }
  if (options.help) {
    io.stdout.write(BENCH_USAGE);
    return 0;
  }
  try {
    const report = await run(options, io);
    if (options.json) io.stdout.write(`${JSON.stringify(report)}\n`);
    else io.stdout.write(table(report));
    return 0;
  } catch (error) {
    io.stderr.write(`corral bench: ${(error as Error).message.split('\n')[0]}\n`);
    return 1;
  }
}

const RUNNERS: Record<ScenarioName, (ctx: BenchContext, report: BenchReport) => Promise<void>> = {
  S1: async (ctx, report) => {
    const { result, floor } = await runS1(ctx);
    report.S1 = result;
    report.floor.S1 = floor;
  },
  S2: async (ctx, report) => {
    const result = await runS2(ctx);
    report.S2 = result;
    report.floor.S2 = { zeroTouch: result.zeroTouch.floor, preset: result.preset.floor };
  },
  S3: async (ctx, report) => {
    report.S3 = await runS3(ctx);
  },
  S4: async (ctx, report) => {
    report.S4 = await runS4(ctx);
  },
  S5: async (ctx, report) => {
    report.S5 = await runS5(ctx);
  },
  S6: async (ctx, report) => {
    report.S6 = await runS6(ctx);
  },
};

async function run(
  options: ReturnType<typeof parseBenchOptions>,
  io: BenchIo,
): Promise<BenchReport> {
  const taskset = tasksetAvailable();
  // The ACS (and the floor) on core 0, the load (and this process, mostly idle) on the last core.
  const cores = machineInfo(false).cores;
  const serverCpu = taskset ? 0 : undefined;
  const loadCpu = taskset && cores > 1 ? cores - 1 : undefined;
  if (loadCpu !== undefined) pin(process.pid, loadCpu);
  const progress = new Progress(io.stderr);
  if (!taskset)
    progress.note('taskset is not available here: the processes are not pinned to cores');
  const report: BenchReport = {
    machine: machineInfo(taskset),
    options: {
      quick: options.quick,
      scenarios: options.scenarios,
      devices: options.devices,
      durationSeconds: options.durationMs / 1000,
      concurrency: options.concurrency,
    },
    startedAt: new Date().toISOString(),
    floor: {},
  };
  const apiKey = `bench-${randomBytes(24).toString('hex')}`;
  let acs: RunningServe | undefined;
  let load: BenchChild | undefined;
  let floor: BenchChild | undefined;
  // Interrupted: the ACS stops as it would (SIGTERM), the helpers end, the temporary files go.
  const onSignal = (signal: NodeJS.Signals) => {
    void Promise.all([acs?.stop(5000), load?.stop(), floor?.stop()]).finally(() => {
      if (acs !== undefined) removeServeFiles(acs);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    progress.note('starting corral serve, the load and the floor');
    const started = await Promise.allSettled([
      startServe({ apiKey, cpu: serverCpu, args: ['--zero-touch', 'true'] }),
      startChild('load', loadCpu),
      startChild('floor', serverCpu),
    ]);
    if (started[0].status === 'fulfilled') acs = started[0].value;
    if (started[1].status === 'fulfilled') load = started[1].value;
    if (started[2].status === 'fulfilled') floor = started[2].value;
    const failed = started.find((s) => s.status === 'rejected');
    if (failed !== undefined || !acs || !load || !floor)
      throw (
        (failed as PromiseRejectedResult | undefined)?.reason ??
        new Error('a process did not start')
      );
    const ctx: BenchContext = {
      options,
      acs,
      api: { url: acs.apiUrl, key: apiKey },
      load,
      floor,
      progress,
      serverCpu,
      loadCpu,
      results: {},
    };
    for (const name of options.scenarios) {
      await RUNNERS[name](ctx, report);
      ctx.results[name] = report[name];
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await Promise.all([acs?.stop(), load?.stop(), floor?.stop()]);
    if (acs !== undefined) removeServeFiles(acs);
  }
  report.finishedAt = new Date().toISOString();
  if (options.report) {
    const files = writeReport(report, options.out);
    progress.note(`report: ${files.markdown} and ${files.svg}`);
  }
  return report;
}
