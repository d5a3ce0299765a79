import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { claimOf } from './auth.ts';

describe('API key claims', () => {
  it('names a claim by its public key id, or malformed — never by the secret', () => {
    const key = `corral_${'ab'.repeat(8)}_${'x'.repeat(43)}`;
    assert.equal(claimOf(key), 'ab'.repeat(8));
    assert.equal(claimOf('env-admin-key-of-some-length'), 'malformed');
    assert.equal(claimOf(null), 'malformed');
  });
});
