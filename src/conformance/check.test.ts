/**
 * The conformance lab end to end: `corral check` in-process against a simulated CPE on loopback (real sockets,
 * random ports). The simulator passes every case that applies; broken on purpose (an injected fault, a quirk, a
 * malformed answer, a hang), exactly the matching cases fail and the lab keeps going.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { checkCommand } from '../cli/check-command.ts';
import { type SimulatedDut, startSimulatedDut } from '../cpe/testing/simulated-dut.ts';
import { makeTestCertificates } from '../cpe/testing/test-ca.ts';
import { DEFAULT_DECODE_LIMITS } from '../cwmp/index.ts';
import { WarningCollector } from '../cwmp/warnings.ts';
import { parseXml } from '../cwmp/xml/parse.ts';
import { IGD_GATEWAY } from '../datamodel/profiles/index.ts';
import { CATALOGUE } from './catalogue.ts';
import type { RunReport } from './report.ts';
import { parseXhtml } from './testing/xhtml.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-check-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  return {
    stream: new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    }),
    text: () => text,
  };
}

interface CheckRun {
  code: number;
  report: RunReport;
  junit: string;
  html: string;
  stderr: string;
}

/** Runs `corral check` with `args`, starting a simulated DUT pointed at the lab once it listens. */
async function check(
  name: string,
  args: string[] = [],
  dutOptions: Parameters<typeof startSimulatedDut>[1] = {},
): Promise<CheckRun> {
  const json = join(dir, `${name}.json`);
  const junit = join(dir, `${name}.xml`);
  const html = join(dir, `${name}.html`);
  const out = sink();
  const err = sink();
  let dut: Promise<SimulatedDut> | undefined;
  const code = await checkCommand(
    [
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--timeout',
      '10',
      '--step-timeout',
      '2',
      '--connection-request-username',
      'cr-DUT0001',
      '--connection-request-password',
      'cr-secret-1',
      '--json',
      json,
      '--junit',
      junit,
      '--html',
      html,
      ...args,
    ],
    {
      stdout: out.stream,
      stderr: err.stream,
      onListening: (url) => {
        dut = startSimulatedDut(url, dutOptions);
      },
    },
  );
  await (await dut)?.close();
  return {
    code,
    report: JSON.parse(readFileSync(json, 'utf8')) as RunReport,
    junit: readFileSync(junit, 'utf8'),
    html: readFileSync(html, 'utf8'),
    stderr: err.text(),
  };
}

/** Cases that wait seconds by design: a retry's back-off, periodic informs, a delayed upload, ScheduleInform. */
const SLOW = new Set([
  'RETRY-001',
  'RETRY-002',
  'RETRY-003',
  'RETRY-004',
  'INF-011',
  'UL-003',
  'SOAP-012',
  'SOAP-013',
  'SCHED-001',
  'VAL-003',
]);
/** Every other case: for the runs whose breakage the slow cases do not meet. */
const QUICK_CASES = CATALOGUE.filter((c) => !SLOW.has(c.id))
  .map((c) => c.id)
  .join(',');

const verdicts = (report: RunReport, verdict: string) =>
  report.results.filter((r) => r.verdict === verdict).map((r) => r.id);

describe('corral check against the simulator', () => {
  test('a Device:2 simulator passes every case; JSON and JUnit agree', async () => {
    const run = await check('device2');
    assert.deepEqual(verdicts(run.report, 'fail'), [], run.stderr);
    assert.deepEqual(verdicts(run.report, 'error'), [], run.stderr);
    assert.equal(run.code, 0);
    // Destructive cases are skipped unless asked for, and Secure CWMP ones over plain HTTP, saying so.
    const destructive = CATALOGUE.filter((c) => c.requires.destructive === true).map((c) => c.id);
    const skipped = CATALOGUE.filter(
      (c) => c.requires.destructive === true || c.id.startsWith('TLS-'),
    ).map((c) => c.id);
    assert.deepEqual(verdicts(run.report, 'skip'), skipped);
    assert.match(
      run.report.results.find((r) => r.id === destructive[0])?.reason ?? '',
      /--include-destructive/,
    );
    assert.equal(run.report.counts.pass, CATALOGUE.length - skipped.length);
    assert.equal(run.report.dut?.root, 'Device.');
    assert.match(run.stderr, /cases: \d+ passed, 0 failed/);
    // Evidence: each case's exchange, both ways, with statuses and raw bodies.
    const gpn = run.report.results.find((r) => r.id === 'GPN-005')!;
    assert.ok(
      gpn.evidence.some(
        (e) => e.direction === 'lab-to-dut' && e.body.includes('GetParameterNames'),
      ),
    );
    assert.ok(gpn.evidence.some((e) => e.direction === 'dut-to-lab' && e.body.includes('9005')));
    // JUnit: well-formed, and its counts are the JSON's.
    const warnings = new WarningCollector();
    parseXml(run.junit, DEFAULT_DECODE_LIMITS, warnings);
    assert.deepEqual(warnings.list(), []);
    const top =
      /<testsuites [^>]*tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)"/.exec(
        run.junit,
      );
    assert.deepEqual(top?.slice(1).map(Number), [
      run.report.counts.total,
      run.report.counts.fail,
      run.report.counts.error,
      run.report.counts.skip,
    ]);
    assert.equal(run.junit.match(/<testcase /g)?.length, run.report.counts.total);
    // HTML: well-formed, its counts the JSON's, each case once with its verdict.
    const elements = parseXhtml(run.html);
    for (const v of ['total', 'pass', 'fail', 'skip', 'error'] as const)
      assert.equal(
        Number(new RegExp(`data-count="${v}">(\\d+)<`).exec(run.html)?.[1]),
        run.report.counts[v],
        v,
      );
    const cases = elements.filter(
      (e) => e.name === 'details' && e.attributes.id?.startsWith('case-'),
    );
    assert.deepEqual(
      cases.map((e) => [e.attributes.id, e.attributes.class]),
      run.report.results.map((r) => [`case-${r.id}`, `case v-${r.verdict}`]),
    );
  });

  test('an InternetGatewayDevice:1 simulator with CPE Digest passes the quick cases, a retry and the periodic informs', async () => {
    const run = await check(
      'igd',
      // The quick cases, one retry and the periodic informs: the other retries only take longer.
      [
        '--cpe-username',
        'lab-dut',
        '--cpe-password',
        'acs-secret-1',
        '--cases',
        `${QUICK_CASES},RETRY-001,INF-011`,
      ],
      { profile: IGD_GATEWAY, acsUsername: 'lab-dut', acsPassword: 'acs-secret-1' },
    );
    assert.equal(run.report.dut?.root, 'InternetGatewayDevice.', run.stderr);
    assert.deepEqual(verdicts(run.report, 'fail'), [], run.stderr);
    assert.deepEqual(verdicts(run.report, 'error'), [], run.stderr);
    assert.equal(run.code, 0);
    // The lab asked for Digest before it took the Inform.
    assert.ok(run.report.opening.some((e) => e.direction === 'lab-to-dut' && e.status === 401));
    assert.ok(run.report.opening.some((e) => e.body.includes('InformResponse')));
  });

  test('--include-destructive runs Reboot and the configuration round trip; the other transfer cases pass', async () => {
    const run = await check('destructive', [
      '--include-destructive',
      '--cases',
      'BOOT-*,SCHED-*,FR-*,GPN-001,INF-012,UL-*,DL-*,QT-*,SDL-*,DU-*',
    ]);
    assert.deepEqual(verdicts(run.report, 'fail'), [], run.stderr);
    assert.deepEqual(verdicts(run.report, 'skip'), [], run.stderr);
    assert.deepEqual(
      run.report.results.map((r) => r.id),
      [
        'INF-012',
        'GPN-001',
        'UL-001',
        'UL-002',
        'UL-003',
        'DL-001',
        'DL-002',
        'DL-003',
        'DL-004',
        'DL-005',
        'QT-001',
        'QT-002',
        'QT-003',
        'QT-004',
        'QT-005',
        'SDL-001',
        'SDL-002',
        'DU-001',
        'DU-002',
        'SCHED-001',
        'SCHED-002',
        'BOOT-001',
        'FR-001',
      ],
    );
    // The lab's file server saw the upload and the download back.
    const dl = run.report.results.find((r) => r.id === 'DL-004')!;
    assert.deepEqual(
      dl.evidence.filter((e) => e.kind === 'file').map((e) => e.method ?? e.status),
      ['PUT', 200, 'GET', 200],
    );
  });

  test('legal variations (chunked bodies, booleans as 1/0, another SOAP prefix) pass every quick case', async () => {
    const run = await check('quirks', ['--cases', QUICK_CASES], {
      behaviour: { sendChunked: true, wire: { booleanStyle: 'digit', soapPrefix: 'SOAP-ENV' } },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), [], run.stderr);
    assert.equal(run.code, 0);
  });
});

describe('corral check against a broken simulator', () => {
  test('GetParameterAttributes faulted 9002: the attribute cases fail, the others pass', async () => {
    const run = await check('gpa-fault', ['--cases', QUICK_CASES], {
      behaviour: { faults: { faultFor: { GetParameterAttributes: 9002 } } },
    });
    assert.deepEqual(
      verdicts(run.report, 'fail'),
      // Every attribute case but ATTR-004, which sends SetParameterAttributes only.
      CATALOGUE.filter((c) => c.id.startsWith('ATTR-') && c.id !== 'ATTR-004').map((c) => c.id),
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
    const run = await check('cr-replay', ['--cases', 'CR-*'], {
      acceptReplayedConnectionRequests: true,
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['CR-005']);
    assert.deepEqual(verdicts(run.report, 'pass'), ['CR-001', 'CR-002', 'CR-003', 'CR-004']);
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

describe('corral check over HTTPS', () => {
  const certs = makeTestCertificates();
  const tlsArgs = (): string[] => {
    writeFileSync(join(dir, 'lab.pem'), certs!.cert);
    writeFileSync(join(dir, 'lab.key'), certs!.key);
    return ['--tls-cert', join(dir, 'lab.pem'), '--tls-key', join(dir, 'lab.key')];
  };
  const skip = certs === undefined ? 'openssl is not installed' : false;

  test('the simulator passes the Secure CWMP cases, and the transfers and redirects go over HTTPS', {
    skip,
  }, async () => {
    const run = await check(
      'tls',
      [...tlsArgs(), '--cases', 'TLS-*,SOAP-001,SOAP-012,UL-001,DL-001'],
      { ca: certs!.ca },
    );
    assert.deepEqual(verdicts(run.report, 'fail'), [], run.stderr);
    assert.deepEqual(verdicts(run.report, 'pass'), [
      'SOAP-001',
      'SOAP-012',
      'TLS-001',
      'TLS-002',
      'TLS-003',
      'UL-001',
      'DL-001',
    ]);
    const ul = run.report.results.find((r) => r.id === 'UL-001')!;
    assert.ok(ul.evidence.some((e) => e.kind === 'file' && e.method === 'PUT'));
  });

  test('a DUT that trusts any certificate and takes TLS 1.0 fails TLS-002 and TLS-003 only', {
    skip,
  }, async () => {
    const run = await check('tls-insecure', [...tlsArgs(), '--cases', 'TLS-*,SOAP-001'], {
      ca: certs!.ca,
      behaviour: { insecureTls: true },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['TLS-002', 'TLS-003']);
    assert.deepEqual(verdicts(run.report, 'pass'), ['SOAP-001', 'TLS-001']);
  });

  test('over plain HTTP the Secure CWMP cases skip, saying why', async () => {
    const run = await check('tls-plain', ['--cases', 'TLS-*']);
    assert.deepEqual(verdicts(run.report, 'skip'), ['TLS-001', 'TLS-002', 'TLS-003']);
    assert.match(run.report.results[0]!.reason ?? '', /--tls-cert/);
  });
});

describe('corral check command line', () => {
  test('--list prints the catalogue', async () => {
    const out = sink();
    const code = await checkCommand(['--list'], { stdout: out.stream, stderr: sink().stream });
    assert.equal(code, 0);
    for (const c of CATALOGUE) assert.ok(out.text().includes(c.id), c.id);
    assert.match(out.text(), new RegExp(`${CATALOGUE.length} cases`));
  });

  test('--list --cases filters by glob', async () => {
    const out = sink();
    await checkCommand(['--list', '--cases', 'GPN-*'], {
      stdout: out.stream,
      stderr: sink().stream,
    });
    assert.match(out.text(), /GPN-001/);
    assert.doesNotMatch(out.text(), /SPV-001/);
  });

  test('--help prints the options, exit 0', async () => {
    const out = sink();
    assert.equal(await checkCommand(['--help'], { stdout: out.stream, stderr: sink().stream }), 0);
    assert.match(out.text(), /--connection-request-url URL/);
    assert.match(out.text(), /--html FILE/);
    assert.match(out.text(), /--tls-cert F, --tls-key F/);
  });

  test('usage errors exit 2 with one line saying which', async () => {
    for (const args of [
      [],
      ['--port', 'x'],
      ['--port', '0', '--bogus'],
      ['--port', '0', '--cases', 'NOPE-*'],
      ['--port', '0', '--tls-cert', 'lab.pem'],
    ]) {
      const err = sink();
      const code = await checkCommand(args, { stdout: sink().stream, stderr: err.stream });
      assert.equal(code, 2, args.join(' '));
      assert.match(err.text(), /^corral check: .+\n\nusage: corral check/);
    }
  });

  test('no DUT within --timeout: exit 1, reports still written', async () => {
    const json = join(dir, 'nobody.json');
    const code = await checkCommand(
      ['--host', '127.0.0.1', '--port', '0', '--timeout', '0.3', '--json', json],
      { stdout: sink().stream, stderr: sink().stream },
    );
    assert.equal(code, 1);
    const report = JSON.parse(readFileSync(json, 'utf8')) as RunReport;
    assert.match(report.error ?? '', /^timeout: /);
  });
});
