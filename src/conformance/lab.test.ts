/** The lab's parts on their own: case selection, the JUnit writer, and a DUT that sends garbage. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_DECODE_LIMITS } from '../cwmp/index.ts';
import { WarningCollector } from '../cwmp/warnings.ts';
import { parseXml } from '../cwmp/xml/parse.ts';
import { CATALOGUE } from './catalogue.ts';
import { htmlReport } from './html.ts';
import { junitXml } from './junit.ts';
import { ConformanceLab } from './lab.ts';
import { countVerdicts, type RunReport } from './report.ts';
import type { CaseResult } from './runner.ts';
import { selectCases } from './runner.ts';
import { StepFailure } from './step-failure.ts';
import { parseXhtml } from './testing/xhtml.ts';

test('--cases: comma-separated globs on ids, case-insensitive; every id unique', () => {
  const ids = (p: string) => selectCases(CATALOGUE, p).map((c) => c.id);
  assert.deepEqual(ids('GPN-00?'), [
    'GPN-001',
    'GPN-002',
    'GPN-003',
    'GPN-004',
    'GPN-005',
    'GPN-006',
    'GPN-007',
    'GPN-008',
  ]);
  assert.deepEqual(ids('SPV-00[1]'), []);
  assert.deepEqual(ids('cr-001, SOAP-003'), ['SOAP-003', 'CR-001']);
  assert.deepEqual(ids('NOPE-*'), []);
  assert.equal(selectCases(CATALOGUE, undefined).length, CATALOGUE.length);
  assert.equal(new Set(CATALOGUE.map((c) => c.id)).size, CATALOGUE.length);
  for (const c of CATALOGUE) assert.ok(c.steps.length > 0 && c.clause !== '', c.id);
});

test('JUnit: what a DUT sent (markup, control characters) stays well-formed; counts are the JSON’s', () => {
  const result = (id: string, verdict: CaseResult['verdict'], reason?: string): CaseResult => ({
    id,
    area: 'HTTP & "SOAP"',
    title: `<${id}>`,
    clause: '§1',
    steps: ['Send <Step>'],
    verdict,
    ...(reason === undefined ? {} : { reason }),
    notes: [],
    durationMs: 12,
    evidence: [
      {
        seq: 0,
        direction: 'dut-to-lab',
        at: new Date().toISOString(),
        kind: 'cwmp',
        headers: {},
        body: '<x>\u0001]]></x>',
      },
    ],
  });
  const results = [
    result('A-1', 'pass'),
    result('A-2', 'fail', 'expected <&> got "\u0007"'),
    result('A-3', 'skip', 'no RPC'),
    result('A-4', 'error', 'boom\nstack'),
  ];
  const report: RunReport = {
    startedAt: new Date(0).toISOString(),
    finishedAt: new Date(1000).toISOString(),
    opening: [],
    counts: countVerdicts(results),
    results,
  };
  const xml = junitXml(report);
  const warnings = new WarningCollector();
  parseXml(xml, DEFAULT_DECODE_LIMITS, warnings);
  assert.deepEqual(warnings.list(), []);
  assert.match(xml, /tests="4" failures="1" errors="1" skipped="1"/);
  assert.equal(xml.match(/<failure /g)?.length, 1);
  assert.equal(xml.match(/<error /g)?.length, 1);
  assert.equal(xml.match(/<skipped /g)?.length, 1);
});

test('a DUT whose first message is garbage: the step fails as malformed, the lab keeps answering', async () => {
  const lab = await ConformanceLab.start({ host: '127.0.0.1', port: 0, stepTimeoutMs: 1000 });
  try {
    const begun = lab.begin(2000).catch((error: unknown) => error);
    const res = await fetch(lab.url, { method: 'POST', body: '<soap:Envelope><unclosed>' });
    assert.equal(res.status, 400);
    const error = await begun;
    assert.ok(error instanceof StepFailure);
    assert.equal(error.reason, 'malformed');
    // A DOCTYPE is refused the same way, and a second attempt finds the lab alive.
    const again = lab.begin(2000).catch((e: unknown) => e);
    const doctype = await fetch(lab.url, {
      method: 'POST',
      body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>',
    });
    assert.equal(doctype.status, 400);
    assert.equal(((await again) as StepFailure).reason, 'malformed');
    assert.equal(lab.evidence.entries.filter((e) => e.direction === 'dut-to-lab').length, 2);
  } finally {
    await lab.close();
  }
});

test('HTML: one self-contained, well-formed page; what a DUT sent is escaped; counts are the JSON’s', () => {
  const hostile = '<img src=x onerror=alert(1)>';
  const entry = (body: string) => ({
    seq: 0,
    direction: 'dut-to-lab' as const,
    at: new Date().toISOString(),
    kind: 'cwmp' as const,
    headers: { 'content-type': `text/xml; ${hostile}` },
    body,
  });
  const result = (id: string, verdict: CaseResult['verdict'], reason?: string): CaseResult => ({
    id,
    area: 'HTTP & "SOAP"',
    title: `title ${id}`,
    clause: '§1',
    steps: ['Send <Step>'],
    verdict,
    ...(reason === undefined ? {} : { reason }),
    notes: [`note ${hostile}`],
    durationMs: 12,
    evidence: [entry(`<Value>${hostile}</Value>\u0001]]>`)],
  });
  const results = [
    result('A-1', 'pass'),
    result('A-2', 'fail', `expected "x", got "${hostile}"`),
    result('A-3', 'skip', 'no RPC'),
    result('A-4', 'error', 'boom'),
    result('A-5', 'fail', 'again'),
  ];
  const report: RunReport = {
    startedAt: new Date(0).toISOString(),
    finishedAt: new Date(1000).toISOString(),
    dut: {
      deviceId: { Manufacturer: hostile, OUI: '00D09E', ProductClass: 'x', SerialNumber: '1' },
      root: 'Device.',
      methods: ['GetRPCMethods'],
    },
    opening: [entry(hostile)],
    counts: countVerdicts(results),
    results,
  };
  const html = htmlReport(report);
  const elements = parseXhtml(html);
  // The DUT's markup is text: no <img> element, no event handler attribute, the escaped form in the page.
  assert.ok(!elements.some((e) => e.name === 'img'));
  assert.ok(!elements.some((e) => Object.keys(e.attributes).some((a) => /^on/i.test(a))));
  assert.ok(!html.includes(hostile));
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(html.includes('<li>Send &lt;Step&gt;</li>'));
  // Self-contained: no script, no external resource.
  assert.ok(!elements.some((e) => ['script', 'link', 'img', 'iframe'].includes(e.name)));
  assert.ok(!elements.some((e) => 'src' in e.attributes || 'href' in e.attributes));
  assert.doesNotMatch(/<style>[^<]*<\/style>/.exec(html)?.[0] ?? '', /url\(|@import/);
  // The counts, each case once (expandable) with a verdict class the filters select on.
  const count = (name: string) =>
    Number(new RegExp(`data-count="${name}">(\\d+)<`).exec(html)?.[1]);
  assert.deepEqual(['total', 'pass', 'fail', 'skip', 'error'].map(count), [5, 1, 2, 1, 1]);
  const cases = elements.filter(
    (e) => e.name === 'details' && /\bcase\b/.test(e.attributes.class ?? ''),
  );
  assert.equal(cases.length, 5);
  assert.equal(cases.filter((e) => e.attributes.class?.includes('v-fail')).length, 2);
  assert.equal(
    elements.filter((e) => e.name === 'input' && e.attributes.type === 'radio').length,
    5,
  );
});

test('the file server: offered files, uploads, refusals and bad names, none of them taken for CWMP', async () => {
  const lab = await ConformanceLab.start({ host: '127.0.0.1', port: 0, stepTimeoutMs: 500 });
  try {
    lab.endpoint.files.offer('a.cfg', 'hello');
    lab.endpoint.files.offer('refused.cfg', '', 500);
    const base = `${lab.url}corral-files/`;
    const got = await fetch(`${base}a.cfg`);
    assert.equal(got.status, 200);
    assert.equal(await got.text(), 'hello');
    assert.equal((await fetch(`${base}missing.cfg`)).status, 404);
    assert.equal((await fetch(`${base}%E0%A4%A`)).status, 404);
    assert.equal((await fetch(`${base}up.cfg`, { method: 'PUT', body: 'data' })).status, 200);
    assert.equal(lab.endpoint.files.received('up.cfg')?.toString(), 'data');
    assert.equal((await fetch(`${base}refused.cfg`, { method: 'PUT', body: 'x' })).status, 500);
    assert.equal(lab.endpoint.files.received('refused.cfg'), undefined);
    // Nothing of this reached the CWMP side: a step waiting for the DUT times out.
    await assert.rejects(
      lab.endpoint.next(200),
      (e: unknown) => (e as StepFailure).reason === 'timeout',
    );
    assert.deepEqual(
      lab.evidence.entries.filter((e) => e.kind === 'file').map((e) => e.status ?? e.method),
      ['GET', 200, 'GET', 404, 'GET', 404, 'PUT', 200, 'PUT', 500],
    );
  } finally {
    await lab.close();
  }
});
