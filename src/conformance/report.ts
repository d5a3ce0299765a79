/** A run's report: the DUT, each case's verdict and evidence; the counts the JSON and JUnit reports share. */
import type { ConformanceCase } from './case.ts';
import type { EvidenceEntry } from './evidence.ts';
import type { CaseResult, Verdict } from './runner.ts';

export interface RunReport {
  startedAt: string;
  finishedAt: string;
  /** Undefined when no DUT called in. */
  dut?: { deviceId: Record<string, string>; root: string; methods: string[] };
  /** Why the run could not start (no Inform within --timeout, …). */
  error?: string;
  /** The exchange before the first case: the DUT's first session up to GetRPCMethods. */
  opening: EvidenceEntry[];
  counts: Record<Verdict, number> & { total: number };
  results: CaseResult[];
}

export function countVerdicts(results: readonly CaseResult[]): RunReport['counts'] {
  const counts = { pass: 0, fail: 0, skip: 0, error: 0, total: results.length };
  for (const r of results) counts[r.verdict]++;
  return counts;
}

/** The end-of-run table: one line per case, then the counts. */
export function summaryTable(report: RunReport): string {
  const rows = report.results.map((r) => [
    r.id,
    r.verdict.toUpperCase(),
    r.title,
    r.verdict === 'pass' ? '' : oneLine(r.reason ?? ''),
  ]);
  const widths = [0, 1].map((i) => Math.max(...rows.map((row) => row[i]!.length), 4));
  const lines = rows.map((row) =>
    `${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padEnd(widths[1]!)}  ${row[2]}${row[3] ? ` — ${row[3]}` : ''}`.trimEnd(),
  );
  const c = report.counts;
  lines.push(
    `${c.total} cases: ${c.pass} passed, ${c.fail} failed, ${c.skip} skipped, ${c.error} errors`,
  );
  return `${lines.join('\n')}\n`;
}

/** `corral check --list`: the catalogue, one case a line, with its clause and requirements. */
export function catalogueTable(cases: readonly ConformanceCase[]): string {
  const lines: string[] = [];
  let area = '';
  for (const c of cases) {
    if (c.area !== area) {
      area = c.area;
      lines.push(`${lines.length === 0 ? '' : '\n'}${area}`);
    }
    const needs = [
      ...(c.requires.rpcs ?? []),
      ...(c.requires.objects ?? []),
      ...(c.requires.destructive === true ? ['destructive'] : []),
    ];
    lines.push(
      `  ${c.id.padEnd(9)} ${c.title} (${c.clause})${needs.length > 0 ? ` [${needs.join(', ')}]` : ''}`,
    );
  }
  return `${lines.join('\n')}\n${cases.length} cases\n`;
}

function oneLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}
