/**
 * GetOptions and SetVouchers in the lab, proven on the simulator, which lists neither: the cases that need them
 * skip, saying so, and OPT-004 holds it to fault 9000 with the session going on; one that answers an unlisted
 * GetOptions with 9002 fails OPT-004, and one that drops the connection on it fails OPT-004 with the lab going on.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { check, dir, verdicts } from './testing/check-run.ts';

after(() => rmSync(dir, { recursive: true, force: true }));

describe('corral check: GetOptions and SetVouchers', () => {
  test('a simulator listing neither: OPT-001…003 skip saying why, OPT-004 passes', async () => {
    const run = await check('options', ['--cases', 'OPT-*,RPC-001']);
    assert.deepEqual(verdicts(run.report, 'skip'), ['OPT-001', 'OPT-002', 'OPT-003']);
    assert.deepEqual(verdicts(run.report, 'pass'), ['RPC-001', 'OPT-004']);
    assert.match(
      run.report.results.find((r) => r.id === 'OPT-001')?.reason ?? '',
      /does not list GetOptions in GetRPCMethods/,
    );
    assert.match(
      run.report.results.find((r) => r.id === 'OPT-003')?.reason ?? '',
      /does not list SetVouchers/,
    );
  });

  test('an unlisted GetOptions answered 9002, or with a dropped connection, fails OPT-004; the lab goes on', async () => {
    const faulted = await check('options-9002', ['--cases', 'OPT-004,RPC-001'], {
      behaviour: { faults: { faultFor: { GetOptions: 9002 } } },
    });
    assert.deepEqual(verdicts(faulted.report, 'fail'), ['OPT-004']);
    assert.match(
      faulted.report.results.at(-1)?.reason ?? '',
      /GetOptions: fault 9000, got fault 9002/,
    );
    const dropped = await check('options-drop', ['--cases', 'OPT-004,RPC-001,GPN-001'], {
      behaviour: { faults: { dropOn: 'GetOptions' } },
    });
    assert.deepEqual(verdicts(dropped.report, 'fail'), ['OPT-004']);
    assert.deepEqual(verdicts(dropped.report, 'pass'), ['RPC-001', 'GPN-001']);
  });
});
