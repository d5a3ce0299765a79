/**
 * TR-143 diagnostics in the lab, proven on the simulator: it passes every DIAG case its profile has (Device:2 all
 * six, real ping and traceroute of loopback; IGD:1 IPPing only, the others skipped saying why); a device that counts
 * headers as test bytes fails exactly the download and upload cases.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { findTool } from '../cpe/diagnostics/system-tool.ts';
import { IGD_GATEWAY } from '../datamodel/profiles/index.ts';
import { check, dir, verdicts } from './testing/check-run.ts';

after(() => rmSync(dir, { recursive: true, force: true }));

const missing =
  findTool(['ping']) === undefined || findTool(['traceroute']) === undefined
    ? 'no ping or traceroute (Debian: apt-get install iputils-ping traceroute)'
    : false;
const skip = missing !== false && process.env.CI !== 'true' ? missing : false;

describe('corral check: TR-143 diagnostics', { skip }, () => {
  test('a Device:2 simulator passes every DIAG case; an IGD:1 one IPPing and the input reset, the rest skipped', async () => {
    const run = await check('diag-device2', ['--cases', 'DIAG-*']);
    assert.deepEqual(
      verdicts(run.report, 'pass'),
      ['DIAG-001', 'DIAG-002', 'DIAG-003', 'DIAG-004', 'DIAG-005', 'DIAG-006'],
      run.stderr,
    );
    const download = run.report.results.find((r) => r.id === 'DIAG-003')!;
    assert.ok(download.evidence.some((e) => e.kind === 'file' && e.method === 'GET'));
    assert.ok(
      download.evidence.some(
        (e) => e.direction === 'dut-to-lab' && e.body.includes('8 DIAGNOSTICS COMPLETE'),
      ),
    );

    const igd = await check('diag-igd', ['--cases', 'DIAG-*'], { profile: IGD_GATEWAY });
    assert.deepEqual(verdicts(igd.report, 'pass'), ['DIAG-001', 'DIAG-006'], igd.stderr);
    assert.deepEqual(verdicts(igd.report, 'skip'), [
      'DIAG-002',
      'DIAG-003',
      'DIAG-004',
      'DIAG-005',
    ]);
    assert.match(igd.report.results[1]!.reason ?? '', /has none of .*TraceRouteDiagnostics\./);
  });

  test('a DUT that counts headers as test bytes fails DIAG-003 and DIAG-004 only', async () => {
    const run = await check('diag-totals', ['--cases', 'DIAG-*'], {
      behaviour: { diagnostics: 'test-bytes-from-totals' },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['DIAG-003', 'DIAG-004']);
    assert.deepEqual(verdicts(run.report, 'pass'), [
      'DIAG-001',
      'DIAG-002',
      'DIAG-005',
      'DIAG-006',
    ]);
    assert.match(run.report.results[2]!.reason ?? '', /TestBytesReceived 262144, got \d+/);
    assert.match(run.report.results[3]!.reason ?? '', /TestBytesSent 131072, got \d+/);
  });
});
