import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { devices } from '../src/cli/bench/context.ts';
import { Load, type SessionsResult } from '../src/cli/bench/loader.ts';
import { pin } from '../src/cli/bench/node-child.ts';
import { cpuSeconds } from '../src/cli/bench/proc.ts';
import {
  type RunningServe,
  removeServeFiles,
  type ServeOptions,
} from '../src/cli/bench/serve-process.ts';
import { benchArgs, positiveOption } from './bench-args.ts';

const parsed = benchArgs(
  `usage: npm run bench:ab -- --a DIR [--b DIR] [options]

Compares two builds of the ACS on S1's periodic sessions (corral bench), fairly on a machine whose speed drifts:
both \`corral serve\`s run at once on core 0 and the load (this process, core 1) plays short slices against each
in turn, A then B, then B then A. Each slice gives sessions per ACS CPU-second; a drift of the machine's speed
hits both sides of a pair alike, so the median of the per-pair ratios B/A is the figure (±5 % is noise). The
slices alternate with no pause: each ACS's background work (sweeps, checkpoints) lands in its own slices.

  --a DIR             a Corral checkout (its src/ and node_modules/), e.g. a git worktree of main
  --b DIR             another (default: this checkout)
  --devices N         devices each ACS knows (default 2000)
  --slices N          slices for each (default 10)
  --slice-ms MS       a slice's length (default 2000)
  --rate R            an open loop at R sessions/s (about half of saturation: the latency target's load)
                      instead of the closed loop; slices then also give p99 latency, compared the same way
  --b-args "ARGS"     extra \`corral serve\` arguments for B only, e.g. "--trace-sessions off"
  -h, --help          show this help
`,
  {
    a: { type: 'string' },
    b: { type: 'string' },
    devices: { type: 'string' },
    slices: { type: 'string' },
    'slice-ms': { type: 'string' },
    rate: { type: 'string' },
    'b-args': { type: 'string' },
  },
);

function checkout(dir: string | undefined, name: string): string {
  const path = resolve(dir ?? '.');
  if (!existsSync(join(path, 'src/cli/bench/serve-process.ts'))) {
    process.stderr.write(
      `--${name} ${path}: not a Corral checkout (no src/cli/bench/serve-process.ts)\n`,
    );
    process.exit(2);
  }
  return path;
}

if (parsed.a === undefined) {
  process.stderr.write('--a DIR is required (see --help)\n');
  process.exit(2);
}
const dirA = checkout(parsed.a as string, 'a');
const dirB = checkout(parsed.b as string | undefined, 'b');
const fleet = devices('BenchPeriodic', 'S1-', positiveOption(parsed, 'devices', 2000));
const slices = positiveOption(parsed, 'slices', 10);
const sliceMs = positiveOption(parsed, 'slice-ms', 2000);
const rate = parsed.rate === undefined ? undefined : positiveOption(parsed, 'rate', 1);
const bArgs = ((parsed['b-args'] as string | undefined) ?? '').split(' ').filter(Boolean);

type Start = (options: ServeOptions) => Promise<RunningServe>;
const startIn = async (dir: string): Promise<Start> =>
  (await import(join(dir, 'src/cli/bench/serve-process.ts'))).startServe as Start;

pin(process.pid, 1);
const apiKey = 'ab'.repeat(20);
const sides = {
  A: await (await startIn(dirA))({ apiKey, cpu: 0 }),
  B: await (await startIn(dirB))({ apiKey, cpu: 0, args: bArgs }),
};
const load = new Load();
const run = (serve: RunningServe, events: string[], durationMs?: number) =>
  load.run(
    {
      kind: 'sessions',
      url: serve.cwmpUrl,
      oui: '00D09E',
      devices: fleet,
      events,
      concurrency: 64,
      ...(durationMs === undefined ? {} : { durationMs }),
      ...(durationMs === undefined || rate === undefined ? {} : { ratePerSec: rate }),
    },
    () => {},
  ) as Promise<SessionsResult>;

try {
  process.stderr.write(`A ${dirA}\nB ${dirB}${bArgs.length > 0 ? ` ${bArgs.join(' ')}` : ''}\n`);
  for (const serve of Object.values(sides)) {
    await run(serve, ['0 BOOTSTRAP', '1 BOOT']);
    await run(serve, ['2 PERIODIC'], 2000); // warm-up
  }
  const perCpu: Record<'A' | 'B', number[]> = { A: [], B: [] };
  const p99: Record<'A' | 'B', number[]> = { A: [], B: [] };
  for (let i = 0; i < slices; i++) {
    for (const name of i % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
      const pid = sides[name].child.pid!;
      const before = cpuSeconds(pid) ?? Number.NaN;
      const result = await run(sides[name], ['2 PERIODIC'], sliceMs);
      perCpu[name].push(result.completed / ((cpuSeconds(pid) ?? Number.NaN) - before));
      p99[name].push(result.sessionMs.p99);
    }
    process.stderr.write(`\rslice ${i + 1}/${slices}`);
  }
  const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;
  const ratios = perCpu.A.map((a, i) => perCpu.B[i]! / a);
  const row = (xs: number[], digits = 0) => xs.map((x) => x.toFixed(digits).padStart(5)).join(' ');
  process.stdout.write(
    `\nsessions per ACS CPU-second, slice by slice:\n` +
      `  A    ${row(perCpu.A)}   median ${Math.round(median(perCpu.A))}\n` +
      `  B    ${row(perCpu.B)}   median ${Math.round(median(perCpu.B))}\n` +
      `  B/A  ${row(ratios, 2)}   median ${median(ratios).toFixed(3)}\n`,
  );
  if (rate !== undefined) {
    const latency = p99.A.map((a, i) => p99.B[i]! / a);
    process.stdout.write(
      `p99 session latency (ms) at ${rate}/s, slice by slice:\n` +
        `  A    ${row(p99.A, 1)}   median ${median(p99.A).toFixed(1)}\n` +
        `  B    ${row(p99.B, 1)}   median ${median(p99.B).toFixed(1)}\n` +
        `  B/A  ${row(latency, 2)}   median ${median(latency).toFixed(3)}\n`,
    );
  }
} finally {
  await Promise.all(Object.values(sides).map((s) => s.stop()));
  // Each side's data directory and log (tens of MB after a run) go with it.
  for (const side of Object.values(sides)) removeServeFiles(side);
}
process.exit(0);
