/**
 * The conformance lab proven by breaking the simulated DUT on purpose, one area at a time (an injected fault, a
 * quirk, a malformed answer, a hang): exactly the matching cases fail and the lab keeps going.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { CATALOGUE } from './catalogue.ts';
import { check, dir, QUICK_CASES, verdicts } from './testing/check-run.ts';

after(() => rmSync(dir, { recursive: true, force: true }));

describe('corral check against a broken simulator', () => {
  test('GetParameterAttributes faulted 9002: the attribute cases fail, the others pass', async () => {
    const run = await check('gpa-fault', ['--cases', QUICK_CASES], {
      behaviour: { faults: { faultFor: { GetParameterAttributes: 9002 } } },
    });
    assert.deepEqual(
      verdicts(run.report, 'fail'),
      // Every attribute case but ATTR-004, which sends SetParameterAttributes only; the value-change cases that
      // read a Notification to put it back; DM-002, every listed name readable by GetParameterAttributes too.
      CATALOGUE.filter(
        (c) =>
          (c.id.startsWith('ATTR-') && c.id !== 'ATTR-004') ||
          ['NOTIF-001', 'NOTIF-002', 'NOTIF-003', 'NOTIF-004', 'NOTIF-007', 'DM-002'].includes(
            c.id,
          ),
      ).map((c) => c.id),
    );
    assert.deepEqual(verdicts(run.report, 'error'), []);
    assert.equal(run.code, 1);
    const attr = run.report.results.find((r) => r.id === 'ATTR-003')!;
    assert.match(attr.reason ?? '', /fault 9005, got fault 9002/);
    assert.match(run.junit, /<failure message="[^"]*9002/);
  });

  test('SetParameterAttributes refused 9009: the cases that need it to work fail, those that allow 9009 pass', async () => {
    const run = await check('spa-9009', ['--cases', 'ATTR-*'], {
      behaviour: { faults: { faultFor: { SetParameterAttributes: 9009 } } },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), [
      'ATTR-002',
      'ATTR-004',
      'ATTR-006',
      'ATTR-009',
      'ATTR-010',
      'ATTR-012',
    ]);
    assert.deepEqual(verdicts(run.report, 'pass'), [
      'ATTR-001',
      'ATTR-003',
      'ATTR-005',
      'ATTR-007',
      'ATTR-008',
      'ATTR-011',
      'ATTR-013',
    ]);
  });

  test('SetParameterValues refused 9007: the cases that expect 9007 (or 9006) pass, the others fail', async () => {
    const run = await check('spv-9007', ['--cases', 'SPV-*'], {
      behaviour: { faults: { faultFor: { SetParameterValues: 9007 } } },
    });
    assert.deepEqual(verdicts(run.report, 'pass'), [
      'SPV-003',
      'SPV-010',
      'SPV-011',
      'SPV-012',
      'SPV-013',
    ]);
    assert.deepEqual(verdicts(run.report, 'fail'), [
      'SPV-001',
      'SPV-002',
      'SPV-004',
      'SPV-005',
      'SPV-006',
      'SPV-007',
      'SPV-008',
      'SPV-009',
      'SPV-014',
    ]);
  });

  test('SetParameterValues refused 9007: values and Wi-Fi — what must be stored fails, what may be refused passes', async () => {
    const run = await check('values-9007', ['--cases', 'VAL-*,WIFI-*'], {
      behaviour: { faults: { faultFor: { SetParameterValues: 9007 } } },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['VAL-001', 'VAL-002', 'WIFI-001']);
    assert.deepEqual(verdicts(run.report, 'pass'), [
      'VAL-003',
      'VAL-004',
      'WIFI-002',
      'WIFI-003',
      'WIFI-004',
    ]);
  });

  test('AddObject refused 9004: the cases that add an instance fail, 9005 expected fails, the others pass', async () => {
    const run = await check('add-9004', ['--cases', 'OBJ-*'], {
      behaviour: { faults: { faultFor: { AddObject: 9004 } } },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), [
      'OBJ-001',
      'OBJ-002',
      'OBJ-004',
      'OBJ-005',
      'OBJ-007',
      'OBJ-008',
      'OBJ-009',
    ]);
    assert.deepEqual(verdicts(run.report, 'pass'), ['OBJ-003', 'OBJ-006']);
  });

  test('URLs typed xsd:unsignedInt fail GPV-006 only', async () => {
    const run = await check('mistyped', ['--cases', 'GPV-*,INF-00?,INF-010,INF-012'], {
      behaviour: { wire: { urlsAsUnsignedInt: true } },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['GPV-006']);
    assert.match(
      run.report.results.find((r) => r.id === 'GPV-006')?.reason ?? '',
      /URL.*unsignedInt/,
    );
  });

  test('a DUT that opens a connection per POST fails SOAP-006 only', async () => {
    const run = await check('no-keep-alive', ['--cases', 'SOAP-*'], {
      behaviour: { keepAlive: false },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['SOAP-006']);
    assert.equal(verdicts(run.report, 'pass').length, run.report.counts.total - 1);
  });

  test('Download refused 9002: the Download and queue cases fail; Upload, CancelTransfer alone and ScheduleDownload pass', async () => {
    const run = await check(
      'download-9002',
      ['--include-destructive', '--cases', 'UL-*,DL-*,QT-*,SDL-*'],
      {
        behaviour: { faults: { faultFor: { Download: 9002 } } },
      },
    );
    assert.deepEqual(verdicts(run.report, 'fail'), [
      'DL-001',
      'DL-002',
      'DL-003',
      'DL-004',
      'DL-005',
      'QT-001',
      'QT-002',
      'QT-003',
    ]);
    assert.deepEqual(verdicts(run.report, 'pass'), [
      'UL-001',
      'UL-002',
      'UL-003',
      'QT-004',
      'QT-005',
      'SDL-001',
      'SDL-002',
    ]);
  });

  test('a DUT whose RetryCount stays 0 fails the session retry cases only', async () => {
    // RETRY-003 and RETRY-004 fail the same way, at their first retry: two suffice.
    const run = await check('retry-count', ['--cases', 'RETRY-001,RETRY-002,INF-006'], {
      behaviour: { retryCountAlwaysZero: true },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['RETRY-001', 'RETRY-002']);
    assert.deepEqual(verdicts(run.report, 'pass'), ['INF-006']);
    assert.match(run.report.results[1]!.reason ?? '', /RetryCount 1 on retry 1, got 0/);
  });

  test('a DUT that ignores HoldRequests fails SOAP-010 only', async () => {
    const run = await check('hold', ['--cases', 'SOAP-00?,SOAP-010,SOAP-011,UL-001,UL-002'], {
      behaviour: { faults: { ignoreHoldRequests: true } },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['SOAP-010']);
    assert.match(
      run.report.results.find((r) => r.id === 'SOAP-010')?.reason ?? '',
      /empty POST after HoldRequests, got TransferComplete/,
    );
    assert.equal(verdicts(run.report, 'pass').length, run.report.counts.total - 1);
  });

  test('ChangeDUState and FactoryReset refused 9001: DU-001, DU-002 and FR-001 fail; Reboot passes', async () => {
    const run = await check('du-fr', ['--include-destructive', '--cases', 'DU-*,FR-*,BOOT-*'], {
      behaviour: { faults: { faultFor: { ChangeDUState: 9001, FactoryReset: 9001 } } },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['DU-001', 'DU-002', 'FR-001']);
    assert.deepEqual(verdicts(run.report, 'pass'), ['BOOT-001']);
  });

  test('a DUT that does not follow redirects fails SOAP-012 and SOAP-013 only', async () => {
    const run = await check('no-redirects', ['--cases', 'SOAP-*,INF-006'], {
      behaviour: { followRedirects: false },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['SOAP-012', 'SOAP-013']);
    assert.equal(verdicts(run.report, 'pass').length, run.report.counts.total - 2);
  });

  test('a DUT that takes a replayed connection request fails CR-005 only', async () => {
    // The HTTP ones: the UDP and XMPP connection requests have their own files.
    const run = await check('cr-replay', ['--cases', 'CR-001,CR-002,CR-003,CR-004,CR-005'], {
      acceptReplayedConnectionRequests: true,
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['CR-005']);
    assert.deepEqual(verdicts(run.report, 'pass'), ['CR-001', 'CR-002', 'CR-003', 'CR-004']);
  });

  test('a DUT that does not resend a request the lab answered with 8005 fails SOAP-014 only', async () => {
    const run = await check('no-8005', ['--cases', 'SOAP-014,UL-001,UL-002'], {
      behaviour: { faults: { ignoreRetryRequest: true } },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['SOAP-014']);
    assert.deepEqual(verdicts(run.report, 'pass'), ['UL-001', 'UL-002']);
  });

  test('a DUT that never returns cookies fails SOAP-004 only', async () => {
    const run = await check('no-cookies', ['--cases', QUICK_CASES], {
      behaviour: { returnCookies: false },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['SOAP-004']);
    assert.deepEqual(verdicts(run.report, 'error'), []);
    assert.equal(run.code, 1);
  });

  test('a malformed answer to GetParameterValues fails the cases that read values; the lab goes on', async () => {
    const run = await check('malformed', ['--cases', 'INF-00?,GPV-*,GPN-*'], {
      behaviour: { faults: { malformedOn: 'GetParameterValues' } },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), [
      'INF-002',
      'INF-007',
      'INF-008',
      'INF-009',
      'GPV-001',
      'GPV-002',
      'GPV-003',
      'GPV-004',
      'GPV-005',
      'GPV-006',
      'GPV-007',
      'GPV-008',
    ]);
    for (const id of ['GPV-001', 'GPV-003'])
      assert.match(run.report.results.find((r) => r.id === id)!.reason ?? '', /^malformed: /);
    assert.equal(verdicts(run.report, 'pass').length, 13);
  });

  test('a connection dropped mid-answer fails the step as dropped; the next case goes on', async () => {
    const run = await check('drop', ['--cases', 'GPN-001,RPC-001'], {
      behaviour: { faults: { dropOn: 'GetParameterNames' } },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['GPN-001']);
    const gpn = run.report.results.find((r) => r.id === 'GPN-001')!;
    assert.match(gpn.reason ?? '', /^(dropped|malformed): /);
    assert.deepEqual(verdicts(run.report, 'pass'), ['RPC-001']);
  });

  test('a DUT that hangs fails the step with a timeout, within the step timeout', async () => {
    const began = Date.now();
    const run = await check('hang', ['--cases', 'RPC-001,GPN-001', '--step-timeout', '1'], {
      behaviour: { faults: { answerDelayMs: 1500 } },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['RPC-001', 'GPN-001']);
    assert.match(run.report.results[0]!.reason ?? '', /^timeout: /);
    assert.ok(Date.now() - began < 15_000);
  });
});
