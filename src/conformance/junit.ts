/**
 * The JUnit XML report, for CPE vendors' CI: one testsuite per area, one testcase per case; a fail is a
 * <failure>, an error an <error>, a skip <skipped>, each with its reason; the evidence goes in <system-out>.
 */
import type { RunReport } from './report.ts';
import type { CaseResult } from './runner.ts';
import { xmlAttr as attr, xmlText as text } from './xml-escape.ts';

export function junitXml(report: RunReport): string {
  const areas = new Map<string, CaseResult[]>();
  for (const r of report.results) areas.set(r.area, [...(areas.get(r.area) ?? []), r]);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const c = report.counts;
  out.push(
    `<testsuites name="corral check" tests="${c.total}" failures="${c.fail}" errors="${c.error}" skipped="${c.skip}" time="${seconds(report)}">`,
  );
  for (const [area, results] of areas) {
    const count = (v: string) => results.filter((r) => r.verdict === v).length;
    const time = results.reduce((t, r) => t + r.durationMs, 0) / 1000;
    out.push(
      `  <testsuite name="${attr(area)}" tests="${results.length}" failures="${count('fail')}" errors="${count('error')}" skipped="${count('skip')}" time="${time.toFixed(3)}">`,
    );
    for (const r of results) {
      out.push(
        `    <testcase classname="${attr(area)}" name="${attr(`${r.id} ${r.title}`)}" time="${(r.durationMs / 1000).toFixed(3)}">`,
      );
      const reason = attr(r.reason ?? '');
      if (r.verdict === 'fail')
        out.push(`      <failure message="${reason}">${text(r.reason ?? '')}</failure>`);
      if (r.verdict === 'error')
        out.push(`      <error message="${reason}">${text(r.reason ?? '')}</error>`);
      if (r.verdict === 'skip') out.push(`      <skipped message="${reason}"/>`);
      if (r.evidence.length > 0)
        out.push(`      <system-out>${text(evidenceText(r))}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

function evidenceText(r: CaseResult): string {
  return r.evidence
    .map(
      (e) =>
        `${e.at} ${e.direction === 'dut-to-lab' ? 'DUT → lab' : 'lab → DUT'} ${e.kind}${e.method ? ` ${e.method}` : ''}${e.status === undefined ? '' : ` ${e.status}`}${e.note ? ` (${e.note})` : ''}\n${e.body}`,
    )
    .join('\n');
}

function seconds(report: RunReport): string {
  return ((Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000).toFixed(3);
}
