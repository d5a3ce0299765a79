/**
 * Value-change notification in the lab, proven on the simulator: with its local control (the lab's
 * --local-change-command) it passes every NOTIF case; a device that leaves its own changes unreported, or reports
 * the ACS's changes back, fails exactly the matching cases; without a command the cases that need one skip, saying
 * why; a command that fails fails its case with what the command said.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { checkCommand } from '../cli/check-command.ts';
import { IGD_GATEWAY } from '../datamodel/profiles/index.ts';
import { check, dir, sink, verdicts } from './testing/check-run.ts';

after(() => rmSync(dir, { recursive: true, force: true }));

const ALL = [
  'NOTIF-001',
  'NOTIF-002',
  'NOTIF-003',
  'NOTIF-004',
  'NOTIF-005',
  'NOTIF-006',
  'NOTIF-007',
];

describe('corral check: value-change notification', () => {
  test('the simulator, changed through its local control, passes every NOTIF case (Device:2 and IGD:1)', async () => {
    for (const profile of [undefined, IGD_GATEWAY]) {
      const run = await check(
        `notify-${profile === undefined ? 'device2' : 'igd'}`,
        ['--cases', 'NOTIF-*'],
        profile === undefined ? {} : { profile },
      );
      assert.deepEqual(verdicts(run.report, 'pass'), ALL, run.stderr);
      assert.equal(run.code, 0);
      const passive = run.report.results.find((r) => r.id === 'NOTIF-001')!;
      assert.match(passive.notes.join('\n'), /changed .*SSID by itself/);
      assert.ok(
        passive.evidence.some(
          (e) => e.direction === 'dut-to-lab' && e.body.includes('4 VALUE CHANGE'),
        ),
      );
    }
  });

  test('a DUT that leaves its own changes unreported fails the cases that expect a report, and only those', async () => {
    const run = await check('notify-unreported', ['--cases', 'NOTIF-*'], {
      behaviour: { valueChanges: 'unreported' },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), [
      'NOTIF-001',
      'NOTIF-002',
      'NOTIF-006',
      'NOTIF-007',
    ]);
    assert.deepEqual(verdicts(run.report, 'pass'), ['NOTIF-003', 'NOTIF-004', 'NOTIF-005']);
    assert.match(run.report.results[0]!.reason ?? '', /4 VALUE CHANGE, got 3 SCHEDULED/);
    assert.match(run.report.results[1]!.reason ?? '', /a session with 4 VALUE CHANGE within \d+ s/);
  });

  test('a DUT that reports the ACS’s own changes back fails NOTIF-004, and only it', async () => {
    const run = await check('notify-acs', ['--cases', 'NOTIF-*'], {
      behaviour: { valueChanges: 'acs-changes-reported' },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['NOTIF-004']);
    assert.match(
      run.report.results.find((r) => r.id === 'NOTIF-004')!.reason ?? '',
      /not in the ParameterList/,
    );
  });

  test('a local-change command slower than the ScheduleInform delay: the next Inform is asked for again', async () => {
    const run = await check(
      'notify-slow',
      ['--cases', 'NOTIF-001,NOTIF-003'],
      {},
      {
        localChangeDelaySeconds: 3,
      },
    );
    assert.deepEqual(verdicts(run.report, 'pass'), ['NOTIF-001', 'NOTIF-003'], run.stderr);
    assert.match(run.report.results[0]!.notes.join('\n'), /past the ScheduleInform delay/);
  });

  test('without --local-change-command the cases that need one skip, saying why; the others run', async () => {
    const run = await check('notify-none', ['--cases', 'NOTIF-*'], {}, { localChange: false });
    assert.deepEqual(verdicts(run.report, 'skip'), [
      'NOTIF-001',
      'NOTIF-002',
      'NOTIF-003',
      'NOTIF-006',
      'NOTIF-007',
    ]);
    assert.deepEqual(verdicts(run.report, 'pass'), ['NOTIF-004', 'NOTIF-005']);
    assert.match(run.report.results[0]!.reason ?? '', /no --local-change-command/);
  });

  test('a local-change command that fails fails its case with what it said, never showing the command', async () => {
    const run = await check('notify-broken-hook', [
      '--cases',
      'NOTIF-001',
      '--local-change-command',
      'echo "cli: permission denied for $1" >&2; exit 3 # secret-in-command',
    ]);
    assert.deepEqual(verdicts(run.report, 'fail'), ['NOTIF-001']);
    assert.match(
      run.report.results[0]!.reason ?? '',
      /^local-change: the local-change command failed \(exit 3\): cli: permission denied for Device\.WiFi\.SSID\.1\.SSID$/,
    );
    assert.doesNotMatch(JSON.stringify(run.report), /secret-in-command/);
  });

  test('the new options refuse what does not go together in one line, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--local-change-parameter', 'Device.X'],
        /--local-change-parameter goes with --local-change-command/,
      ],
      [
        ['--xmpp-service', 'xmpp://127.0.0.1:5222'],
        /--xmpp-service, --xmpp-jid and --xmpp-password/,
      ],
      [
        ['--xmpp-service', 'http://x', '--xmpp-jid', 'a@b', '--xmpp-password', 'p'],
        /--xmpp-service must be xmpp:\/\/HOST:PORT/,
      ],
      [['--tls-ca-cert', 'ca.pem'], /--tls-ca-cert and --tls-ca-key go together/],
      [['--tls-ca-cert', 'ca.pem', '--tls-ca-key', 'ca.key'], /--tls-ca-cert goes with --tls-cert/],
    ];
    for (const [args, message] of cases) {
      const err = sink();
      const code = await checkCommand(['--port', '0', ...args], {
        stdout: sink().stream,
        stderr: err.stream,
      });
      assert.equal(code, 2, args.join(' '));
      assert.match(err.text().split('\n')[0]!, message);
    }
  });
});
