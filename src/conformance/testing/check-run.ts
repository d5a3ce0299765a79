/**
 * The conformance tests' way of running `corral check`: in-process, against a simulated DUT started once the lab
 * listens (real sockets, loopback, random ports), its reports read back; and the case sets the runs share.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { checkCommand } from '../../cli/check-command.ts';
import { LocalControl } from '../../cpe/device/local-control.ts';
import { type SimulatedDut, startSimulatedDut } from '../../cpe/testing/simulated-dut.ts';
import { CATALOGUE } from '../catalogue.ts';
import { shellQuote } from '../local-change.ts';
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

/**
 * The --local-change-command a CPE engineer would give, played by node (curl is not on every machine): it posts the
 * change to the simulator's local control, as `curl --data-urlencode` would.
 */
export function localChangeCommand(valuesUrl: string): string {
  const script =
    "fetch(process.argv[1],{method:'POST',body:new URLSearchParams({path:process.argv[2],value:process.argv[3]})})" +
    '.then(async(r)=>{if(!r.ok){console.error(r.status,await r.text());process.exit(1)}},(e)=>{console.error(e.message);process.exit(1)})';
  return `${shellQuote(process.execPath)} -e ${shellQuote(script)} ${shellQuote(valuesUrl)} "$1" "$2"`;
}

/**
 * Runs `corral check` with `args`, starting a simulated DUT pointed at the lab once it listens; the DUT has a local
 * control the lab's --local-change-command reaches.
 */
export async function check(
  name: string,
  args: string[] = [],
  dutOptions: Parameters<typeof startSimulatedDut>[1] = {},
  /**
   * localChange false: no --local-change-command (one given in `args` replaces the default too);
   * localChangeDelaySeconds: the command takes that long (a slow ssh).
   */
  options: { localChange?: boolean; localChangeDelaySeconds?: number } = {},
): Promise<CheckRun> {
  const json = join(dir, `${name}.json`);
  const junit = join(dir, `${name}.xml`);
  const html = join(dir, `${name}.html`);
  const out = sink();
  const err = sink();
  let dut: Promise<SimulatedDut> | undefined;
  const control = await LocalControl.start();
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
      ...(options.localChange === false || args.includes('--local-change-command')
        ? []
        : [
            '--local-change-command',
            `${options.localChangeDelaySeconds === undefined ? '' : `sleep ${options.localChangeDelaySeconds}; `}${localChangeCommand(control.valuesUrl('DUT0001'))}`,
          ]),
      ...args,
    ],
    {
      stdout: out.stream,
      stderr: err.stream,
      onListening: (url) => {
        dut = startSimulatedDut(url, { localControl: control, ...dutOptions });
      },
    },
  );
  await (await dut)?.close();
  await control.close();
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
