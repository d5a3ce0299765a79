import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareCodePoints } from '../text-range.ts';
import { fromDb, toDb } from './text-escape.ts';

/** Every string of up to `n` characters over a small alphabet that has the escaped characters in it. */
function strings(n: number): string[] {
  const alphabet = ['\u0000', '\u0001', '\u0002', 'a', '\u{10ffff}'];
  let level = [''];
  const all = [''];
  for (let i = 0; i < n; i++) {
    level = level.flatMap((s) => alphabet.map((c) => s + c));
    all.push(...level);
  }
  return all;
}

describe('text escape for PostgreSQL', () => {
  const all = strings(3);

  it('round-trips every string and leaves no U+0000 in the stored form', () => {
    for (const s of all) {
      assert.equal(fromDb(toDb(s)), s);
      assert.equal(toDb(s).includes('\u0000'), false);
    }
    assert.equal(toDb('plain text'), 'plain text');
  });

  it('keeps code-point order and prefixes, so ranges on stored text mean what they did', () => {
    for (const a of all) {
      for (const b of all) {
        assert.equal(
          Math.sign(compareCodePoints(toDb(a), toDb(b))),
          Math.sign(compareCodePoints(a, b)),
          JSON.stringify([a, b]),
        );
      }
      for (const b of all) {
        assert.equal(toDb(b).startsWith(toDb(a)), b.startsWith(a), JSON.stringify([a, b]));
      }
    }
  });
});
