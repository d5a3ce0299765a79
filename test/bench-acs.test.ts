/**
 * Keeps `npm run bench:acs` from rotting: its own machinery (bench/acs-run.ts) run small — 20 devices, one round,
 * fewer slots than devices so the fleet's gate queues — must finish every session of every scenario, against the
 * floor and the real ACS, with the RPCs each scenario is about, and leave no temp directory behind. No timing is
 * asserted: speed is the benchmark's to report. (Here and not beside the bench: `npm test` runs src/ and test/.)
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { runAcsBench } from '../bench/acs-run.ts';

const benchDirs = () =>
  new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('corral-bench-acs-')));

test('the ACS benchmark runs every scenario to the end with every session successful', {
  timeout: 120_000,
}, async () => {
  const before = benchDirs();
  const devices = 20;
  const result = await runAcsBench({ devices, rounds: 1, concurrency: 8, warmup: false });

  assert.deepEqual(
    result.scenarios.map((s) => s.scenario),
    ['first-contact', 'periodic', 'periodic-presets'],
  );
  for (const s of result.scenarios) {
    for (const [side, summary] of [
      ['ACS', s.real],
      ['floor', s.floor],
    ] as const) {
      assert.equal(summary.sessions, devices, `${s.scenario}, ${side}: sessions`);
      assert.equal(summary.failed, 0, `${s.scenario}, ${side}: failed sessions`);
      assert.ok(summary.sessionsPerSec > 0 && summary.p99Ms >= summary.p50Ms);
    }
    assert.deepEqual(s.floor.rpcsPerSession, {}, 'the floor sends no RPC');
  }
  const [first, periodic, presets] = result.scenarios;
  assert.deepEqual(first!.real.rpcsPerSession, { SetParameterValues: 1 }, 'zero-touch: one SPV');
  assert.deepEqual(periodic!.real.rpcsPerSession, {}, 'an unchanged device gets nothing');
  assert.deepEqual(presets!.real.rpcsPerSession, {}, 'converged presets send nothing');

  // The presets were really applied before the measured round (else "nothing sent" would prove nothing).
  const applied = result.convergence.rounds[0]!;
  assert.equal(applied.acsRequests.SetParameterValues, devices);
  assert.equal(result.convergence.devicesTagged, devices);
  assert.equal(result.convergence.devicesWithSsid, devices);

  assert.deepEqual(benchDirs(), before, 'the temp directory is removed');
});
