/**
 * Secure CWMP's certificate checks in the lab, proven on the simulator over HTTPS: given the CA the DUT trusts
 * (--tls-ca-cert/--tls-ca-key), the lab issues an expired certificate and one for another host; the simulator
 * refuses both; one that takes any host name fails TLS-005 only; one that trusts any certificate fails TLS-002,
 * TLS-004 and TLS-005 (and TLS-003, taking TLS 1.0). Without the CA they skip, saying why.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { makeTestCertificates } from '../cpe/testing/test-ca.ts';
import { check, dir, verdicts } from './testing/check-run.ts';

after(() => rmSync(dir, { recursive: true, force: true }));

const certs = makeTestCertificates();
const skip = certs === undefined ? 'openssl is not installed' : false;

function tlsArgs(withCa: boolean): string[] {
  writeFileSync(join(dir, 'lab.pem'), certs!.cert);
  writeFileSync(join(dir, 'lab.key'), certs!.key);
  writeFileSync(join(dir, 'ca.pem'), certs!.ca);
  writeFileSync(join(dir, 'ca.key'), certs!.caKey);
  return [
    '--tls-cert',
    join(dir, 'lab.pem'),
    '--tls-key',
    join(dir, 'lab.key'),
    ...(withCa ? ['--tls-ca-cert', join(dir, 'ca.pem'), '--tls-ca-key', join(dir, 'ca.key')] : []),
  ];
}

describe('corral check: expired and wrong-host certificates', { skip }, () => {
  test('the simulator refuses both; without the CA the cases skip, saying why', async () => {
    const run = await check('tls-certs', [...tlsArgs(true), '--cases', 'TLS-001,TLS-004,TLS-005'], {
      ca: certs!.ca,
    });
    assert.deepEqual(verdicts(run.report, 'pass'), ['TLS-001', 'TLS-004', 'TLS-005'], run.stderr);
    const expired = run.report.results.find((r) => r.id === 'TLS-004')!;
    assert.match(expired.notes.join('\n'), /came back with RetryCount/);

    const none = await check('tls-no-ca', [...tlsArgs(false), '--cases', 'TLS-004,TLS-005'], {
      ca: certs!.ca,
    });
    assert.deepEqual(verdicts(none.report, 'skip'), ['TLS-004', 'TLS-005']);
    assert.match(none.report.results[0]!.reason ?? '', /no --tls-ca-cert\/--tls-ca-key/);
  });

  test('a DUT that takes any host name fails TLS-005 only', async () => {
    const run = await check('tls-any-host', [...tlsArgs(true), '--cases', 'TLS-*'], {
      ca: certs!.ca,
      behaviour: { tlsHostnameUnchecked: true },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['TLS-005']);
    assert.deepEqual(verdicts(run.report, 'pass'), ['TLS-001', 'TLS-002', 'TLS-003', 'TLS-004']);
    assert.match(
      run.report.results.find((r) => r.id === 'TLS-005')!.reason ?? '',
      /no session with a certificate for corral-wrong-host\.invalid/,
    );
  });

  test('a DUT that trusts any certificate fails every refusal case', async () => {
    const run = await check('tls-any-cert', [...tlsArgs(true), '--cases', 'TLS-*'], {
      ca: certs!.ca,
      behaviour: { insecureTls: true },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['TLS-002', 'TLS-003', 'TLS-004', 'TLS-005']);
    assert.deepEqual(verdicts(run.report, 'pass'), ['TLS-001']);
  });
});
