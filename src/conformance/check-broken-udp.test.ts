/**
 * UDP connection requests through STUN in the lab, proven on the simulator: it binds to the lab's STUN server,
 * reports its mapped address and takes signed requests (CR-006…009 pass, on Device:2 and IGD:1); one that takes a
 * replayed request fails CR-008 only; without connection-request credentials to sign with the cases skip.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { IGD_GATEWAY } from '../datamodel/profiles/index.ts';
import { check, dir, verdicts } from './testing/check-run.ts';

after(() => rmSync(dir, { recursive: true, force: true }));

const UDP = ['CR-006', 'CR-007', 'CR-008', 'CR-009'];

describe('corral check: UDP connection requests through STUN', () => {
  test('the simulator binds to the lab’s STUN server and takes signed requests (Device:2 and IGD:1)', async () => {
    const run = await check('udp-device2', ['--cases', UDP.join(',')]);
    assert.deepEqual(verdicts(run.report, 'pass'), UDP, run.stderr);
    const first = run.report.results[0]!;
    assert.match(first.notes.join('\n'), /the DUT bound 127\.0\.0\.1:\d+/);
    // The STUN password the lab gave is a secret: never in the report.
    assert.doesNotMatch(JSON.stringify(run.report), /cr-secret-1/);
    const igd = await check('udp-igd', ['--cases', UDP.join(',')], { profile: IGD_GATEWAY });
    assert.deepEqual(verdicts(igd.report, 'pass'), UDP, igd.stderr);
  });

  test('a DUT that takes a replayed UDP request fails CR-008 only', async () => {
    const run = await check('udp-replay', ['--cases', UDP.join(',')], {
      acceptReplayedUdpConnectionRequests: true,
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['CR-008']);
    assert.deepEqual(verdicts(run.report, 'pass'), ['CR-006', 'CR-007', 'CR-009']);
    assert.match(run.report.results[2]!.reason ?? '', /no session from a replayed request/);
  });
});
