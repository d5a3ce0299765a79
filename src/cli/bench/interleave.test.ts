import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BenchContext } from './context.ts';
import { interleave, sliceCount } from './interleave.ts';
import type { SessionsResult } from './loader.ts';
import { Progress } from './progress.ts';

function result(completed: number, wallMs: number, p50: number, p99: number): SessionsResult {
  return {
    completed,
    failed: 1,
    failures: { 'timeout inform': 1 },
    wallMs,
    sessionsPerSec: completed / (wallMs / 1000),
    sessionMs: { p50, p99, max: p99 },
    rpcs: { SetParameterValues: completed },
  };
}

/**
 * A load that plays each job as a run of fixed figures and advances the CPU time of the server it was sent to
 * (the floor's job URL says which), plus some CPU the ACS spends while the floor's turn runs (work a turn of its
 * own left behind).
 */
function fakeBench() {
  const cpu = { acs: 100, floor: 50 };
  const played: { side: 'acs' | 'floor'; job: Record<string, unknown> }[] = [];
  const ctx = {
    progress: new Progress(process.stderr, true),
    load: {
      run: async (job: { url: string }) => {
        const side = job.url === 'floor' ? 'floor' : 'acs';
        played.push({ side, job });
        const n = played.filter((p) => p.side === side).length;
        if (side === 'acs') {
          cpu.acs += 2;
          return result(1000, 2000, 10 * n, 100 * n);
        }
        cpu.floor += 1;
        cpu.acs += 0.5;
        return result(4000, 2000, n, 10 * n);
      },
    },
  } as unknown as BenchContext;
  return { ctx, cpu, played };
}

describe('interleave', () => {
  it('plays the ACS and the floor in turns, ABBA, and counts each one CPU over the whole window', async () => {
    const { ctx, cpu, played } = fakeBench();
    const lastSeen: (number | undefined)[] = [];
    const figures = await interleave(
      ctx,
      'test',
      {
        acs: {
          pid: () => cpu.acs,
          job: (i) => ({ url: 'acs', devices: [], events: [], concurrency: i }),
        },
        floor: {
          pid: () => cpu.floor,
          job: (i, last) => {
            lastSeen.push(last?.sessionMs.p50);
            return { url: 'floor', devices: [], events: [], concurrency: i };
          },
        },
      },
      3,
    );
    assert.deepEqual(
      played.map((p) => p.side),
      ['acs', 'floor', 'floor', 'acs', 'acs', 'floor'],
    );
    assert.deepEqual(
      played.map((p) => p.job.concurrency),
      [0, 0, 1, 1, 2, 2],
      'each side is asked for its own turns in order',
    );
    // The floor's jobs see the ACS's latest turn: its first, its first again (the floor went first), its third.
    assert.deepEqual(lastSeen, [10, 10, 30]);
    assert.equal(figures.acs.sessions, 3000);
    assert.equal(figures.acs.failed, 3);
    assert.deepEqual(figures.acs.failures, { 'timeout inform': 3 });
    assert.deepEqual(figures.acs.rpcs, { SetParameterValues: 3000 });
    assert.equal(figures.acs.wallSeconds, 6);
    assert.equal(figures.acs.sessionsPerSec, 500);
    // 3 × 2 s of its own turns and 3 × 0.5 s spent during the floor's.
    assert.equal(figures.acs.cpuSeconds, 7.5);
    assert.equal(figures.acs.sessionsPerCpuSecond, 400);
    assert.equal(figures.acs.p50Ms, 20, 'the median of the turns');
    assert.equal(figures.acs.p99Ms, 200);
    assert.equal(figures.floor.cpuSeconds, 3);
    assert.equal(figures.floor.sessionsPerCpuSecond, 4000);
  });

  it('gives no CPU figure where /proc cannot say', async () => {
    const { ctx } = fakeBench();
    const figures = await interleave(
      ctx,
      'test',
      {
        acs: {
          pid: () => undefined,
          job: () => ({ url: 'acs', devices: [], events: [], concurrency: 1 }),
        },
        floor: {
          pid: () => undefined,
          job: () => ({ url: 'floor', devices: [], events: [], concurrency: 1 }),
        },
      },
      1,
    );
    assert.equal(figures.acs.cpuSeconds, null);
    assert.equal(figures.acs.sessionsPerCpuSecond, null);
    assert.equal(figures.floor.sessions, 4000);
  });

  it('turns of about 2 s, one at least', () => {
    assert.equal(sliceCount(10_000), 5);
    assert.equal(sliceCount(20_000), 10);
    assert.equal(sliceCount(1500), 1);
    assert.equal(sliceCount(100), 1);
  });
});
