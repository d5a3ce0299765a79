/**
 * The conformance lab end to end: `corral check` in-process against a simulated CPE on loopback (real sockets,
 * random ports): the simulator passes every case that applies, over HTTP and HTTPS; the command line. The simulator
 * broken on purpose is check-broken.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { checkCommand } from '../cli/check-command.ts';
import { makeTestCertificates } from '../cpe/testing/test-ca.ts';
import { DEFAULT_DECODE_LIMITS } from '../cwmp/index.ts';
import { WarningCollector } from '../cwmp/warnings.ts';
import { parseXml } from '../cwmp/xml/parse.ts';
import { IGD_GATEWAY } from '../datamodel/profiles/index.ts';
import { CATALOGUE } from './catalogue.ts';
import type { RunReport } from './report.ts';
import { check, dir, QUICK_CASES, sink, verdicts } from './testing/check-run.ts';
import { parseXhtml } from './testing/xhtml.ts';

after(() => rmSync(dir, { recursive: true, force: true }));

describe('corral check against the simulator', () => {
  test('a Device:2 simulator passes every case; JSON and JUnit agree', async () => {
    const run = await check('device2');
    assert.deepEqual(verdicts(run.report, 'fail'), [], run.stderr);
    assert.deepEqual(verdicts(run.report, 'error'), [], run.stderr);
    assert.equal(run.code, 0);
    // Destructive cases are skipped unless asked for, and Secure CWMP ones over plain HTTP, saying so; so are
    // GetOptions and SetVouchers, which the simulator does not list, and XMPP without a login for the lab.
    const destructive = CATALOGUE.filter((c) => c.requires.destructive === true).map((c) => c.id);
    const unsupported = ['OPT-001', 'OPT-002', 'OPT-003', 'CR-010', 'CR-011'];
    const skipped = CATALOGUE.filter(
      (c) =>
        c.requires.destructive === true || c.id.startsWith('TLS-') || unsupported.includes(c.id),
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

  test('--include-destructive runs Reboot, the configuration round trip and a firmware image; the other transfer cases pass', async () => {
    // The simulator's image: its version on the first line (src/cpe/transfers/firmware.ts), then any bytes.
    const image = join(dir, 'corral-gateway-5.0.1.img');
    writeFileSync(image, `CORRAL-FIRMWARE version=5.0.1\n${'\u00a5'.repeat(4096)}`);
    const run = await check('destructive', [
      '--include-destructive',
      '--firmware',
      image,
      '--firmware-version',
      '5.0.1',
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
        'DL-006',
        'DL-007',
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

  test('a DUT stuck on TLS 1.0 fails TLS-001 and TLS-003 only: the lab still talks to it', {
    skip,
  }, async () => {
    const run = await check('tls-old', [...tlsArgs(), '--cases', 'TLS-*,SOAP-001'], {
      ca: certs!.ca,
      behaviour: { tlsMaxVersion: 'TLSv1' },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['TLS-001', 'TLS-003']);
    assert.deepEqual(verdicts(run.report, 'pass'), ['SOAP-001', 'TLS-002']);
    assert.match(run.report.results.find((r) => r.id === 'TLS-001')?.reason ?? '', /TLSv1\b/);
  });

  test('over plain HTTP the Secure CWMP cases skip, saying why', async () => {
    const run = await check('tls-plain', ['--cases', 'TLS-*']);
    assert.deepEqual(verdicts(run.report, 'skip'), [
      'TLS-001',
      'TLS-002',
      'TLS-003',
      'TLS-004',
      'TLS-005',
      'TLS-006',
      'TLS-007',
    ]);
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
