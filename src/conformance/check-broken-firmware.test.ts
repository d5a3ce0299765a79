/**
 * Firmware downloads, proven on the simulator: it takes an image whose first line is `CORRAL-FIRMWARE version=V`
 * (src/cpe/transfers/firmware.ts) and reports V as its SoftwareVersion after the reboot. Given one with --firmware,
 * DL-006 and DL-007 pass; without it they skip, saying why. A simulator that flashes an image without the reboot
 * fails DL-006 only; one that flashes a truncated image fails DL-007 only.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { checkCommand } from '../cli/check-command.ts';
import { check, dir, sink, verdicts } from './testing/check-run.ts';

after(() => rmSync(dir, { recursive: true, force: true }));

const VERSION = '9.1.0-lab';
/** What the simulator takes as an image: its version line, then a body (a real image is the vendor's). */
function imageFile(): string {
  const file = join(dir, 'corral-gateway.img');
  const body = Buffer.alloc(64 * 1024, 0x5a);
  writeFileSync(file, Buffer.concat([Buffer.from(`CORRAL-FIRMWARE version=${VERSION}\n`), body]));
  return file;
}

const CASES = 'DL-*,UL-001,BOOT-001';
const firmwareArgs = () => [
  '--include-destructive',
  '--firmware',
  imageFile(),
  '--firmware-version',
  VERSION,
  '--cases',
  CASES,
];

describe('corral check: firmware download', () => {
  test('the simulator flashes the image, reboots and reports it; a truncated one it refuses', async () => {
    const run = await check('firmware', firmwareArgs());
    assert.deepEqual(verdicts(run.report, 'fail'), [], run.stderr);
    assert.deepEqual(verdicts(run.report, 'skip'), [], run.stderr);
    assert.ok(verdicts(run.report, 'pass').includes('DL-006'));
    const six = run.report.results.find((r) => r.id === 'DL-006')!;
    assert.match(six.notes.join('\n'), new RegExp(`"${VERSION.replaceAll('.', '\\.')}" after`));
    assert.ok(six.evidence.some((e) => e.kind === 'file' && e.method === 'GET'));
    const seven = run.report.results.find((r) => r.id === 'DL-007')!;
    assert.equal(seven.verdict, 'pass');
    assert.match(seven.notes.join('\n'), /TransferComplete fault 9018/);
  });

  test('without --firmware both skip, saying why', async () => {
    const run = await check('firmware-none', ['--include-destructive', '--cases', 'DL-006,DL-007']);
    assert.deepEqual(verdicts(run.report, 'skip'), ['DL-006', 'DL-007']);
    assert.match(run.report.results[0]!.reason ?? '', /no --firmware FILE/);
  });

  test('a simulator that flashes without rebooting fails DL-006 only', async () => {
    const run = await check('firmware-no-reboot', firmwareArgs(), {
      behaviour: { firmware: 'no-reboot' },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['DL-006'], run.stderr);
    assert.deepEqual(verdicts(run.report, 'error'), []);
    assert.match(run.report.results.find((r) => r.id === 'DL-006')!.reason ?? '', /1 BOOT/);
  });

  test('a simulator that flashes a truncated image fails DL-007 only', async () => {
    const run = await check('firmware-unchecked', firmwareArgs(), {
      behaviour: { firmware: 'size-unchecked' },
    });
    assert.deepEqual(verdicts(run.report, 'fail'), ['DL-007'], run.stderr);
    assert.deepEqual(verdicts(run.report, 'error'), []);
    assert.match(
      run.report.results.find((r) => r.id === 'DL-007')!.reason ?? '',
      /fault 9010\/9018\/9019, got 0/,
    );
  });

  test('--firmware-version without --firmware, or an image that cannot be read, is one line, exit 2', async () => {
    for (const [args, message] of [
      [['--firmware-version', '1.2'], /^corral check: --firmware-version goes with --firmware\n/],
      [
        ['--firmware', join(dir, 'no-such.img')],
        /^corral check: cannot read the firmware image .*no-such\.img \(.*\)\n$/,
      ],
    ] as const) {
      const err = sink();
      const code = await checkCommand(['--port', '0', ...args], {
        stdout: sink().stream,
        stderr: err.stream,
      });
      assert.equal(code, 2);
      assert.match(err.text(), message);
      assert.doesNotMatch(err.text(), /\n\s+at /);
    }
  });
});
