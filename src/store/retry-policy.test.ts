import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay, DEFAULT_RETRY_POLICY, faultDisposition } from './retry-policy.ts';

const policy = { baseDelayMs: 1000, maxDelayMs: 10_000, maxAttempts: 4 };

describe('retry policy', () => {
  it('backs off exponentially up to the cap', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 60].map((n) => backoffDelay(policy, n)),
      [1000, 2000, 4000, 8000, 10_000, 10_000],
    );
  });

  it('never retries 9000 and 9005', () => {
    for (const code of [9000, 9005, 9003, 9007]) {
      assert.deepEqual(faultDisposition(policy, { code }, 1, 0), {
        retry: false,
        reason: 'permanent',
      });
    }
  });

  it('retries transient faults until attempts run out', () => {
    assert.deepEqual(faultDisposition(policy, { code: 9002 }, 1, 100), {
      retry: true,
      notBefore: 1100,
    });
    assert.deepEqual(faultDisposition(policy, { code: 9002 }, 3, 100), {
      retry: true,
      notBefore: 4100,
    });
    assert.deepEqual(faultDisposition(policy, { code: 9002 }, 4, 100), {
      retry: false,
      reason: 'attempts-exhausted',
    });
    assert.deepEqual(faultDisposition(policy, { code: null }, 1, 0), {
      retry: true,
      notBefore: 1000,
    });
  });

  it('lets the caller override', () => {
    assert.equal(faultDisposition(policy, { code: 9002, permanent: true }, 1, 0).retry, false);
    assert.equal(faultDisposition(policy, { code: 9005, permanent: false }, 1, 0).retry, true);
  });

  it('has sane defaults', () => {
    assert.ok(DEFAULT_RETRY_POLICY.maxAttempts > 1);
    assert.ok(DEFAULT_RETRY_POLICY.baseDelayMs < DEFAULT_RETRY_POLICY.maxDelayMs);
  });
});
