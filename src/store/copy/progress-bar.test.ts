import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { countsTable, ProgressBar } from './progress-bar.ts';

function capture(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => {
    text += d;
  });
  return { out, text: () => text };
}

describe('copy progress', () => {
  it('redraws one bar in place on a terminal, at most ten times a second', () => {
    const { out, text } = capture();
    let now = 0;
    const bar = new ProgressBar(out, true, () => now);
    bar.update({ table: 'devices', tableRows: 0, tableTotal: 10, copied: 0, total: 20 });
    bar.update({ table: 'devices', tableRows: 5, tableTotal: 10, copied: 5, total: 20 }); // too soon
    now = 200;
    bar.update({ table: 'devices', tableRows: 10, tableTotal: 10, copied: 10, total: 20 });
    bar.end();
    const frames = text()
      .split('\r')
      .filter((f) => f !== '');
    assert.equal(frames.length, 2);
    assert.match(frames[1]!, / 50% 10\/20 rows {2}devices 10\/10\n$/);
    assert.match(frames[1]!, /\[#{15}-{15}\]/);
  });

  it('writes plain lines elsewhere: one per table, then every ten seconds', () => {
    const { out, text } = capture();
    let now = 0;
    const bar = new ProgressBar(out, false, () => now);
    bar.update({ table: 'a', tableRows: 0, tableTotal: 2, copied: 0, total: 3 });
    bar.update({ table: 'a', tableRows: 1, tableTotal: 2, copied: 1, total: 3 });
    now = 10_000;
    bar.update({ table: 'a', tableRows: 2, tableTotal: 2, copied: 2, total: 3 });
    bar.update({ table: 'b', tableRows: 0, tableTotal: 1, copied: 2, total: 3 });
    bar.end();
    assert.equal(
      text(),
      'copying a: 0/2 rows (0/3 in all)\ncopying a: 2/2 rows (2/3 in all)\ncopying b: 0/1 rows (2/3 in all)\n',
    );
  });

  it('prints the counts side by side and marks a difference', () => {
    assert.equal(
      countsTable([
        { table: 'devices', source: 1200, target: 1200 },
        { table: 'tasks', source: 3, target: 2 },
      ]),
      'table         source       target\ndevices        1,200        1,200\ntasks              3            2  MISMATCH\n',
    );
  });
});
