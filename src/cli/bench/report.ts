/**
 * The bench's results: the one JSON object (`--json`), the table on the terminal, and the Markdown report with
 * the machine's details and a hand-written SVG chart (throughput per ACS CPU-second beside the floor's, and S1's
 * latency), written under bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Throughput } from './context.ts';
import type { MachineInfo } from './proc.ts';
import type { S1Result } from './scenarios/s1-periodic.ts';
import type { S2Result } from './scenarios/s2-first-contact.ts';
import type { S3Result } from './scenarios/s3-storm.ts';
import type { S4Result } from './scenarios/s4-scale.ts';
import type { S5Result } from './scenarios/s5-task.ts';
import type { S6Result } from './scenarios/s6-nodes.ts';

export interface BenchReport {
  machine: MachineInfo;
  options: Record<string, unknown>;
  startedAt: string;
  finishedAt?: string;
  S1?: S1Result;
  S2?: S2Result;
  S3?: S3Result;
  S4?: S4Result;
  S5?: S5Result;
  S6?: S6Result;
  /** The floor's figures, measured in the same run by the same load. */
  floor: { S1?: Throughput; S2?: { zeroTouch: Throughput; preset: Throughput } };
}

const n = (v: number | null | undefined) =>
  v === null || v === undefined ? 'n/a' : v.toLocaleString('en-US');
const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? 'n/a' : `${(v * 100).toFixed(1)} %`;
const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

/** Rows of [what, ACS, floor, ratio or note]. */
function rows(r: BenchReport): string[][] {
  const out: string[][] = [];
  const throughputRow = (
    name: string,
    acs: Throughput,
    floor: Throughput | undefined,
    ratio: number | null,
  ) => {
    out.push([
      `${name}: sessions per CPU-second`,
      n(acs.sessionsPerCpuSecond),
      n(floor?.sessionsPerCpuSecond),
      pct(ratio),
    ]);
    out.push([
      `${name}: sessions/s (wall), p50 / p99`,
      `${n(acs.sessionsPerSec)}, ${acs.p50Ms} / ${acs.p99Ms} ms`,
      floor === undefined ? '' : `${n(floor.sessionsPerSec)}, ${floor.p50Ms} / ${floor.p99Ms} ms`,
      acs.failed > 0 ? `${acs.failed} failed` : '',
    ]);
  };
  if (r.S1) {
    throughputRow(
      `S1 periodic (${n(r.S1.devices)} devices)`,
      r.S1.acs,
      r.floor.S1,
      r.S1.ratioToFloor,
    );
    for (const l of r.S1.latency)
      out.push([
        `S1 at ${l.load * 100} % (${l.ratePerSec}/s): p50 / p99`,
        `${l.p50Ms} / ${l.p99Ms} ms`,
        `${l.floor.p50Ms} / ${l.floor.p99Ms} ms`,
        '',
      ]);
  }
  if (r.S2) {
    throughputRow(
      'S2 first contact, zero-touch',
      r.S2.zeroTouch.acs,
      r.S2.zeroTouch.floor,
      r.S2.zeroTouch.ratioToFloor,
    );
    throughputRow(
      'S2 first contact + preset',
      r.S2.preset.acs,
      r.S2.preset.floor,
      r.S2.preset.ratioToFloor,
    );
  }
  if (r.S3) {
    const s = r.S3;
    out.push([
      `S3 storm: ${n(s.devices)} boots within ${s.windowSeconds} s`,
      s.served === s.devices
        ? `all served in ${s.drainedSeconds} s`
        : `${n(s.served)} served, ${n(s.devices - s.served)} not after ${s.drainedSeconds} s`,
      '',
      `${n(s.status503)} 503s`,
    ]);
    out.push([
      'S3 storm: client timeouts, dropped; Informs recorded',
      `${n(s.timeouts)}, ${n(s.dropped)}; ${n(s.bootEventsCounted)}`,
      '',
      `session p99 ${s.sessionP99Ms} ms`,
    ]);
    out.push([
      'S3 storm: peak RSS, lost devices / events',
      mib(s.peakRssBytes),
      '',
      `${s.lostDevices} / ${s.lostEvents}`,
    ]);
  }
  if (r.S4) {
    out.push([
      `S4 scale: ${n(r.S4.storeDevices)} devices, sessions per CPU-second`,
      n(r.S4.acs.sessionsPerCpuSecond),
      '',
      r.S4.ratioToS1 === null ? '' : `${pct(r.S4.ratioToS1)} of S1`,
    ]);
    out.push([
      'S4 scale: ACS RSS after, peak',
      `${mib(r.S4.rssBytes)}, ${mib(r.S4.peakRssBytes)}`,
      '',
      '',
    ]);
  }
  if (r.S5) {
    out.push([
      `S5 task round trip (${r.S5.tasks}): p50 / p99`,
      `${r.S5.p50Ms} / ${r.S5.p99Ms} ms`,
      '',
      `${r.S5.done} done`,
    ]);
  }
  if (r.S6) {
    for (const run of r.S6.runs) {
      out.push([
        `S6 ${run.store}, ${run.nodes} node${run.nodes > 1 ? 's' : ''}: sessions/s; per ACS, per ACS+DB CPU-second`,
        `${n(run.acs.sessionsPerSec)}; ${n(run.acs.sessionsPerCpuSecond)}, ${n(run.sessionsPerTotalCpuSecond)}`,
        '',
        `p99 ${run.acs.p99Ms} ms`,
      ]);
    }
  }
  return out;
}

const HEAD = ['', 'ACS', 'floor', 'ACS / floor'];

export function table(r: BenchReport): string {
  const all = [HEAD, ...rows(r)];
  const widths = HEAD.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return `${[line(HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...rows(r).map(line)].join('\n')}\n`;
}

function markdown(r: BenchReport, svgName: string): string {
  const m = r.machine;
  const md = [
    `# corral bench, ${r.startedAt}`,
    '',
    `- machine: ${m.cores} cores, ${m.cpuModel}, ${m.platform}`,
    `- Node ${m.node}; commit ${m.commit ?? 'not a git checkout'}`,
    `- processes ${m.taskset ? 'pinned with taskset: the ACS and the floor on core 0, the load on the last core' : 'not pinned (no taskset here)'}`,
    `- options: ${JSON.stringify(r.options)}`,
    '',
    `| ${HEAD.join(' | ')} |`,
    `| ${HEAD.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows(r).map((row) => `| ${row.join(' | ')} |`),
    '',
    `![throughput and latency](${svgName})`,
    '',
    'Sessions per CPU-second: sessions completed over the utime + stime of the server process (the ACS, or the',
    'floor: a node:http server answering the same sessions with canned bytes) in the measured window.',
    '',
  ];
  return md.join('\n');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Bars of sessions per CPU-second (ACS beside floor) and S1's latency at 50 % and 90 % load. */
export function svg(r: BenchReport): string {
  const bars: Array<{ label: string; acs: number; floor: number | null }> = [];
  if (r.S1)
    bars.push({
      label: 'S1 periodic',
      acs: r.S1.acs.sessionsPerCpuSecond ?? 0,
      floor: r.floor.S1?.sessionsPerCpuSecond ?? null,
    });
  if (r.S2) {
    bars.push({
      label: 'S2 zero-touch',
      acs: r.S2.zeroTouch.acs.sessionsPerCpuSecond ?? 0,
      floor: r.S2.zeroTouch.floor.sessionsPerCpuSecond,
    });
    bars.push({
      label: 'S2 + preset',
      acs: r.S2.preset.acs.sessionsPerCpuSecond ?? 0,
      floor: r.S2.preset.floor.sessionsPerCpuSecond,
    });
  }
  if (r.S4)
    bars.push({
      label: `S4 at ${n(r.S4.storeDevices)}`,
      acs: r.S4.acs.sessionsPerCpuSecond ?? 0,
      floor: null,
    });
  const width = 760;
  const height = 360;
  const left = { x: 60, y: 40, w: 400, h: 260 };
  const max = Math.max(1, ...bars.flatMap((b) => [b.acs, b.floor ?? 0]));
  const scale = (v: number) => (v / max) * left.h;
  const slot = left.w / Math.max(1, bars.length);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left.x}" y="20" font-size="13" font-weight="bold">Sessions per server CPU-second</text>`,
    `<line x1="${left.x}" y1="${left.y + left.h}" x2="${left.x + left.w}" y2="${left.y + left.h}" stroke="#333"/>`,
  ];
  bars.forEach((b, i) => {
    const x = left.x + i * slot + slot * 0.1;
    const w = slot * 0.38;
    const base = left.y + left.h;
    parts.push(
      `<rect x="${x}" y="${base - scale(b.acs)}" width="${w}" height="${scale(b.acs)}" fill="#2b6cb0"/>`,
    );
    parts.push(
      `<text x="${x + w / 2}" y="${base - scale(b.acs) - 3}" text-anchor="middle">${n(b.acs)}</text>`,
    );
    if (b.floor !== null) {
      parts.push(
        `<rect x="${x + w}" y="${base - scale(b.floor)}" width="${w}" height="${scale(b.floor)}" fill="#a0aec0"/>`,
      );
      parts.push(
        `<text x="${x + w * 1.5}" y="${base - scale(b.floor) - 3}" text-anchor="middle">${n(b.floor)}</text>`,
      );
    }
    parts.push(`<text x="${x + w}" y="${base + 14}" text-anchor="middle">${esc(b.label)}</text>`);
  });
  parts.push(
    `<rect x="${left.x}" y="${height - 28}" width="10" height="10" fill="#2b6cb0"/><text x="${left.x + 14}" y="${height - 19}">ACS</text>`,
  );
  parts.push(
    `<rect x="${left.x + 60}" y="${height - 28}" width="10" height="10" fill="#a0aec0"/><text x="${left.x + 74}" y="${height - 19}">floor</text>`,
  );
  // S1's latency: p50 and p99 at each load.
  const lat = r.S1?.latency ?? [];
  const right = { x: 540, y: 40, w: 180, h: 260 };
  const maxMs = Math.max(1, ...lat.map((l) => l.p99Ms));
  parts.push(
    `<text x="${right.x}" y="20" font-size="13" font-weight="bold">S1 latency (ms)</text>`,
  );
  parts.push(
    `<line x1="${right.x}" y1="${right.y + right.h}" x2="${right.x + right.w}" y2="${right.y + right.h}" stroke="#333"/>`,
  );
  lat.forEach((l, i) => {
    const x = right.x + i * (right.w / Math.max(1, lat.length)) + 10;
    const base = right.y + right.h;
    const h50 = (l.p50Ms / maxMs) * right.h;
    const h99 = (l.p99Ms / maxMs) * right.h;
    parts.push(`<rect x="${x}" y="${base - h50}" width="30" height="${h50}" fill="#38a169"/>`);
    parts.push(`<rect x="${x + 30}" y="${base - h99}" width="30" height="${h99}" fill="#dd6b20"/>`);
    parts.push(`<text x="${x + 15}" y="${base - h50 - 3}" text-anchor="middle">${l.p50Ms}</text>`);
    parts.push(`<text x="${x + 45}" y="${base - h99 - 3}" text-anchor="middle">${l.p99Ms}</text>`);
    parts.push(
      `<text x="${x + 30}" y="${base + 14}" text-anchor="middle">at ${l.load * 100} %</text>`,
    );
  });
  parts.push(
    `<rect x="${right.x}" y="${height - 28}" width="10" height="10" fill="#38a169"/><text x="${right.x + 14}" y="${height - 19}">p50</text>`,
  );
  parts.push(
    `<rect x="${right.x + 50}" y="${height - 28}" width="10" height="10" fill="#dd6b20"/><text x="${right.x + 64}" y="${height - 19}">p99</text>`,
  );
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** Writes bench-STAMP.md and bench-STAMP.svg under `dir`. */
export function writeReport(r: BenchReport, dir: string): { markdown: string; svg: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = r.startedAt.replace(/[:.]/g, '-').replace(/-\d+Z$/, 'Z');
  const svgName = `bench-${stamp}.svg`;
  const files = { markdown: join(dir, `bench-${stamp}.md`), svg: join(dir, svgName) };
  writeFileSync(files.svg, svg(r));
  writeFileSync(files.markdown, markdown(r, svgName));
  return files;
}
