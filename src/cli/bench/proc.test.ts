import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cpuReader, cpuSeconds, quiet } from './proc.ts';

describe('quiet', () => {
  it('waits while the server is busy and returns once a whole window passes idle', async () => {
    // CPU seconds as read before each window: busy (a whole 10 ms window each) three times, then idle.
    const readings = [1, 1.01, 1.02, 1.03, 1.03, 1.03];
    let reads = 0;
    await quiet(() => readings[Math.min(reads++, readings.length - 1)], { windowMs: 10 });
    // The first reading, three busy windows, then the idle one: no more.
    assert.equal(reads, 5);
  });

  it('gives up after timeoutMs while the server stays busy', { timeout: 5000 }, async () => {
    let reads = 0;
    const waited = await quiet(() => ++reads * 0.02, { windowMs: 10, timeoutMs: 60 });
    // Busy at every reading, it stops on its own (how many windows fit in 60 ms is the machine's business).
    assert.ok(reads >= 2, `read ${reads} times`);
    assert.ok(waited < 5000, `waited ${waited} ms`);
  });

  it('does not wait for a process /proc cannot read', async () => {
    assert.ok((await quiet(() => undefined)) < 100);
  });
});

describe('cpuReader', () => {
  it('reads a pid from /proc, or uses the reader given', () => {
    if (cpuSeconds(process.pid) === undefined) return; // not Linux: nothing to read
    assert.ok((cpuReader(process.pid)() ?? -1) >= 0);
    assert.equal(cpuReader(() => 7)(), 7);
  });
});
