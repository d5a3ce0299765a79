import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergedOf, mergePresets, parameterKeyOf } from './merge.ts';
import { preset } from './testing.ts';

const a = preset('a', { values: [{ path: 'Device.A', value: 1 }] });
const b = preset('b', { values: [{ path: 'Device.A', value: 2 }] }, { weight: 1 });

test('mergedOf: the merge and ParameterKey of a list, remembered by its presets', () => {
  const first = mergedOf([a, b]);
  assert.deepEqual(first.merged, mergePresets([a, b]));
  assert.equal(first.parameterKey, parameterKeyOf(mergePresets([a, b])));
  assert.equal(first.merged.values.get('Device.A')?.value, 2, 'the heavier preset wins');
  assert.equal(mergedOf([a, b]).merged, first.merged, 'the same list: the same merge');
  assert.notEqual(mergedOf([a]).merged, first.merged, 'another list');
  assert.equal(mergedOf([a]).merged.values.get('Device.A')?.value, 1);
  // A preset edited is a new object: a new merge, never the old one.
  const edited = {
    ...b,
    declarations: { ...b.declarations, values: [{ path: 'Device.A', value: 3 }] },
  };
  assert.equal(mergedOf([a, edited]).merged.values.get('Device.A')?.value, 3);
  assert.equal(mergedOf([]).merged.values.size, 0);
});

test("mergedOf: a list with a scripted preset is merged each time (its script's declarations are that run's)", () => {
  const scripted = preset('s', {}, { script: 'declare.tag("x")' });
  assert.notEqual(mergedOf([a, scripted]).merged, mergedOf([a, scripted]).merged);
});
