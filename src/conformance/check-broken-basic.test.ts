/**
 * Basic authentication only over TLS, proven on the simulator: with CPE credentials the lab challenges with Basic
 * only; over plain HTTP the simulator does not answer (TLS-006 passes, TLS-007 skips, saying why), over HTTPS it
 * answers right (TLS-007 passes). A simulator that sends Basic over plain HTTP fails TLS-006 and no other case; its
 * password never appears in the reports.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { makeTestCertificates } from '../cpe/testing/test-ca.ts';
import { check, dir, QUICK_CASES, verdicts } from './testing/check-run.ts';

after(() => rmSync(dir, { recursive: true, force: true }));

const PASSWORD = 'acs-secret-basic-1';
const CREDENTIALS = ['--cpe-username', 'lab-dut', '--cpe-password', PASSWORD];
const DUT = { acsUsername: 'lab-dut', acsPassword: PASSWORD };
const certs = makeTestCertificates();

function assertNoPassword(run: Awaited<ReturnType<typeof check>>): void {
  const reports = [JSON.stringify(run.report), run.junit, run.html, run.stderr];
  const basic = Buffer.from(`lab-dut:${PASSWORD}`).toString('base64');
  for (const text of reports) {
    assert.ok(!text.includes(PASSWORD), 'the password is in a report');
    assert.ok(!text.includes(basic), 'the Basic credentials are in a report');
  }
}

describe('corral check: Basic authentication only over TLS', () => {
  test('over plain HTTP the simulator keeps its password; TLS-007 skips, saying why', async () => {
    const run = await check(
      'basic-http',
      [...CREDENTIALS, '--cases', 'TLS-006,TLS-007,INF-001'],
      DUT,
    );
    assert.deepEqual(verdicts(run.report, 'pass'), ['INF-001', 'TLS-006'], run.stderr);
    const six = run.report.results.find((r) => r.id === 'TLS-006')!;
    assert.match(six.notes.join('\n'), /answered [1-9]\d* POST\(s\) with 401 Basic; 0 carried/);
    assert.match(six.notes.join('\n'), /came back with RetryCount [1-9]/);
    // The 401s with the Basic challenge are the evidence.
    assert.ok(
      six.evidence.some((e) => e.status === 401 && e.headers['www-authenticate'] === 'Basic …'),
    );
    const seven = run.report.results.find((r) => r.id === 'TLS-007')!;
    assert.equal(seven.verdict, 'skip');
    assert.match(seven.reason ?? '', /plain HTTP, where Basic must not be answered/);
  });

  test('without CPE credentials both skip, saying why', async () => {
    const run = await check('basic-none', ['--cases', 'TLS-006,TLS-007']);
    assert.deepEqual(verdicts(run.report, 'skip'), ['TLS-006', 'TLS-007']);
    assert.match(run.report.results[0]!.reason ?? '', /no --cpe-username\/--cpe-password/);
  });

  test('a simulator that sends Basic over plain HTTP fails TLS-006 and no other case', async () => {
    const run = await check('basic-over-http', [...CREDENTIALS, '--cases', QUICK_CASES], {
      ...DUT,
      behaviour: { basicOverHttp: true },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['TLS-006'], run.stderr);
    assert.deepEqual(verdicts(run.report, 'error'), [], run.stderr);
    const six = run.report.results.find((r) => r.id === 'TLS-006')!;
    assert.match(six.reason ?? '', /no Authorization: Basic over plain HTTP, but [1-9]/);
    assert.ok(six.evidence.some((e) => e.headers.authorization === 'Basic …'));
    assertNoPassword(run);
  });

  test('over HTTPS the simulator answers Basic right (TLS-007); TLS-006 skips, saying why', {
    skip: certs === undefined ? 'openssl is not installed' : false,
  }, async () => {
    writeFileSync(join(dir, 'basic.pem'), certs!.cert);
    writeFileSync(join(dir, 'basic.key'), certs!.key);
    const tls = ['--tls-cert', join(dir, 'basic.pem'), '--tls-key', join(dir, 'basic.key')];
    const run = await check('basic-https', [...tls, ...CREDENTIALS, '--cases', 'TLS-*'], {
      ...DUT,
      ca: certs!.ca,
    });
    assert.deepEqual(verdicts(run.report, 'fail'), [], run.stderr);
    assert.ok(verdicts(run.report, 'pass').includes('TLS-007'), run.stderr);
    const six = run.report.results.find((r) => r.id === 'TLS-006')!;
    assert.equal(six.verdict, 'skip');
    assert.match(six.reason ?? '', /the lab speaks HTTPS/);
    const seven = run.report.results.find((r) => r.id === 'TLS-007')!;
    assert.match(seven.notes.join('\n'), /[1-9]\d* came with the right Basic credentials/);
    assertNoPassword(run);
  });
});
