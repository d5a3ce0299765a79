import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compareCodePoints, prefixUpperBound } from './text-range.ts';

describe('prefixUpperBound', () => {
  it('bumps the last code point', () => {
    assert.equal(prefixUpperBound('Device.WiFi.'), 'Device.WiFi/');
    assert.equal(prefixUpperBound('a\u0000'), 'a\u0001');
    assert.equal(prefixUpperBound('a\ud7ff'), 'a\ue000');
    assert.equal(prefixUpperBound('a\u{10ffff}'), 'b');
    assert.equal(prefixUpperBound(''), undefined);
    assert.equal(prefixUpperBound('\u{10ffff}\u{10ffff}'), undefined);
  });

  it('bounds exactly the strings with the prefix (property)', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', 'b', '.', '\u0000', '\u{10ffff}', 'é', '😀'),
      maxLength: 6,
    });
    fc.assert(
      fc.property(text, text, (prefix, s) => {
        const upper = prefixUpperBound(prefix);
        const inRange =
          compareCodePoints(prefix, s) <= 0 &&
          (upper === undefined || compareCodePoints(s, upper) < 0);
        assert.equal(inRange, s.startsWith(prefix));
      }),
    );
  });
});
