import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonSummary, liveLine, progressBar, summary } from './progress.ts';
import type { FleetSnapshot } from './stats.ts';

const snap: FleetSnapshot = {
  devices: 1000,
  started: 1000,
  sessionsCompleted: 2390,
  sessionsFailed: 10,
  faults: 3,
  errors: { timeout: 2, connect: 8 },
  p50Ms: 12.5,
  p99Ms: 80.25,
  rssBytes: 150 * 1_048_576,
};

describe('sim output', () => {
  it('a progress bar while devices start', () => {
    assert.equal(progressBar(250, 1000, 10), '[###.......] 250/1000 devices started (25%)');
    assert.equal(progressBar(1000, 1000, 4), '[####] 1000/1000 devices started (100%)');
  });

  it('a live line with sessions/s, faults, errors by count, latency and memory', () => {
    assert.equal(
      liveLine(snap, 41.25),
      '41.3 sessions/s | completed 2390 | failed 10 | faults 3 | errors: connect 8, timeout 2 | p50 12.5 ms p99 80.25 ms | rss 150 MB',
    );
  });

  it('a summary, and the JSON object with exactly the agreed keys', () => {
    assert.match(summary(snap, 10), /2390 completed, 10 failed \(99\.6 % ok, 240\.0\/s\)/);
    assert.equal(
      jsonSummary(snap),
      '{"devices":1000,"sessionsCompleted":2390,"sessionsFailed":10,"p50Ms":12.5,"p99Ms":80.25,"rssBytes":157286400}',
    );
  });
});
