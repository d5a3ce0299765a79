import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startingValue } from './initial-value.ts';

test('the default, else the null value if valid, else the first value the syntax allows', () => {
  assert.equal(startingValue({ type: 'unsignedInt', default: '7' }), '7');
  assert.equal(startingValue({ type: 'unsignedInt' }), '0');
  assert.equal(startingValue({ type: 'boolean' }), 'false');
  assert.equal(startingValue({ type: 'dateTime' }), '0001-01-01T00:00:00Z');
  assert.equal(startingValue({ type: 'unsignedInt', ranges: [{ min: 64, max: 65535 }] }), '64');
  assert.equal(
    startingValue({ type: 'string', enumerations: [{ value: 'TCP' }, { value: 'UDP' }] }),
    'TCP',
  );
  assert.equal(
    startingValue({ type: 'string', list: { minItems: 1 }, enumerations: [{ value: 'A' }] }),
    '',
  );
  // Nothing valid to pick: the null value all the same.
  assert.equal(startingValue({ type: 'string', sizes: [{ minLength: 3, maxLength: 3 }] }), '');
});
