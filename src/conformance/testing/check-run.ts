/**
 * The conformance tests' way of running `corral check`: in-process, against a simulated DUT started once the lab
 * listens (real sockets, loopback, random ports), its reports read back; and the case sets the runs share.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { checkCommand } from '../../cli/check-command.ts';
import { type SimulatedDut, startSimulatedDut } from '../../cpe/testing/simulated-dut.ts';
import { CATALOGUE } from '../catalogue.ts';
import type { RunReport } from '../report.ts';

/** Where the runs write their reports (one directory per test file's process; the file removes it). */
export const dir = mkdtempSync(join(tmpdir(), 'corral-check-'));

export function sink(): { stream: Writable; text: () => string } {
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

export interface CheckRun {
  code: number;
  report: RunReport;
  junit: string;
  html: string;
  stderr: string;
}

/** Runs `corral check` with `args`, starting a simulated DUT pointed at the lab once it listens. */
export async function check(
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
export const SLOW = new Set([
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
export const QUICK_CASES = CATALOGUE.filter((c) => !SLOW.has(c.id))
  .map((c) => c.id)
  .join(',');

export const verdicts = (report: RunReport, verdict: string) =>
  report.results.filter((r) => r.verdict === verdict).map((r) => r.id);
