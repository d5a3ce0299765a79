import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stageBoundaries, stageOf } from './stages.ts';

describe('stage planning', () => {
  it('a canary of one, then up to a fifth, then the rest', () => {
    const ends = stageBoundaries(100, [{ devices: 1 }, { percent: 20 }, { percent: 100 }]);
    assert.deepEqual(ends, [1, 20, 100]);
    assert.equal(stageOf(0, ends), 0);
    assert.equal(stageOf(1, ends), 1);
    assert.equal(stageOf(19, ends), 1);
    assert.equal(stageOf(20, ends), 2);
    assert.equal(stageOf(99, ends), 2);
    assert.throws(() => stageOf(100, ends), RangeError);
  });

  it('rounds percentages up, so a small fleet still gets a canary', () => {
    assert.deepEqual(stageBoundaries(3, [{ percent: 10 }, { percent: 100 }]), [1, 3]);
  });

  it('counts devices on top of what earlier stages cover', () => {
    assert.deepEqual(
      stageBoundaries(10, [{ devices: 2 }, { devices: 3 }, { percent: 100 }]),
      [2, 5, 10],
    );
  });

  it('the last stage takes every device left, whatever it says', () => {
    assert.deepEqual(stageBoundaries(10, [{ devices: 1 }, { percent: 30 }]), [1, 10]);
    assert.deepEqual(stageBoundaries(10, [{ devices: 4 }]), [10]);
  });

  it('a stage that adds nothing is empty; coverage never shrinks nor passes the set', () => {
    const ends = stageBoundaries(5, [
      { devices: 3 },
      { percent: 20 },
      { devices: 10 },
      { percent: 100 },
    ]);
    assert.deepEqual(ends, [3, 3, 5, 5]);
    assert.equal(stageOf(3, ends), 2, 'the empty stage 1 holds no device');
    assert.deepEqual(stageBoundaries(0, [{ devices: 1 }, { percent: 100 }]), [0, 0]);
  });
});
