import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stopReason } from './stop-rules.ts';

describe('stop rules', () => {
  it('a failed canary of one with maxFailures 0 halts at once', () => {
    assert.match(
      stopReason({ succeeded: 0, failed: 1 }, { maxFailures: 0 }) ?? '',
      /maxFailures 0/,
    );
    assert.equal(stopReason({ succeeded: 5, failed: 0 }, { maxFailures: 0 }), null);
  });

  it('halts when failures exceed the count, not when they reach it', () => {
    assert.equal(stopReason({ succeeded: 0, failed: 2 }, { maxFailures: 2 }), null);
    assert.notEqual(stopReason({ succeeded: 0, failed: 3 }, { maxFailures: 2 }), null);
  });

  it('counts the ratio over finished devices, from the canary on', () => {
    const rules = { maxFailureRatio: 0.1 };
    assert.notEqual(stopReason({ succeeded: 0, failed: 1 }, rules), null, 'canary failed: 1/1');
    assert.equal(stopReason({ succeeded: 9, failed: 1 }, rules), null, '1/10 is not over 0.1');
    assert.match(stopReason({ succeeded: 8, failed: 2 }, rules) ?? '', /2 of 10 .*0\.2/);
    assert.equal(stopReason({ succeeded: 0, failed: 0 }, rules), null, 'nothing finished yet');
  });

  it('no rules, no halt; a ratio of 1 tolerates everything', () => {
    assert.equal(stopReason({ succeeded: 0, failed: 50 }, {}), null);
    assert.equal(stopReason({ succeeded: 0, failed: 50 }, { maxFailureRatio: 1 }), null);
  });
});
