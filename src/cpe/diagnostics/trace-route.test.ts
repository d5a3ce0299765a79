import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findTool } from './system-tool.ts';
import { parseTraceroute, traceRoute, tracerouteArgs } from './trace-route.ts';

const noTraceroute =
  findTool(['traceroute']) === undefined
    ? 'no traceroute binary (Debian: apt-get install traceroute)'
    : false;
if (noTraceroute !== false) console.log(`# skipping the real TraceRoute tests: ${noTraceroute}`);

describe('TraceRoute', () => {
  it('parses hops: addresses, round trips in ms, silent hops, ! annotations as ICMP codes', () => {
    const out = [
      'traceroute to 10.9.9.9 (10.9.9.9), 30 hops max, 60 byte packets',
      ' 1  192.168.1.1  0.608 ms  0.512 ms  1.490 ms',
      ' 2  * * *',
      ' 3  10.0.0.1  3.2 ms 10.0.0.2  4.8 ms *',
      ' 4  10.0.0.9  7.1 ms !H  7.3 ms !H  7.0 ms !H',
      ' 5  2001:db8::1  12.000 ms !X * *',
    ].join('\n');
    assert.deepEqual(parseTraceroute(out), [
      { host: '192.168.1.1', hostAddress: '192.168.1.1', errorCode: 0, rtTimes: [1, 1, 1] },
      { host: '', hostAddress: '', errorCode: 0, rtTimes: [] },
      { host: '10.0.0.1', hostAddress: '10.0.0.1', errorCode: 0, rtTimes: [3, 5] },
      { host: '10.0.0.9', hostAddress: '10.0.0.9', errorCode: 1, rtTimes: [7, 7, 7] },
      { host: '2001:db8::1', hostAddress: '2001:db8::1', errorCode: 13, rtTimes: [12] },
    ]);
  });

  it('builds its argument array from the checked inputs only', () => {
    assert.deepEqual(
      tracerouteArgs('127.0.0.1', 4, {
        host: 'x',
        protocolVersion: 'Any',
        tries: 9,
        timeoutMs: 2500,
        maxHopCount: 200,
        dataBlockSize: 38,
        dscp: 10,
      }),
      ['-n', '-4', '-q', '3', '-w', '2.5', '-m', '64', '-t', '40', '127.0.0.1', '66'],
    );
  });

  it('ends in Error_CannotResolveHostName, or Error_Internal without traceroute', async () => {
    const base = { protocolVersion: 'Any', tries: 1, timeoutMs: 500, maxHopCount: 2 };
    for (const host of ['', '--help', 'no-such-host.invalid']) {
      assert.deepEqual(await traceRoute({ ...base, host }), {
        ok: false,
        state: 'Error_CannotResolveHostName',
      });
    }
    const lines: string[] = [];
    const r = await traceRoute({
      ...base,
      host: '127.0.0.1',
      tools: ['corral-no-such-traceroute'],
      log: (line) => lines.push(line),
    });
    assert.deepEqual(r, { ok: false, state: 'Error_Internal' });
    assert.match(
      lines.join('\n'),
      /corral-no-such-traceroute.*install the Debian package traceroute/,
    );
  });

  it('traces 127.0.0.1 for real: one hop', { skip: noTraceroute }, async () => {
    const r = await traceRoute({
      host: '127.0.0.1',
      protocolVersion: 'IPv4',
      tries: 3,
      timeoutMs: 2000,
      maxHopCount: 5,
      dataBlockSize: 38,
    });
    assert.equal(r.ok, true, JSON.stringify(r));
    if (!r.ok) return;
    assert.equal(r.state, 'Complete');
    assert.equal(r.address, '127.0.0.1');
    assert.equal(r.hops.length, 1);
    assert.equal(r.hops[0]!.hostAddress, '127.0.0.1');
    assert.equal(r.hops[0]!.errorCode, 0);
    assert.equal(r.hops[0]!.rtTimes.length, 3);
  });
});
