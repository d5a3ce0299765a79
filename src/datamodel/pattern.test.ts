import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compilePattern } from './pattern.ts';

test('XSD patterns are anchored and treat ^ and $ as characters', () => {
  const re = compilePattern('2\\.\\d+')!;
  assert.equal(re.test('2.17'), true);
  assert.equal(re.test('x2.17'), false);
  assert.equal(re.test('2.17x'), false);
  const caret = compilePattern('a^b$')!;
  assert.equal(caret.test('a^b$'), true);
});

test('alternation is grouped before anchoring', () => {
  const re = compilePattern('|[0-9A-F]{6}')!;
  assert.equal(re.test(''), true);
  assert.equal(re.test('02C0A1'), true);
  assert.equal(re.test('02C0A1x'), false);
});

test('negated classes and XML name escapes', () => {
  assert.equal(compilePattern('[^,]+')!.test('abc'), true);
  assert.equal(compilePattern('[^,]+')!.test('a,c'), false);
  assert.equal(compilePattern('\\i\\c*')!.test('X_ABC-1.2'), true);
  assert.equal(compilePattern('\\i\\c*')!.test('1abc'), false);
});

test('what JavaScript cannot express is reported as null, not enforced wrongly', () => {
  assert.equal(compilePattern('[a-z-[aeiou]]+'), null);
  assert.equal(compilePattern('abc\\'), null);
});
