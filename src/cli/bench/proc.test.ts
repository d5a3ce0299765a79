import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cpuReader, cpuSeconds, quiet } from './proc.ts';

describe('quiet', () => {
  it('waits while the server is busy and returns once a whole window passes idle', async () => {
    // CPU seconds as read before each window: busy (a whole 10 ms window each) three times, then idle.
    const readings = [1, 1.01, 1.02, 1.03, 1.03, 1.03];
    let reads = 0;
    const waited = await quiet(() => readings[Math.min(reads++, readings.length - 1)], {
      windowMs: 10,
    });
    assert.equal(reads, 5);
    assert.ok(waited >= 40, `waited ${waited} ms`);
  });

  it('gives up after timeoutMs while the server stays busy', async () => {
    let cpu = 0;
    const waited = await quiet(() => (cpu += 0.02), { windowMs: 10, timeoutMs: 60 });
    assert.ok(waited >= 60 && waited < 1000, `waited ${waited} ms`);
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
