/**
 * `corral check --scenario`: the shipped example passes against the simulator, reported like the built-in cases;
 * a scenario whose expectation the DUT does not meet fails at its step and still restores what it set; a bad
 * file is refused whole before the run, one line per problem.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { checkCommand } from '../cli/check-command.ts';
import { check, dir, sink, verdicts } from './testing/check-run.ts';

after(() => rmSync(dir, { recursive: true, force: true }));

const EXAMPLE = join(import.meta.dirname, '../../examples/scenarios/gateway-acceptance.json');

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

async function refused(args: string[]): Promise<{ code: number; lines: string[] }> {
  const err = sink();
  // --timeout 1: a file wrongly taken would start a run that ends at once for want of a DUT.
  const code = await checkCommand(
    ['--host', '127.0.0.1', '--port', '0', '--timeout', '1', ...args],
    {
      stdout: sink().stream,
      stderr: err.stream,
    },
  );
  return { code, lines: err.text().trimEnd().split('\n') };
}

describe('corral check --scenario', () => {
  test('the shipped example passes against the simulator, in every report', async () => {
    const run = await check('scenario-example', ['--cases', 'OP-*,GPN-001', '--scenario', EXAMPLE]);
    assert.deepEqual(
      verdicts(run.report, 'pass'),
      ['GPN-001', 'OP-WIFI-001', 'OP-SESSION-001'],
      run.stderr,
    );
    assert.equal(run.code, 0);
    const wifi = run.report.results.find((r) => r.id === 'OP-WIFI-001')!;
    assert.equal(wifi.area, 'Scenarios');
    assert.equal(wifi.clause, 'Operator acceptance plan §4.2 (Wi-Fi provisioning)');
    assert.match(wifi.steps[1]!, /^Set Device\.WiFi\.SSID\.1\.SSID|^Set \{root\}WiFi/);
    assert.ok(wifi.evidence.some((e) => e.body.includes('operator-acceptance')));
    assert.match(run.junit, /<testsuite name="Scenarios"[^>]*tests="2"/);
    assert.match(run.html, /OP-SESSION-001/);
    assert.match(run.stderr, /OP-SESSION-001 PASS/);
  });

  test('an expectation not met fails the scenario at its step, and what it set is restored', async () => {
    const scenario = file('failing.json', {
      id: 'OP-FAIL-001',
      title: 'The SSID reads back as something else',
      steps: [
        { set: { '{root}WiFi.SSID.1.SSID': 'first' } },
        { get: { '{root}WiFi.SSID.1.SSID': { match: '^second$' } } },
        { send: 'GetParameterValues', args: { ParameterNames: ['{root}WiFi.SSID.1.SSID'] } },
      ],
    });
    const run = await check('scenario-fail', ['--cases', 'OP-*', '--scenario', scenario]);
    assert.deepEqual(verdicts(run.report, 'fail'), ['OP-FAIL-001']);
    const result = run.report.results[0]!;
    assert.equal(
      result.reason,
      'step 2: Device.WiFi.SSID.1.SSID "first", which does not match /^second$/',
    );
    // The restore ran after the failure: a SetParameterValues back to the value read before.
    const sets = result.evidence.filter(
      (e) => e.body.includes('SetParameterValues>') && e.direction === 'lab-to-dut',
    );
    assert.equal(sets.length, 2);
    assert.doesNotMatch(sets[1]!.body, />first</);
    assert.equal(run.code, 1);
  });

  test('a bad file is refused before the run: one line per problem, naming the file, scenario and step', async () => {
    const bad = file('bad.json', [
      {
        id: 'OP-1',
        title: 'typos',
        steps: [
          { send: 'GetParameterNames', args: { ParameterPath: '', NextLevel: false } },
          { send: 'GetParameterValue', args: { ParameterNames: ['{root}DeviceInfo.'] } },
          { send: 'GetParameterValues', args: { ParameterName: ['x'] } },
          { get: { x: { match: '(' } } },
          { waitEvent: 'BOOT' },
          { pause: 1, get: { x: 'y' } },
          { send: 'Reboot', expect: { fault: 42 } },
        ],
      },
      { id: 'OP-3', title: '', steps: [] },
    ]);
    const clash = file('clash.json', {
      id: 'GPN-001',
      title: 'a built-in id',
      steps: [{ pause: 1 }],
    });
    const { code, lines } = await refused([
      '--scenario',
      bad,
      '--scenario',
      clash,
      '--scenario',
      file('not.json', '{"id": '),
    ]);
    assert.equal(code, 2);
    assert.deepEqual(lines, [
      'corral check: bad.json: OP-1: step 2: unknown RPC "GetParameterValue" (did you mean GetParameterValues?)',
      'corral check: bad.json: OP-1: step 3: GetParameterValues has no argument "ParameterName" (it takes ParameterNames)',
      'corral check: bad.json: OP-1: step 4: get x: "(" is not a regular expression (Invalid regular expression: /(/: Unterminated group)',
      'corral check: bad.json: OP-1: step 5: waitEvent must be an event code such as "1 BOOT" or "M Reboot", got "BOOT"',
      'corral check: bad.json: OP-1: step 6: more than one action (get, pause): one per step',
      'corral check: bad.json: OP-1: step 7: expect.fault must be a CWMP fault code (8000–9899), got 42',
      'corral check: bad.json: OP-3: title must be a non-empty string',
      'corral check: bad.json: OP-3: steps must be a non-empty list',
      'corral check: clash.json: the id GPN-001 is already a built-in case',
      `corral check: not.json: not JSON (${(() => {
        try {
          JSON.parse('{"id": ');
        } catch (e) {
          return (e as Error).message;
        }
      })()})`,
    ]);
  });

  test('a single scenario names its step without an id; --list shows scenarios beside the built-in cases', async () => {
    const one = file('one.json', {
      id: 'OP-9',
      title: 't',
      steps: [{ send: 'GetParameterNames', args: { ParameterPath: '', NextLevel: 'yes' } }],
    });
    const { code, lines } = await refused(['--scenario', one]);
    assert.equal(code, 2);
    assert.equal(lines.length, 1);
    assert.match(
      lines[0]!,
      /^corral check: one\.json: step 1: GetParameterNames's NextLevel takes true or false, not "yes"$/,
    );
    const out = sink();
    assert.equal(
      await checkCommand(['--list', '--scenario', EXAMPLE, '--cases', 'OP-*'], {
        stdout: out.stream,
        stderr: sink().stream,
      }),
      0,
    );
    assert.match(out.text(), /OP-WIFI-001/);
    assert.match(out.text(), /OP-SESSION-001/);
  });
});
