/**
 * S6 nodes: S1's periodic sessions at saturation against PostgreSQL with one ACS node and with two (`corral serve
 * --workers 2`: two processes, each a node, the load's addresses spread over them), beside the run's SQLite ACS.
 * Each figure is sessions per CPU-second of the ACS's processes and, apart, of the database's (measured when the
 * database runs here: the embedded one, or --postgres on this machine is not measured).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchContext, measure, type Throughput } from '../context.ts';
import { measuredCpu, treeCpuSeconds } from '../proc.ts';
import { type RunningServe, removeServeFiles, startServe } from '../serve-process.ts';
import { S1, s1Devices } from './s1-periodic.ts';

export interface NodesRun {
  store: 'sqlite' | 'postgres';
  nodes: number;
  acs: Throughput;
  /** The database's CPU seconds over the run (PostgreSQL's processes); null when it is not on this machine. */
  dbCpuSeconds: number | null;
  /** Sessions per CPU-second of the ACS and the database together; null without the database's figure. */
  sessionsPerTotalCpuSecond: number | null;
}

export interface S6Result {
  devices: number;
  runs: NodesRun[];
}

/** A PostgreSQL the scenario may fill: databases of its own, and the server's process when it is here. */
interface BenchPostgres {
  url(database: string): Promise<string>;
  /** The postmaster's pid (its backends are its children); undefined when the server is elsewhere. */
  pid: number | undefined;
  stop(): Promise<void>;
}

async function benchPostgres(given: string | null): Promise<BenchPostgres> {
  if (given !== null) return { url: async () => given, pid: undefined, stop: async () => {} };
  let start: typeof import('../../../store/postgres/testing/embedded-postgres.ts').startTestPostgres;
  try {
    ({ startTestPostgres: start } = await import(
      '../../../store/postgres/testing/embedded-postgres.ts'
    ));
  } catch {
    throw new Error('S6 needs PostgreSQL: --postgres URL, or a checkout with its devDependencies');
  }
  const server = await start();
  if ('skip' in server) throw new Error(`S6 needs PostgreSQL: ${server.skip}`);
  const pid = Number(readFileSync(join(server.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let n = 0;
  return {
    url: async () => {
      const name = `corral_bench_${++n}`;
      await server.createDatabase(name);
      return server.url(name);
    },
    pid: Number.isInteger(pid) && pid > 0 ? pid : undefined,
    stop: () => server.stop(),
  };
}

export async function runS6(ctx: BenchContext): Promise<S6Result> {
  const { options } = ctx;
  const runs: NodesRun[] = [await nodesRun(ctx, ctx.acs, 'sqlite', 1, undefined)];
  const postgres = await benchPostgres(options.postgres);
  try {
    for (const nodes of [1, 2]) {
      const acs = await startServe({
        apiKey: ctx.api.key,
        cpu: ctx.serverCpu,
        args: ['--store', await postgres.url(`nodes${nodes}`), '--workers', String(nodes)],
      });
      try {
        await untilLogged(acs, nodes > 1 ? '"event":"workers-ready"' : '"event":"listening"');
        runs.push(await nodesRun(ctx, acs, 'postgres', nodes, postgres.pid));
      } finally {
        await acs.stop();
        removeServeFiles(acs);
      }
    }
  } finally {
    await postgres.stop();
  }
  return { devices: options.devices, runs };
}

async function nodesRun(
  ctx: BenchContext,
  acs: RunningServe,
  store: NodesRun['store'],
  nodes: number,
  dbPid: number | undefined,
): Promise<NodesRun> {
  const { options } = ctx;
  // Devices of their own, so that the SQLite ACS's run does not meet S1's devices.
  const fleet = s1Devices(options.devices).map(([pc, serial]) => [pc, `S6-${serial}`] as const);
  const acsCpu = () => treeCpuSeconds(acs.child.pid!);
  const label = `S6: ${store}, ${nodes} node${nodes > 1 ? 's' : ''}`;
  await measure(ctx, acsCpu, `${label}: making the devices known (not measured)`, {
    url: acs.cwmpUrl,
    devices: fleet,
    events: S1.bootstrapEvents,
    concurrency: options.concurrency,
  });
  const dbCpu = dbPid === undefined ? () => undefined : () => treeCpuSeconds(dbPid);
  const { value: run, cpuSeconds: db } = await measuredCpu(dbCpu, () =>
    measure(ctx, acsCpu, `${label} at saturation`, {
      url: acs.cwmpUrl,
      devices: fleet,
      events: S1.events,
      concurrency: options.concurrency,
      durationMs: options.durationMs,
    }),
  );
  const acsSeconds = run.figures.cpuSeconds;
  const total =
    store === 'sqlite'
      ? acsSeconds
      : acsSeconds === null || db === undefined
        ? null
        : acsSeconds + db;
  return {
    store,
    nodes,
    acs: run.figures,
    dbCpuSeconds: store === 'sqlite' ? 0 : (db ?? null),
    sessionsPerTotalCpuSecond:
      total === null || total <= 0 ? null : Math.round(run.figures.sessions / total),
  };
}

/** The first worker prints the banner; the others are up once the primary says so. */
async function untilLogged(acs: RunningServe, needle: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!readFileSync(acs.logFile, 'utf8').includes(needle)) {
    if (Date.now() > deadline) throw new Error(`corral serve did not log ${needle} within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
