import { type AcsBenchResult, runAcsBench, SCENARIO_TITLES } from './acs-run.ts';
import { benchArgs } from './bench-args.ts';

/**
 * `npm run bench:acs [-- --devices N] [-- --rounds N] [-- --concurrency N] [-- --json]`: session throughput of the
 * ACS (startAcs over SQLite) with N simulated Device:2 gateways in the same process, beside the floor the same
 * fleet reaches against a minimal loopback responder (InformResponse, then 204; no store), measured in the same
 * run, rounds interleaved. Medians over rounds; a round is every device doing one session of the scenario.
 * `--synchronous normal` runs the store without an fsync per commit, to show what durability costs.
 */
const parsed = benchArgs(
  `usage: npm run bench:acs [-- options]

Sessions per second of the real ACS (startAcs over SQLite) with simulated Device:2 gateways in the same
process, beside the floor the same fleet reaches against a minimal loopback responder, rounds interleaved:
first contact with zero-touch, periodic, periodic with converged presets. Medians over rounds.

  --devices N                  simulated devices (default 1000)
  --rounds N                   rounds; a round is every device doing one session (default 3)
  --concurrency N              sessions in flight at once (default 256)
  --synchronous full|normal    the store's durability (default full: an fsync per commit)
  --metrics                    the ACS with its Prometheus metrics on, as corral serve runs it
  --json                       one JSON object instead of the table
  -h, --help                   show this help
`,
  {
    devices: { type: 'string' },
    rounds: { type: 'string' },
    concurrency: { type: 'string' },
    synchronous: { type: 'string' },
    metrics: { type: 'boolean' },
    json: { type: 'boolean' },
  },
);
const args = {
  devices: (parsed.devices as string | undefined) ?? '1000',
  rounds: (parsed.rounds as string | undefined) ?? '3',
  concurrency: (parsed.concurrency as string | undefined) ?? '256',
  synchronous: (parsed.synchronous as string | undefined) ?? 'full',
  json: parsed.json === true,
};
const positive = (name: string, text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`--${name} must be a positive integer`);
  return n;
};

if (args.synchronous !== 'full' && args.synchronous !== 'normal')
  throw new RangeError('--synchronous must be full (the store default) or normal');

const result = await runAcsBench({
  devices: positive('devices', args.devices),
  rounds: positive('rounds', args.rounds),
  concurrency: positive('concurrency', args.concurrency),
  synchronous: args.synchronous,
  metrics: parsed.metrics === true,
  progress: (line) => process.stderr.write(`  ${line}\n`),
});

if (args.json) {
  console.log(JSON.stringify(result));
} else {
  printTable(result);
}

function printTable(r: AcsBenchResult): void {
  const fmt = (n: number, digits = 0) =>
    n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  console.log(
    `\nACS session throughput: ${fmt(r.devices)} simulated Device:2 devices, at most ${r.concurrency} sessions in flight, ` +
      `median of ${r.rounds} rounds, SQLite synchronous=${r.synchronous} (Node ${r.node}, one process)`,
  );
  console.log(
    'floor = the same fleet against a minimal loopback responder (InformResponse, 204; no store); ' +
      'ratio = sessions/s over the floor\n',
  );
  const header = [
    'scenario',
    'sessions/s',
    'floor',
    'ratio',
    'p50 ms',
    'floor',
    'p99 ms',
    'floor',
    'CPU ms/session',
    'floor',
    'ACS RPCs/session',
    'failed',
  ];
  const rows = r.scenarios.map((s) => [
    SCENARIO_TITLES[s.scenario],
    fmt(s.real.sessionsPerSec),
    fmt(s.floor.sessionsPerSec),
    `${s.ratio.toFixed(2)}x`,
    fmt(s.real.p50Ms, 1),
    fmt(s.floor.p50Ms, 1),
    fmt(s.real.p99Ms, 1),
    fmt(s.floor.p99Ms, 1),
    fmt(s.real.cpuMsPerSession, 2),
    fmt(s.floor.cpuMsPerSession, 2),
    Object.entries(s.real.rpcsPerSession)
      .map(([method, n]) => `${fmt(n, 2)} ${method}`)
      .join(', ') || 'none',
    String(s.real.failed + s.floor.failed),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  // Text columns (the first and the RPCs) to the left, figures to the right.
  const line = (cells: string[]) =>
    cells
      .map((c, i) =>
        i === 0 || i === cells.length - 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!),
      )
      .join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  const c = r.convergence;
  const convergence = c.rounds
    .map(
      (round) =>
        Object.entries(round.acsRequests)
          .map(([m, n]) => `${fmt(n)} ${m}`)
          .join(', ') || 'nothing',
    )
    .join(' → ');
  console.log(
    `\nACS CPU per session above the floor: ${r.scenarios.map((s) => `${fmt(s.acsCpuMsPerSession, 2)} ms (${s.scenario})`).join(', ')}`,
  );
  console.log(
    `presets converged in ${c.rounds.length} unmeasured round(s) (${convergence}); ${fmt(c.devicesTagged)} devices tagged, ${fmt(c.devicesWithSsid)} with the SSID`,
  );
  console.log(`total ${r.wallSeconds.toFixed(1)} s`);
}
