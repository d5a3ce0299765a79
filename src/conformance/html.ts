/**
 * The HTML report: one self-contained page (no script, no external resource) — the DUT, the counts, a filter by
 * verdict (radio inputs and CSS), and each case as a <details> that expands to its reason, notes and SOAP exchange.
 * Written as XHTML-compatible markup so an XML parser can check it; every string from the DUT is escaped.
 */
import type { EvidenceEntry } from './evidence.ts';
import type { RunReport } from './report.ts';
import type { CaseResult, Verdict } from './runner.ts';
import { xmlAttr as attr, xmlText as text } from './xml-escape.ts';

const VERDICTS: readonly Verdict[] = ['pass', 'fail', 'skip', 'error'];

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; margin: 0 0 .3em; }
h2 { font-size: 1.1em; margin: 1.2em 0 .3em; }
table.summary td, table.summary th { padding: .1em .8em; text-align: left; }
.filters { margin: 1em 0; }
.filters label { display: inline-block; padding: .2em .7em; margin-right: .3em; border: 1px solid #bbb; border-radius: 1em; cursor: pointer; }
#f-all:checked ~ .filters label[for="f-all"], #f-pass:checked ~ .filters label[for="f-pass"],
#f-fail:checked ~ .filters label[for="f-fail"], #f-skip:checked ~ .filters label[for="f-skip"],
#f-error:checked ~ .filters label[for="f-error"] { background: #333; color: #fff; }
#f-pass:checked ~ main .case:not(.v-pass), #f-fail:checked ~ main .case:not(.v-fail),
#f-skip:checked ~ main .case:not(.v-skip), #f-error:checked ~ main .case:not(.v-error) { display: none; }
.case { border-left: 4px solid #999; margin: .2em 0; padding: .1em .5em; }
.case summary { cursor: pointer; }
.v-pass { border-color: #2a7; } .v-fail { border-color: #d33; } .v-skip { border-color: #bbb; } .v-error { border-color: #e90; }
.verdict { font-weight: bold; display: inline-block; width: 3.5em; }
.id { font-family: monospace; display: inline-block; width: 7em; }
.reason { white-space: pre-wrap; color: #a11; }
.steps { color: #444; margin: .3em 0; }
.msg { margin: .4em 0; }
.msg .head { font-family: monospace; color: #555; }
pre { background: #f6f6f6; padding: .5em; overflow-x: auto; white-space: pre-wrap; word-break: break-all; margin: .2em 0; }
`;

export function htmlReport(report: RunReport): string {
  const c = report.counts;
  const out: string[] = [
    '<!DOCTYPE html>',
    '<html xmlns="http://www.w3.org/1999/xhtml" lang="en">',
    '<head>',
    '<meta charset="utf-8"/>',
    '<title>corral check report</title>',
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<h1>corral check</h1>',
  ];
  out.push(`<p>${text(dutLine(report))}</p>`);
  out.push(`<p>Started ${text(report.startedAt)}, finished ${text(report.finishedAt)}.</p>`);
  if (report.error !== undefined)
    out.push(`<p class="reason">The run could not start: ${text(report.error)}</p>`);
  out.push('<table class="summary"><tr><th>cases</th>');
  for (const v of VERDICTS) out.push(`<th>${v}</th>`);
  out.push(`</tr><tr><td data-count="total">${c.total}</td>`);
  for (const v of VERDICTS) out.push(`<td data-count="${v}">${c[v]}</td>`);
  out.push('</tr></table>');
  // The radios come before the filters and main: the CSS selects on them with the ~ combinator.
  out.push('<input type="radio" name="verdict" id="f-all" checked="checked" hidden="hidden"/>');
  for (const v of VERDICTS)
    out.push(`<input type="radio" name="verdict" id="f-${v}" hidden="hidden"/>`);
  out.push('<div class="filters">Show: <label for="f-all">all</label>');
  for (const v of VERDICTS) out.push(`<label for="f-${v}">${v} (${c[v]})</label>`);
  out.push('</div>');
  out.push('<main>');
  let area: string | undefined;
  for (const r of report.results) {
    if (r.area !== area) {
      area = r.area;
      out.push(`<h2>${text(area)}</h2>`);
    }
    out.push(caseHtml(r));
  }
  if (report.opening.length > 0) {
    out.push('<h2>Opening exchange</h2>');
    out.push(
      '<details><summary>The first session up to GetRPCMethods</summary>',
      ...report.opening.map(messageHtml),
      '</details>',
    );
  }
  out.push('</main>', '</body>', '</html>');
  return `${out.join('\n')}\n`;
}

function dutLine(report: RunReport): string {
  const dut = report.dut;
  if (dut === undefined) return 'No DUT called in.';
  const id = dut.deviceId;
  return `DUT ${id.Manufacturer ?? ''} ${id.OUI ?? ''}-${id.ProductClass ?? ''}-${id.SerialNumber ?? ''} (${dut.root}); RPC methods: ${dut.methods.join(', ')}`;
}

function caseHtml(r: CaseResult): string {
  const parts = [
    `<details class="case v-${r.verdict}" id="case-${attr(r.id)}">`,
    `<summary><span class="verdict">${r.verdict.toUpperCase()}</span> <span class="id">${text(r.id)}</span> ${text(r.title)}</summary>`,
    `<p>${text(r.clause)} · ${(r.durationMs / 1000).toFixed(3)} s</p>`,
  ];
  if (r.reason !== undefined) parts.push(`<p class="reason">${text(r.reason)}</p>`);
  if (r.steps.length > 0)
    parts.push(`<ol class="steps">${r.steps.map((s) => `<li>${text(s)}</li>`).join('')}</ol>`);
  if (r.notes.length > 0)
    parts.push(`<ul>${r.notes.map((n) => `<li>${text(n)}</li>`).join('')}</ul>`);
  parts.push(...r.evidence.map(messageHtml), '</details>');
  return parts.join('\n');
}

function messageHtml(e: EvidenceEntry): string {
  const who = e.direction === 'dut-to-lab' ? 'DUT → lab' : 'lab → DUT';
  const head = [
    e.at,
    who,
    e.kind,
    e.method ?? '',
    e.status === undefined ? '' : String(e.status),
    e.note === undefined ? '' : `(${e.note})`,
  ]
    .filter((s) => s !== '')
    .join(' ');
  const headers = Object.entries(e.headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return [
    '<div class="msg">',
    `<div class="head">${text(head)}</div>`,
    headers === '' ? '' : `<pre>${text(headers)}</pre>`,
    e.body === '' ? '' : `<pre>${text(e.body)}</pre>`,
    '</div>',
  ]
    .filter((s) => s !== '')
    .join('\n');
}
