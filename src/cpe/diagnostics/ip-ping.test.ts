import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ipPing, parsePingSummary, pingArgs } from './ip-ping.ts';
import { findTool } from './system-tool.ts';
import { isValidHost } from './target.ts';

const noPing =
  findTool(['ping']) === undefined
    ? 'no ping binary (Debian: apt-get install iputils-ping)'
    : false;
if (noPing !== false) console.log(`# skipping the real IPPing tests: ${noPing}`);

describe('IPPing', () => {
  it('parses the iputils and BusyBox summaries into microseconds', () => {
    const iputils = [
      '--- 127.0.0.1 ping statistics ---',
      '3 packets transmitted, 2 received, 33.3333% packet loss, time 2003ms',
      'rtt min/avg/max/mdev = 0.040/0.113/0.186/0.073 ms',
    ].join('\n');
    assert.deepEqual(parsePingSummary(iputils), {
      transmitted: 3,
      received: 2,
      rtt: { minimumUs: 40, averageUs: 113, maximumUs: 186 },
    });
    assert.deepEqual(
      parsePingSummary(
        '2 packets transmitted, 2 packets received, 0% packet loss\nround-trip min/avg/max = 1.5/2.25/3.0 ms',
      ),
      { transmitted: 2, received: 2, rtt: { minimumUs: 1500, averageUs: 2250, maximumUs: 3000 } },
    );
    assert.deepEqual(
      parsePingSummary('4 packets transmitted, 0 received, +4 errors, 100% packet loss'),
      { transmitted: 4, received: 0 },
    );
    assert.equal(parsePingSummary('ping: socket: Operation not permitted'), undefined);
  });

  it('builds its argument array from the checked inputs only', () => {
    assert.deepEqual(
      pingArgs('127.0.0.1', 4, {
        host: 'x',
        protocolVersion: 'Any',
        repetitions: 3,
        timeoutMs: 1500,
        dataBlockSize: 100,
        dscp: 46,
      }),
      [
        '-n',
        '-4',
        '-c',
        '3',
        '-W',
        '1.5',
        '-i',
        '0.2',
        '-w',
        '3',
        '-s',
        '100',
        '-Q',
        '184',
        '127.0.0.1',
      ],
    );
    const big = pingArgs('::1', 6, {
      host: 'x',
      protocolVersion: 'IPv6',
      repetitions: 1e9,
      timeoutMs: 1000,
      dataBlockSize: 65535,
    });
    assert.equal(big[big.indexOf('-c') + 1], '1000');
    assert.equal(big[big.indexOf('-s') + 1], '65487');
    assert.equal(big.at(-1), '::1');
  });

  it('accepts only host names and addresses: nothing a tool would take for an option', () => {
    for (const ok of ['127.0.0.1', '::1', 'localhost', 'cpe-1.example.net', 'a_b.local.'])
      assert.ok(isValidHost(ok), ok);
    for (const bad of ['', '-c 1', '--help', 'a b', 'host;rm', '$(x)', 'a..b', 'x'.repeat(254)])
      assert.ok(!isValidHost(bad), bad);
  });

  it('ends in Error_CannotResolveHostName before running anything', async () => {
    for (const host of ['', '-f', 'no-such-host.invalid']) {
      const r = await ipPing({ host, protocolVersion: 'Any', repetitions: 1, timeoutMs: 500 });
      assert.deepEqual(r, { ok: false, state: 'Error_CannotResolveHostName' }, host);
    }
    const v6only = await ipPing({
      host: '127.0.0.1',
      protocolVersion: 'IPv6',
      repetitions: 1,
      timeoutMs: 500,
    });
    assert.deepEqual(v6only, { ok: false, state: 'Error_CannotResolveHostName' });
  });

  it('ends in Error_Internal, with a clear log line, where there is no ping', async () => {
    const lines: string[] = [];
    const r = await ipPing({
      host: '127.0.0.1',
      protocolVersion: 'IPv4',
      repetitions: 1,
      timeoutMs: 500,
      tools: ['corral-no-such-ping'],
      log: (line) => lines.push(line),
    });
    assert.deepEqual(r, { ok: false, state: 'Error_Internal' });
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /no corral-no-such-ping binary found.*Error_Internal/);
  });

  it('pings 127.0.0.1 for real', { skip: noPing }, async () => {
    const r = await ipPing({
      host: '127.0.0.1',
      protocolVersion: 'IPv4',
      repetitions: 3,
      timeoutMs: 1000,
      dataBlockSize: 64,
    });
    assert.equal(r.ok, true, JSON.stringify(r));
    if (!r.ok) return;
    assert.equal(r.address, '127.0.0.1');
    assert.equal(r.successCount, 3);
    assert.equal(r.failureCount, 0);
    assert.ok(
      r.minimumUs > 0 && r.minimumUs <= r.averageUs && r.averageUs <= r.maximumUs,
      JSON.stringify(r),
    );
    assert.ok(r.maximumUs < 1_000_000);
  });
});
