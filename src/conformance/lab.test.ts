/** The lab's parts on their own: case selection, the JUnit writer, and a DUT that sends garbage. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_DECODE_LIMITS } from '../cwmp/index.ts';
import { WarningCollector } from '../cwmp/warnings.ts';
import { parseXml } from '../cwmp/xml/parse.ts';
import { CATALOGUE } from './catalogue.ts';
import { junitXml } from './junit.ts';
import { ConformanceLab } from './lab.ts';
import { countVerdicts, type RunReport } from './report.ts';
import type { CaseResult } from './runner.ts';
import { selectCases } from './runner.ts';
import { StepFailure } from './step-failure.ts';

test('--cases: comma-separated globs on ids, case-insensitive; every id unique', () => {
  const ids = (p: string) => selectCases(CATALOGUE, p).map((c) => c.id);
  assert.deepEqual(ids('GPN-00?'), [
    'GPN-001',
    'GPN-002',
    'GPN-003',
    'GPN-004',
    'GPN-005',
    'GPN-006',
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
